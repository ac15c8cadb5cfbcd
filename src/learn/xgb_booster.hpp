// A small RAII layer over the XGBoost C API (Chen & Guestrin 2016, "XGBoost: A scalable tree
// boosting system"), shared by the `lgbm` synthesizer and the evaluation metrics (adversarial
// validation, ML efficacy). Every call's return code is checked and turned into a calm error that
// carries XGBGetLastError's message.
//
// Determinism: a booster is always trained and queried with one XGBoost thread (`nthread` = 1)
// and an explicit seed, so its trees never depend on how many threads calm runs; callers get
// parallelism by fitting several boosters at once (one per column, per fold) or by predicting
// row chunks in parallel — prediction is in-place (XGBoosterPredictFromDense), which keeps no
// per-matrix cache and may be called from several threads on the same booster.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace calm::xgb {

// Row-major dense features, NaN = missing.
struct DenseMatrix {
  size_t rows = 0, cols = 0;
  std::vector<float> values;
  std::vector<bool> categorical;  // per column: non-negative integer codes split as categories

  float at(size_t r, size_t c) const { return values[r * cols + c]; }
  // The rows `rows` (in that order) and the columns `cols` (in that order).
  DenseMatrix subset(const std::vector<int64_t>& rows, const std::vector<int>& cols) const;
};

enum class Objective { regression, binary, multiclass };

struct BoosterParams {
  Objective objective = Objective::regression;
  int num_class = 2;  // multiclass only
  int n_estimators = 100;
  double learning_rate = 0.1;
  int max_leaves = 31;  // leaf-wise (lossguide) growth, LightGBM's num_leaves
  int max_depth = 0;    // 0 = no limit
  double min_child_weight = 1e-3;
  double subsample = 1.0;
  double colsample_bytree = 1.0;
  int max_bin = 256;        // histogram bins per numeric feature
  double base_score = 0.5;  // the starting prediction (a probability for binary)
  uint64_t seed = 0;
  // Early stopping: with early_stopping_rounds > 0 and at least kMinValidationRows rows held out,
  // a seeded `validation_fraction` of the rows is held out, training stops once the held-out
  // loss (rmse, logloss, mlogloss) has not improved for that many rounds, and the model is cut
  // back to its best round. Off by default (the evaluation metrics train fixed rounds).
  int early_stopping_rounds = 0;
  double validation_fraction = 0.0;
};

inline constexpr size_t kMinValidationRows = 30;

class Booster {
 public:
  Booster() = default;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  Booster(Booster&& o) noexcept : handle_(o.handle_), params_(o.params_), features_(o.features_) {
    o.handle_ = nullptr;
  }
  Booster& operator=(Booster&& o) noexcept;
  ~Booster();

  // Trains on `x` with labels (class index for binary/multiclass) and optional row weights.
  // `base_margin` (optional, rows x outputs_per_row) is each row's starting margin instead of
  // base_score — e.g. the log class priors of a multiclass model; predict(margin = true) then
  // returns the trees' margin without it.
  void train(const DenseMatrix& x, const std::vector<float>& labels, const BoosterParams& params,
             const std::vector<float>& weights = {}, const std::vector<float>& base_margin = {});
  bool trained() const { return handle_ != nullptr; }
  // Boosting rounds the model kept (after early stopping); 0 when untrained.
  int rounds() const;

  // Probabilities (binary: P(class 1), one per row; multiclass: rows x num_class, row-major) or
  // regression predictions, for `rows` rows of `cols` = the training features, row-major.
  // With `margin`, the raw sum of the trees (before the link function) instead.
  std::vector<float> predict(const float* x, size_t rows, bool margin = false) const;
  std::vector<float> predict(const DenseMatrix& x) const {
    return predict(x.values.data(), x.rows);
  }
  size_t outputs_per_row() const {
    return params_.objective == Objective::multiclass ? params_.num_class : 1;
  }

  // XGBoost feature importance per training column (0 for unused features): "gain" = mean gain
  // of the feature's splits, "total_gain" = their sum; "weight" = the number of splits.
  std::vector<double> importance(const std::string& type = "gain") const;

  // The trained model as XGBoost's binary UBJSON model format (trees and objective, no training
  // state); an untrained booster saves as empty. load() restores it for prediction; predictions
  // are the same floats as the saved booster's.
  std::string save() const;
  // `params` describe the saved model's objective and classes, `features` its input width.
  void load(const std::string& model, const BoosterParams& params, size_t features);

 private:
  void* handle_ = nullptr;
  BoosterParams params_;
  size_t features_ = 0;
};

}  // namespace calm::xgb
