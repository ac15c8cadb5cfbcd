// Fitting and drawing of one `lgbm` column model (see lgbm_column.hpp).
#include "models/fcs/lgbm_column.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace calm::lgbm {

namespace {

// Neighbours by prediction drawn from (local residuals, pmm): 1% of the training rows, at least
// 10 (a usable sample of the noise at that prediction level) and at most 200 (local enough on
// large data).
size_t neighbours(size_t rows) {
  return std::clamp<size_t>(rows / 100, 10, 200);
}

// The share of rows of each class from its cumulative counts.
std::vector<double> shares(const std::vector<double>& cum) {
  std::vector<double> out(cum.size());
  for (size_t c = 0; c < cum.size(); ++c) out[c] = (cum[c] - (c ? cum[c - 1] : 0.0)) / cum.back();
  return out;
}

// A probability kept away from 0 and 1, where XGBoost's logit is infinite.
double interior(double p) {
  return std::clamp(p, 1e-6, 1.0 - 1e-6);
}

std::vector<double> cumulative(const std::vector<double>& weights) {
  std::vector<double> c(weights.size());
  std::partial_sum(weights.begin(), weights.end(), c.begin());
  return c;
}

}  // namespace

void ColumnModel::fit(const xgb::DenseMatrix& x, const ColumnTarget& target,
                      const ColumnSettings& s, uint64_t seed) {
  regression_ = target.regression;
  features_ = x.cols;
  if (regression_)
    fit_values(x, target, s, seed);
  else
    fit_classes(x, target, s, seed);
}

void ColumnModel::fit_classes(const xgb::DenseMatrix& x, const ColumnTarget& t,
                              const ColumnSettings& s, uint64_t seed) {
  const size_t n = t.levels.size();
  size_t missing = 0;
  for (int l : t.levels) missing += l < 0;
  // Levels are coded by decreasing frequency, so the rarest are the last codes.
  std::vector<int> present_levels;
  for (size_t l = 0; l < t.level_count.size(); ++l)
    if (t.level_count[l] > 0) present_levels.push_back(static_cast<int>(l));
  const size_t room = kMaxClasses - (missing > 0 ? 1 : 0);
  const bool pool = present_levels.size() > room;
  const size_t own = pool ? room - 1 : present_levels.size();
  std::vector<int> class_of_level(t.level_count.size(), -1);
  class_level_.clear();
  for (size_t i = 0; i < own; ++i) {
    class_of_level[present_levels[i]] = static_cast<int>(class_level_.size());
    class_level_.push_back(present_levels[i]);
  }
  pooled_.clear();
  std::vector<double> pooled_weight;
  if (pool) {
    const int cls = static_cast<int>(class_level_.size());
    class_level_.push_back(-2);  // the pooled class
    for (size_t i = own; i < present_levels.size(); ++i) {
      class_of_level[present_levels[i]] = cls;
      pooled_.push_back(present_levels[i]);
      pooled_weight.push_back(static_cast<double>(t.level_count[present_levels[i]]));
    }
  }
  pooled_cumulative_ = cumulative(pooled_weight);
  int missing_class = -1;
  if (missing > 0) {
    missing_class = static_cast<int>(class_level_.size());
    class_level_.push_back(-1);
  }
  std::vector<float> labels(n);
  std::vector<double> freq(class_level_.size(), 0.0);
  for (size_t r = 0; r < n; ++r) {
    const int cls = t.levels[r] < 0 ? missing_class : class_of_level[t.levels[r]];
    labels[r] = static_cast<float>(cls);
    freq[cls] += 1;
  }
  prior_cumulative_ = cumulative(freq);
  if (features_ == 0 || class_level_.size() < 2) return;
  xgb::BoosterParams p = s.booster;
  p.objective = class_level_.size() == 2 ? xgb::Objective::binary : xgb::Objective::multiclass;
  p.num_class = static_cast<int>(class_level_.size());
  p.seed = seed;
  // Boosting starts from the class priors, not from XGBoost's 0.5 / uniform start: a model cut
  // short by early stopping (a column with little signal stops after a few rounds) is then still
  // calibrated on the marginal. A multiclass start is a per-row margin (the log priors).
  const std::vector<double> prior = shares(prior_cumulative_);
  std::vector<float> margin;
  if (p.objective == xgb::Objective::binary) {
    p.base_score = interior(prior[1]);
  } else {
    margin.resize(n * prior.size());
    for (size_t r = 0; r < n; ++r)
      for (size_t c = 0; c < prior.size(); ++c)
        margin[r * prior.size() + c] = static_cast<float>(std::log(prior[c]));
  }
  classes_.train(x, labels, p, {}, margin);
}

void ColumnModel::fit_values(const xgb::DenseMatrix& x, const ColumnTarget& t,
                             const ColumnSettings& s, uint64_t seed) {
  const size_t n = t.values.size();
  std::vector<int64_t> present_rows;
  present_.clear();
  for (size_t r = 0; r < n; ++r)
    if (!std::isnan(t.values[r]))
      present_rows.push_back(static_cast<int64_t>(r)), present_.push_back(t.values[r]);
  support_.clear();
  if (s.snap) {
    support_ = present_;
    std::sort(support_.begin(), support_.end());
    support_.erase(std::unique(support_.begin(), support_.end()), support_.end());
  }
  missing_rate_ = n ? 1.0 - static_cast<double>(present_rows.size()) / static_cast<double>(n) : 0;
  if (features_ == 0 || present_rows.empty()) return;
  xgb::BoosterParams p = s.booster;
  p.seed = seed;
  if (present_rows.size() < n) {
    std::vector<float> is_missing(n);
    for (size_t r = 0; r < n; ++r) is_missing[r] = std::isnan(t.values[r]) ? 1.0f : 0.0f;
    p.objective = xgb::Objective::binary;
    p.base_score = interior(missing_rate_);
    missing_.train(x, is_missing, p);
  }
  if (present_rows.size() < 2) return;
  const double m =
      std::accumulate(present_.begin(), present_.end(), 0.0) / static_cast<double>(present_.size());
  double ss = 0;
  for (double v : present_) ss += (v - m) * (v - m);
  const double sd = std::sqrt(ss / static_cast<double>(present_.size()));
  mean_ = m;
  scale_ = sd > 0 ? sd : 1.0;
  // Standardised so float32 labels keep their precision whatever the column's scale.
  std::vector<float> labels(present_.size());
  for (size_t i = 0; i < present_.size(); ++i)
    labels[i] = static_cast<float>((present_[i] - mean_) / scale_);
  std::vector<int> all(x.cols);
  std::iota(all.begin(), all.end(), 0);
  const xgb::DenseMatrix xp = x.subset(present_rows, all);
  p.objective = xgb::Objective::regression;
  p.base_score = 0;  // the labels' mean
  values_.train(xp, labels, p);

  const std::vector<float> fitted = values_.predict(xp);
  std::vector<double> pred(fitted.size()), resid(fitted.size());
  for (size_t i = 0; i < fitted.size(); ++i) {
    pred[i] = fitted[i] * scale_ + mean_;
    resid[i] = present_[i] - pred[i];
  }
  std::vector<size_t> order(pred.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return pred[a] < pred[b]; });
  residuals_ = s.residuals;
  window_ = s.residuals == Residuals::global ? order.size()
                                             : std::min(order.size(), neighbours(order.size()));
  sorted_pred_.resize(order.size());
  sorted_draw_.resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    sorted_pred_[i] = pred[order[i]];
    sorted_draw_[i] = s.residuals == Residuals::pmm ? present_[order[i]] : resid[order[i]];
  }
}

int64_t ColumnModel::window_key(double prediction) const {
  // All training rows tied at this prediction when there are at least window_ of them (a model on
  // a few categorical features predicts a handful of values, and a fixed window would always
  // offer the same rows); otherwise the block of window_ rows (by ascending prediction) the
  // prediction falls in, the last block taking the remainder. Key: 2 lo + 1 for a tie group,
  // 2 lo for a block.
  const size_t n = sorted_pred_.size();
  const auto lo_tie = std::lower_bound(sorted_pred_.begin(), sorted_pred_.end(), prediction);
  const auto hi_tie = std::upper_bound(lo_tie, sorted_pred_.end(), prediction);
  const size_t a = lo_tie - sorted_pred_.begin(), b = hi_tie - sorted_pred_.begin();
  if (b - a >= window_) return 2 * static_cast<int64_t>(a) + 1;
  const size_t blocks = std::max<size_t>(1, n / window_);
  const size_t mid = std::min(n - 1, (a + b) / 2);
  return 2 * static_cast<int64_t>(std::min(blocks - 1, mid / window_) * window_);
}

void ColumnModel::deal(size_t rows, const int64_t* block, Rng& rng, double* out) const {
  struct Deck {
    std::vector<uint32_t> cards;  // indices into sorted_draw_
    size_t next = 0;
  };
  std::unordered_map<int64_t, Deck> decks;
  const size_t n = sorted_pred_.size();
  const size_t blocks = n ? std::max<size_t>(1, n / window_) : 0;
  for (size_t i = 0; i < rows; ++i) {
    if (block[i] < 0) continue;
    Deck& d = decks[block[i]];
    if (d.next == d.cards.size()) {
      if (d.cards.empty()) {
        const size_t lo = static_cast<size_t>(block[i] / 2);
        size_t hi;
        if (block[i] % 2) {  // a tie group
          hi = std::upper_bound(sorted_pred_.begin() + lo, sorted_pred_.end(), sorted_pred_[lo]) -
               sorted_pred_.begin();
        } else {
          hi = lo / window_ + 1 >= blocks ? n : lo + window_;
        }
        for (size_t k = lo; k < hi; ++k) d.cards.push_back(static_cast<uint32_t>(k));
      }
      for (size_t k = d.cards.size(); k > 1; --k) std::swap(d.cards[k - 1], d.cards[rng.below(k)]);
      d.next = 0;
    }
    const double v = sorted_draw_[d.cards[d.next++]];
    out[i] = snap(residuals_ == Residuals::pmm ? v : out[i] + v);
  }
}

double ColumnModel::snap(double v) const {
  if (support_.empty()) return v;
  auto it = std::lower_bound(support_.begin(), support_.end(), v);
  if (it == support_.end()) return support_.back();
  if (it != support_.begin() && v - *(it - 1) < *it - v) --it;
  return *it;
}

double ColumnModel::class_value(int cls, Rng& rng) const {
  const int level = class_level_[cls];
  if (level == -1) return std::nan("");
  if (level == -2)
    return pooled_[rng.categorical(pooled_cumulative_.data(), pooled_cumulative_.size())];
  return level;
}

void ColumnModel::draw(const float* features, size_t rows, Rng& rng, double* out,
                       int64_t* block) const {
  std::fill(block, block + rows, int64_t{-1});
  if (!regression_) {
    if (!classes_.trained()) {
      for (size_t i = 0; i < rows; ++i)
        out[i] = class_value(
            static_cast<int>(rng.categorical(prior_cumulative_.data(), prior_cumulative_.size())),
            rng);
      return;
    }
    const size_t k = class_level_.size();
    if (k == 2) {
      const std::vector<float> prob = classes_.predict(features, rows);
      for (size_t i = 0; i < rows; ++i) out[i] = class_value(rng.uniform() < prob[i] ? 1 : 0, rng);
      return;
    }
    // The trees' margins plus the log priors they were boosted from, through the softmax.
    const std::vector<float> margin = classes_.predict(features, rows, true);
    std::vector<double> log_prior = shares(prior_cumulative_);
    for (double& l : log_prior) l = std::log(l);
    std::vector<double> cum(k), z(k);
    for (size_t i = 0; i < rows; ++i) {
      double top = -INFINITY;
      for (size_t c = 0; c < k; ++c) top = std::max(top, z[c] = margin[i * k + c] + log_prior[c]);
      double acc = 0;
      for (size_t c = 0; c < k; ++c) cum[c] = acc += std::exp(z[c] - top);
      out[i] = class_value(static_cast<int>(rng.categorical(cum.data(), k)), rng);
    }
    return;
  }
  if (present_.empty()) {
    std::fill(out, out + rows, std::nan(""));
    return;
  }
  if (!values_.trained()) {
    // No features (first column) or a single present value: the marginal, missing included.
    for (size_t i = 0; i < rows; ++i)
      out[i] = rng.uniform() < missing_rate_ ? std::nan("") : present_[rng.below(present_.size())];
    return;
  }
  std::vector<float> p_missing;
  if (missing_.trained()) p_missing = missing_.predict(features, rows);
  const std::vector<float> pred = values_.predict(features, rows);
  for (size_t i = 0; i < rows; ++i) {
    const double pm = p_missing.empty() ? missing_rate_ : p_missing[i];
    if (rng.uniform() < pm) {
      out[i] = std::nan("");
      continue;
    }
    out[i] = pred[i] * scale_ + mean_;
    block[i] = window_key(out[i]);
  }
}

}  // namespace calm::lgbm
