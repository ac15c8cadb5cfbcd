// Column-pair metrics of SDMetrics 0.32 (sdmetrics/column_pairs/statistical/*.py) as
// ColumnPairTrends calls them: CorrelationSimilarity (Pearson) for two continuous columns,
// ContingencySimilarity for two discrete columns or a discrete and a binned continuous one,
// each with the QualityReport's real-data threshold (|r| > 0.5, Cramer's V > 0.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "eval/prepared_column.hpp"

namespace calm::eval {

struct PairOutcome {
  std::optional<double> score;
  std::optional<double> real_correlation, synthetic_correlation, real_association;
  std::optional<bool> meets_threshold;
  std::string error;
  std::string note;
};

// 1 - |r_real - r_synth| / 2 over the rows where both values are present; NaN (not counted) when
// |r_real| <= threshold. A column with one distinct value in either table is an error, as
// SDMetrics' ConstantInputError.
PairOutcome correlation_similarity(const PreparedColumn& a, const PreparedColumn& b,
                                   double threshold);

// The discrete view of one column of one table for contingency tables: level 0..levels-1.
struct LevelView {
  const int32_t* codes = nullptr;  // discrete column: level = code + 1 (missing = level 0)
  const uint8_t* bins = nullptr;   // binned continuous column: level = bin (NaN is bin 11)
  uint32_t levels = 0;
  uint32_t operator[](size_t i) const {
    return bins ? bins[i] : static_cast<uint32_t>(codes[i] + 1);
  }
};

// 1 - total variation distance between the joint frequency tables (missing is a value);
// NaN (not counted) when threshold > 0 and the real table's Cramer's V <= threshold or the real
// table has fewer than two rows or columns.
PairOutcome contingency_similarity(const LevelView& real_a, const LevelView& real_b,
                                   size_t real_rows, const LevelView& synth_a,
                                   const LevelView& synth_b, size_t synth_rows, double threshold);

}  // namespace calm::eval
