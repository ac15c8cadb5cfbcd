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
  int threads = 1;
  uint64_t seed = 0;
};

// {"task": "classification"|"regression", "target", "tstr": {...metrics}, "trtr": {...},
//  "ratio": {...}}; classification metrics accuracy, f1 (macro), roc_auc; regression r2, mae.
Json ml_efficacy(const Table& real, const Table& synthetic, const Schema& schema,
                 const std::string& target_col, const MlEfficacyOptions& options = {});

}  // namespace calm
