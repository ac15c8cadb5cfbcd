// One column's model in the `lgbm` sequence: gradient-boosted trees grown leaf-wise (LightGBM's
// strategy, Ke et al. 2017, "LightGBM: A highly efficient gradient boosting decision tree", here
// through XGBoost's hist + lossguide) predicting the column from the columns before it.
//  - categorical/boolean: a classifier whose classes are the levels plus "missing"; a value is
//    drawn from the predicted probabilities. Past kMaxClasses levels the rarest share one class,
//    resolved to a real level by its frequency.
//  - numerical/datetime: with missing values, first a missing/present classifier (the FCS
//    treatment of missing numbers, as in synthpop); then a regressor on the present rows. A value
//    is drawn among the training rows whose predictions are nearest the synthetic row's (the
//    block of 1% of the rows, 10..200, by ascending prediction that it falls in, or all rows tied
//    at its prediction), dealt without replacement within the block: their real value ("pmm",
//    predictive mean matching — Little 1988; van Buuren 2018 §3.4 — the default) or the
//    prediction plus their residual ("local"); "global" adds any row's residual. The result is
//    then moved to the nearest value observed in the column (optional), which keeps the support
//    of discrete columns.
// Every booster starts from its column's marginal (binary: base_score = the rate; multiclass: the
// log priors as base margins; regression: the mean), so one cut short by early stopping is
// still calibrated.
// The first column of a sequence has no features: its values are drawn from its marginal.
#pragma once

#include <cstdint>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "learn/xgb_booster.hpp"

namespace calm::lgbm {

inline constexpr int kMaxClasses = 32;

// The learning target of one column, in encoder units (see feature_encoding.hpp).
struct ColumnTarget {
  bool regression = false;
  std::vector<int> levels;          // classification: level code per row, -1 missing
  std::vector<size_t> level_count;  // classification: rows per level
  std::vector<double> values;       // regression: encoded value per row, NaN missing
};

enum class Residuals { local, global, pmm };

struct ColumnSettings {
  xgb::BoosterParams booster;  // objective and num_class are set per model
  Residuals residuals = Residuals::pmm;
  bool snap = true;  // numeric draws move to the nearest observed value
};

class ColumnModel {
 public:
  // Fits from `x` = the encoded real rows restricted to this model's features (may have 0
  // columns). `seed` seeds the boosters (subsampling).
  void fit(const xgb::DenseMatrix& x, const ColumnTarget& target, const ColumnSettings& s,
           uint64_t seed);
  // Draws `rows` encoded values (level code or number, NaN missing) given their features
  // (rows x the fitted feature count, row-major), in two steps. draw() (any chunk of rows, in
  // parallel) draws classes and missingness; a number still to be drawn is left as its
  // prediction in out[i] with `block[i]` the key of its donor window (-1 when out[i] is final).
  // deal() (once over all rows of the column, in row order) then deals each window's training
  // rows to the rows keyed to it without replacement, reshuffling when it runs out (as cart's
  // leaves, models/fcs/balanced_draws.hpp), so rare values, extremes included, are drawn about
  // as often as they occur instead of Poisson(1) times.
  void draw(const float* features, size_t rows, Rng& rng, double* out, int64_t* block) const;
  void deal(size_t rows, const int64_t* block, Rng& rng, double* out) const;
  // Boosting rounds kept by the model's boosters (after early stopping), for the debug log.
  int rounds() const { return classes_.rounds() + missing_.rounds() + values_.rounds(); }

  // Persistence (lgbm_archive.cpp); `features` is the width the model must read, `levels` the
  // number of levels of a categorical column (class levels are checked against it).
  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in, size_t features, size_t levels);

 private:
  void fit_classes(const xgb::DenseMatrix& x, const ColumnTarget& t, const ColumnSettings& s,
                   uint64_t seed);
  void fit_values(const xgb::DenseMatrix& x, const ColumnTarget& t, const ColumnSettings& s,
                  uint64_t seed);
  // The donor window of a prediction: [lo, lo + len) of the sorted training rows; its key.
  int64_t window_key(double prediction) const;
  double snap(double v) const;
  double class_value(int cls, Rng& rng) const;

  bool regression_ = false;
  size_t features_ = 0;
  // Classification: class k is level class_level_[k] (-1 = missing); the last class pools the
  // rarest levels when pooled_ is non-empty (cumulative counts in pooled_cumulative_).
  std::vector<int> class_level_;
  std::vector<int> pooled_;
  std::vector<double> pooled_cumulative_;
  std::vector<double> prior_cumulative_;  // class frequencies: used without features
  xgb::Booster classes_;
  // Regression.
  double missing_rate_ = 0;  // without features or without a missing model
  xgb::Booster missing_;
  double mean_ = 0, scale_ = 1;  // the regressor learns (y - mean) / scale
  xgb::Booster values_;
  std::vector<double> present_;  // present values: drawn from when there are no features
  std::vector<double> support_;  // distinct present values, ascending (snapping), empty = off
  // Training rows by ascending prediction: residual (local, global) or value (pmm) of each.
  Residuals residuals_ = Residuals::local;
  size_t window_ = 1;
  std::vector<double> sorted_pred_, sorted_draw_;
};

}  // namespace calm::lgbm
