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

// Trains XGBoost (100 rounds, learning rate 0.1, 31 leaves leaf-wise, depth <= 6, one XGBoost
// thread per fold, folds in parallel on `threads` threads, <= 0 = all cores) to tell real rows
// (label 0) from synthetic rows (label 1) with stratified k-fold cross-validation; each side is
// first subsampled (seeded) to max_rows_per_side, and the two sides are weighted equally.
// Features: every non-id column of `schema` (both tables must hold them), one feature each
// (numbers as values, datetimes in days, categorical/boolean levels matched by value and split
// natively as categories). The result does not depend on the thread count.
// Returns {"roc_auc" (mean over folds, rank-based), "roc_auc_std", "fold_roc_auc": [...],
//  "accuracy", "balanced_accuracy" (threshold 0.5), "folds", "rows": {"real", "synthetic",
//  "real_total", "synthetic_total"}, "feature_importance": [{"column", "gain"}...] (mean split
//  gain as shares summing to 1, highest first), "importance_type", "model", "interpretation"}.
// AUC <= 0.6 reads "indistinguishable"; AUC < 0.4 flags synthetic rows that copy real rows.
// Throws InvalidArgument for folds < 2, DataError for a missing column or < 2 rows on a side.
Json adversarial_validation(const Table& real, const Table& synthetic, const Schema& schema,
                            const AdversarialOptions& options = {});

}  // namespace calm
