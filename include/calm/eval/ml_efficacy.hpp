// Machine-learning efficacy: train on synthetic, test on a real hold-out (TSTR) versus train on
// real, test on the same hold-out (TRTR), with a gradient-boosted model.
#pragma once

#include <string>

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct MlEfficacyOptions {
  double holdout_fraction = 0.3;
  // A separate real hold-out (rows the synthesizer never saw): TRTR then trains on every real
  // row and both models are tested on it, which removes the leak described below.
  const Table* holdout = nullptr;
  int threads = 1;
  uint64_t seed = 0;
  // Each model trains on at most this many rows (seeded uniform sample of the real training rows
  // and of the synthetic rows; 0 = all), so the report's cost stops growing with the table; the
  // "rows" of the result say how many were used. Test rows are never sampled.
  size_t max_train_rows = 50000;
};

// The task follows the target's sdtype: categorical/boolean -> classification, numerical ->
// regression (anything else: InvalidArgument). Real rows with a target are split once into train
// and hold-out (seeded, stratified by class); TRTR trains on the real train rows, TSTR on the
// synthetic rows (missing targets dropped), both tested on the same hold-out with the same
// XGBoost model (100 rounds, learning rate 0.1, 31 leaves, depth <= 6; the two fits run in
// parallel on up to 2 threads, each single-threaded, so results do not depend on `threads`).
// Features: every other non-id column of the schema (both tables must hold them).
// Returns {"task", "target", "classes" (classification), "rows": {"train", "holdout",
//  "synthetic"}, "trtr": {...}, "tstr": {...}, "ratio": {...} (TSTR / TRTR per metric, null when
//  TRTR <= 0 or undefined), "model", "note"}; classification metrics accuracy, f1 (macro),
//  roc_auc (binary, or one-vs-rest macro over the hold-out's classes; null when undefined);
//  regression r2 (null for a constant hold-out), mae.
// Caveat: when the synthesizer was fitted on all real rows, the hold-out leaked into the
// synthetic data and TSTR is optimistic; for a clean test fit the synthesizer on part of the data
// and pass the rest as options.holdout (CLI: calm evaluate --holdout).
Json ml_efficacy(const Table& real, const Table& synthetic, const Schema& schema,
                 const std::string& target_col, const MlEfficacyOptions& options = {});

}  // namespace calm
