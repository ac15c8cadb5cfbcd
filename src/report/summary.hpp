// What the reports show about one column on one or two sides (real, synthetic): descriptive
// statistics and a distribution binned the same way on every side, so the sides overlay.
// Continuous columns: kBins equal-width bins over the joint 0.5%..99.5% quantile range (values
// outside are counted in the edge bins), so that one outlier does not flatten the chart.
// Discrete columns: the most frequent levels (real first), the rest as "(other)", missing as
// "(missing)". One pass per column and side plus O(n) selections: fine for millions of rows.
#pragma once

#include <string>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm::report {

inline constexpr size_t kBins = 30;
inline constexpr size_t kMaxLevels = 12;

struct SideStats {
  size_t rows = 0, missing = 0, distinct = 0;
  // Continuous only (NaN when there is no value).
  double mean = 0, sd = 0, min = 0, q25 = 0, median = 0, q75 = 0, max = 0;
  std::vector<double> share;  // per bin or level: share of the side's non-missing (bins) / all rows
  std::string top;            // discrete: most frequent level
};

struct ColumnSummary {
  std::string name;
  SemanticType semantic = SemanticType::numerical;
  bool continuous = false;
  bool datetime = false;            // edges are epoch nanoseconds
  std::vector<double> edges;        // continuous: kBins + 1 edges
  std::vector<std::string> levels;  // discrete: the bars
  std::vector<SideStats> sides;
};

// Summary of column `cs` over the given tables (each holds a column of that name).
ColumnSummary summarize(const ColumnSchema& cs, const std::vector<const Table*>& tables);
// Summary of plain samples (e.g. DCR values), each vector one side.
ColumnSummary summarize_values(const std::string& name,
                               const std::vector<const std::vector<double>*>& sides);

// Axis/label text of a value of this column: dates as YYYY-MM-DD, numbers with 4 significant
// digits (k/M suffixes above 10 000).
std::string format_value(const ColumnSummary& s, double v);
std::string format_number(double v);
// A spread (standard deviation) of this column: days for datetimes.
std::string format_spread(const ColumnSummary& s, double v);

}  // namespace calm::report
