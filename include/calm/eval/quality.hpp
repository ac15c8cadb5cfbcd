// Quality evaluation of a synthetic table against the real one, with the scores of SDMetrics
// 0.32's single-table QualityReport (Column Shapes, Column Pair Trends) and DiagnosticReport
// (Data Validity, Data Structure), reproduced exactly (to 1e-6) and computed natively:
// sort-based Kolmogorov-Smirnov, O(n) contingency counts, OpenMP over columns and pairs.
// Every formula, and the one place where calm deliberately differs (no random 50 000-row
// subsample for contingency pairs), is in docs/metrics.md.
//
// sdtypes: calm's semantic types map one to one (numerical, categorical, boolean, datetime, id);
// id columns are left out of both quality properties, as SDMetrics does, and every id column
// counts as a key (KeyUniqueness) in the diagnostic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"  // Json
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct QualityOptions {
  bool pair_trends = true;  // false: the minimal report, Column Shapes only
  bool diagnostic = true;   // also compute the DiagnosticReport checks
  int threads = 0;          // 0 = all cores
  // SDMetrics QualityReport defaults: a numeric pair counts only when the real |Pearson r| is
  // above the first, a discrete or mixed pair only when the real Cramer's V is above the second.
  // 0 disables the filter (every computable pair counts).
  double real_correlation_threshold = 0.5;
  double real_association_threshold = 0.3;
};

// A score SDMetrics reports as NaN is std::nullopt here; `note` or `error` says why.
struct ColumnShapeScore {
  std::string column;
  std::string metric;  // KSComplement | TVComplement
  std::optional<double> score;
  std::string error;  // SDMetrics' "Error" text when the metric could not be computed
  std::string note;   // why the score is null when no error explains it
};

struct PairTrendScore {
  std::string column_1, column_2;
  std::string metric;  // CorrelationSimilarity | ContingencySimilarity
  std::optional<double> score;
  std::optional<double> real_correlation, synthetic_correlation;  // CorrelationSimilarity only
  std::optional<double> real_association;  // Cramer's V of the real pair (ContingencySimilarity)
  // Whether the pair counts in the property score; nullopt when the metric failed (error set).
  std::optional<bool> meets_threshold;
  std::string error;
  std::string note;
};

struct ValidityScore {
  std::string column;
  std::string metric;  // BoundaryAdherence | CategoryAdherence | KeyUniqueness
  std::optional<double> score;
  std::string note;
};

struct DiagnosticResult {
  std::optional<double> overall;         // mean of the two property scores (NaNs skipped)
  std::optional<double> data_validity;   // mean of the validity scores
  std::optional<double> data_structure;  // TableStructure
  std::vector<ValidityScore> validity;
};

struct QualityReport {
  std::optional<double> overall;  // mean of the computed property scores (NaNs skipped)
  std::optional<double> column_shapes_score;
  std::optional<double> column_pair_trends_score;  // nullopt also when !pair_trends_computed
  bool pair_trends_computed = false;
  std::vector<ColumnShapeScore> column_shapes;
  std::vector<PairTrendScore> column_pair_trends;
  bool diagnostic_computed = false;
  DiagnosticResult diagnostic;
  size_t real_rows = 0, synthetic_rows = 0;
  QualityOptions options;
};

// Scores `synthetic` against `real`. `schema` gives the sdtype of every column (usually
// infer_schema(real)); its column order is the order of the details. Both tables must hold
// exactly the schema's columns with compatible storage (numbers with numbers, dates with dates;
// a column that is entirely missing fits anything) and at least one row, else DataError naming
// the difference. Categorical values are compared by value, never by dictionary code.
QualityReport evaluate_quality(const Table& real, const Table& synthetic, const Schema& schema,
                               const QualityOptions& options = {});

// {"overall", "properties": {"Column Shapes", "Column Pair Trends"}, "column_shapes": [...],
//  "column_pair_trends": [...], "diagnostic": {...}, ...}; never NaN: null plus a "note".
Json to_json(const QualityReport& report);

}  // namespace calm
