// Adversarial validation: a gradient-boosted classifier (XGBoost) trained to tell real from
// synthetic rows with stratified k-fold; ROC-AUC 0.5 = indistinguishable.
#pragma once

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct AdversarialOptions {
  int folds = 5;
  int threads = 1;
  uint64_t seed = 0;
  size_t max_rows_per_side = 50000;  // subsample (seeded) above this
};

// {"roc_auc", "roc_auc_std", "accuracy", "folds", "rows", "feature_importance": [{"column", "gain"}...],
//  "interpretation"}
Json adversarial_validation(const Table& real, const Table& synthetic, const Schema& schema,
                            const AdversarialOptions& options = {});

}  // namespace calm
