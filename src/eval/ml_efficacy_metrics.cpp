// Prediction metrics and seeded splits (see ml_efficacy_metrics.hpp).
#include "eval/ml_efficacy_metrics.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "calm/core/rng.hpp"

namespace calm::eval {

std::optional<double> roc_auc(const std::vector<float>& scores,
                              const std::vector<uint8_t>& positive) {
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Sum of the (1-based, tie-averaged) ranks of the positives gives U directly.
  double rank_sum = 0, pos = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t t = i; t < j; ++t)
      if (positive[order[t]]) rank_sum += avg_rank, pos += 1;
    i = j;
  }
  const double neg = static_cast<double>(n) - pos;
  if (pos == 0 || neg == 0) return std::nullopt;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

std::optional<double> roc_auc_ovr(const std::vector<float>& prob, size_t k,
                                  const std::vector<int>& truth) {
  const size_t n = truth.size();
  if (k == 1) {
    std::vector<uint8_t> pos(n);
    for (size_t i = 0; i < n; ++i) pos[i] = truth[i] == 1;
    return roc_auc(prob, pos);
  }
  double sum = 0;
  int used = 0;
  std::vector<float> s(n);
  std::vector<uint8_t> pos(n);
  for (size_t c = 0; c < k; ++c) {
    for (size_t i = 0; i < n; ++i) s[i] = prob[i * k + c], pos[i] = truth[i] == static_cast<int>(c);
    if (auto a = roc_auc(s, pos)) sum += *a, ++used;
  }
  if (used == 0) return std::nullopt;
  return sum / used;
}

double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth) {
  size_t hit = 0;
  for (size_t i = 0; i < truth.size(); ++i) hit += predicted[i] == truth[i];
  return truth.empty() ? 0.0 : static_cast<double>(hit) / static_cast<double>(truth.size());
}

double macro_f1(const std::vector<int>& predicted, const std::vector<int>& truth) {
  std::map<int, std::array<double, 3>> counts;  // class -> tp, fp, fn
  for (size_t i = 0; i < truth.size(); ++i) {
    if (predicted[i] == truth[i]) {
      counts[truth[i]][0] += 1;
    } else {
      counts[predicted[i]][1] += 1;
      counts[truth[i]][2] += 1;
    }
  }
  if (counts.empty()) return 0.0;
  double sum = 0;
  for (const auto& [c, v] : counts) {
    const double denom = 2 * v[0] + v[1] + v[2];
    sum += denom > 0 ? 2 * v[0] / denom : 0.0;
  }
  return sum / static_cast<double>(counts.size());
}

std::optional<double> r2(const std::vector<double>& predicted, const std::vector<double>& truth) {
  const double n = static_cast<double>(truth.size());
  const double mean = std::accumulate(truth.begin(), truth.end(), 0.0) / n;
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    ss_res += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
    ss_tot += (truth[i] - mean) * (truth[i] - mean);
  }
  if (ss_tot <= 0) return std::nullopt;
  return 1 - ss_res / ss_tot;
}

double mae(const std::vector<double>& predicted, const std::vector<double>& truth) {
  double s = 0;
  for (size_t i = 0; i < truth.size(); ++i) s += std::abs(truth[i] - predicted[i]);
  return truth.empty() ? 0.0 : s / static_cast<double>(truth.size());
}

std::vector<int> stratified_folds(const std::vector<int>& classes, int folds, uint64_t seed,
                                  uint64_t stream) {
  std::map<int, std::vector<size_t>> rows;
  for (size_t i = 0; i < classes.size(); ++i) rows[classes[i]].push_back(i);
  Rng rng(seed, stream);
  std::vector<int> fold(classes.size());
  // Dealing continues across classes, so small classes do not all start in fold 0.
  size_t next = 0;
  for (auto& [c, idx] : rows) {
    for (size_t i = idx.size(); i > 1; --i) std::swap(idx[i - 1], idx[rng.below(i)]);
    for (size_t r : idx) fold[r] = static_cast<int>(next++ % static_cast<size_t>(folds));
  }
  return fold;
}

std::vector<int64_t> sample_indices(size_t n, size_t count, uint64_t seed, uint64_t stream) {
  std::vector<int64_t> idx(n);
  std::iota(idx.begin(), idx.end(), int64_t{0});
  Rng rng(seed, stream);
  keep_random_subset(idx, count, rng);
  return idx;
}

xgb::BoosterParams evaluation_booster(xgb::Objective objective, int num_class, uint64_t seed) {
  xgb::BoosterParams p;
  p.objective = objective;
  p.num_class = num_class;
  p.n_estimators = 100;
  p.learning_rate = 0.1;
  p.max_leaves = 31;
  p.max_depth = 6;
  p.min_child_weight = 1.0;
  p.seed = seed;
  return p;
}

int resolve_threads(int threads) {
  return threads > 0 ? threads : omp_get_max_threads();
}

}  // namespace calm::eval
