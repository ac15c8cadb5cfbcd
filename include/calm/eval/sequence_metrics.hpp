// Quality of synthetic sequences (multi-entity time series) against the real ones: the row-level
// quality report plus what only sequences have — how long they are, how they move from step to
// step, whether a classifier can tell a synthetic sequence from a real one, whether a model
// trained on them predicts the real next step, and whether they keep the real data's rules (time
// order, constant context, time bounds). Definitions in docs/sequences.md:
//  - length similarity: 1 - the Kolmogorov-Smirnov statistic of the length distributions;
//  - autocorrelation similarity, per numeric varying column: 1 - |r_real - r_synth| / 2, r the
//    lag-1 autocorrelation pooled over entities after removing each entity's mean;
//  - cross-correlation similarity: the same for every pair of numeric varying columns at lags 0
//    and 1 (a_{t-1} with b_t);
//  - discriminative AUC (the "discriminative score" of Yoon, Jarrett & van der Schaar 2019,
//    TimeGAN, with a random forest on per-sequence features: length, time span and step, per
//    column mean / std / first / last / lag-1 autocorrelation / trend / roughness / missing share,
//    context values;
//    stratified k-fold ROC-AUC; 0.5 = indistinguishable, well below 0.5 = copies of real
//    sequences); also reported as |accuracy - 0.5|, TimeGAN's form;
//  - predictive score (TimeGAN's "train on synthetic, test on real"): a random forest per numeric
//    varying column predicts the next step from the previous step, the context and the position;
//    its mean absolute error on the real sequences, in units of the column's standard deviation,
//    next to the same forest trained on real sequences (2-fold by entity);
//  - context-sequence consistency: shares of synthetic entities in time order, of entities whose
//    real context columns are constant, and of rows inside each time bound the real data keep.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"  // Json
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct SequenceMetricsOptions {
  std::string sequence_key;
  std::optional<std::string> time_col;
  std::optional<std::vector<std::string>> context_columns;  // nullopt: detected on the real table
  bool row_quality = true;  // also the row-level quality report (evaluate_quality)
  int folds = 5;
  int trees = 100;
  int threads = 0;  // 0 = all cores; the result does not depend on it
  uint64_t seed = 0;
};

struct SequenceReport {
  size_t real_entities = 0, synthetic_entities = 0, real_rows = 0, synthetic_rows = 0;
  std::optional<double> row_quality;
  double length_similarity = 0;
  std::optional<double> autocorrelation_similarity;
  std::optional<double> cross_correlation_similarity;
  std::optional<double> discriminative_auc;
  std::optional<double> discriminative_score;  // |accuracy - 0.5|
  std::optional<double> predictive_mae_synthetic, predictive_mae_real;
  std::optional<double> predictive_similarity;  // mean of min(1, real MAE / synthetic MAE)
  double consistency = 0;                       // mean of the consistency shares
  Json details;                                 // per column, per pair and per rule
};

// Both tables must hold the key (and time) column. InvalidArgument for a missing column; DataError
// when a table cannot be read as sequences (core/sequence_table.hpp).
SequenceReport evaluate_sequences(const Table& real, const Table& synthetic, const Schema& schema,
                                  const SequenceMetricsOptions& options);
Json to_json(const SequenceReport& report);

}  // namespace calm
