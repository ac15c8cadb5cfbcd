// Growth, pruning and leaf bookkeeping of the donor-keeping CART tree (see decision_tree.hpp).
#include "learn/decision_tree.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace calm::tree {

namespace {

// Mean and 1/sd of the regression target over the training rows (split gains are computed on the
// standardised target so that epoch-nanosecond datetimes keep their precision).
std::pair<double, double> standardisation(const TreeTarget& t, const std::vector<int32_t>& rows) {
  if (t.num_classes > 0 || rows.empty()) return {0.0, 1.0};
  double mean = 0;
  for (int32_t r : rows) mean += t.values[r];
  mean /= static_cast<double>(rows.size());
  double var = 0;
  for (int32_t r : rows) var += (t.values[r] - mean) * (t.values[r] - mean);
  var /= static_cast<double>(rows.size());
  return {mean, var > 0 ? 1.0 / std::sqrt(var) : 1.0};
}

// Silverman's rule as R's bw.nrd0, which synthpop's smoothing = "density" uses; 0 when the
// values are all equal (a constant leaf is reproduced exactly, not blurred).
double bw_nrd0(std::vector<double>& v) {
  const size_t n = v.size();
  if (n < 2) return 0;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(n);
  double var = 0;
  for (double x : v) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / static_cast<double>(n - 1));
  if (sd <= 0) return 0;
  std::sort(v.begin(), v.end());
  auto quantile = [&](double p) {
    const double h = p * static_cast<double>(n - 1);
    const size_t lo = static_cast<size_t>(h);
    const size_t hi = std::min(lo + 1, n - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  double lo = std::min(sd, (quantile(0.75) - quantile(0.25)) / 1.34);
  if (lo <= 0) lo = sd;
  return 0.9 * lo * std::pow(static_cast<double>(n), -0.2);
}

}  // namespace

void DecisionTree::fit(const BinnedData& x, const std::vector<int>& features,
                       const TreeTarget& target, std::vector<int32_t> rows,
                       const TreeParams& params, Rng& rng) {
  nodes_.clear();
  donors_ = std::move(rows);
  const auto [mean, scale] = standardisation(target, donors_);
  SplitFinder finder(x, target, mean, scale);
  const int S = finder.stat_size();
  const double min_leaf = static_cast<double>(std::max<int64_t>(1, params.min_samples_leaf));
  const double min_split = std::max(static_cast<double>(params.min_samples_split), 2.0 * min_leaf);
  const size_t k_features = params.max_features > 0
                                ? std::min<size_t>(params.max_features, features.size())
                                : features.size();
  std::vector<int> candidates = features;
  std::vector<double> stats(S);

  nodes_.push_back(TreeNode{.begin = 0, .end = static_cast<int32_t>(donors_.size())});
  std::vector<std::pair<int32_t, int>> stack = {{0, 0}};  // (node, depth)
  while (!stack.empty()) {
    auto [id, depth] = stack.back();
    stack.pop_back();
    const int32_t begin = nodes_[id].begin, end = nodes_[id].end;
    const size_t n = static_cast<size_t>(end - begin);
    double sumsq = 0;
    finder.node_stats(donors_.data() + begin, n, stats.data(), &sumsq);
    const double score = finder.score(stats.data());
    nodes_[id].impurity = std::max(0.0, (target.num_classes > 0 ? stats[0] : sumsq) - score);
    if (n == 0 || features.empty() || static_cast<double>(n) < min_split ||
        (params.max_depth > 0 && depth >= params.max_depth) || nodes_[id].impurity <= 1e-12 * n)
      continue;
    if (k_features < features.size()) {
      // Partial Fisher-Yates: the first k_features entries are a uniform draw.
      for (size_t i = 0; i < k_features; ++i)
        std::swap(candidates[i], candidates[i + rng.below(candidates.size() - i)]);
    }
    std::vector<int> use(candidates.begin(), candidates.begin() + k_features);
    const Split split = finder.best(donors_.data() + begin, n, use, stats.data(), min_leaf);
    if (split.feature < 0) continue;
    // Stable partition keeps donor order independent of the std::partition implementation.
    const size_t cols = x.cols;
    auto mid =
        std::stable_partition(donors_.begin() + begin, donors_.begin() + end, [&](int32_t r) {
          return goes_left(split.left, x.codes[static_cast<size_t>(r) * cols + split.feature]);
        });
    const int32_t m = static_cast<int32_t>(mid - donors_.begin());
    const int32_t left = static_cast<int32_t>(nodes_.size());
    nodes_[id].feature = split.feature;
    nodes_[id].goes_left = split.left;
    nodes_[id].left = left;
    nodes_[id].right = left + 1;
    nodes_.push_back(TreeNode{.begin = begin, .end = m});
    nodes_.push_back(TreeNode{.begin = m, .end = end});
    stack.push_back({left + 1, depth + 1});
    stack.push_back({left, depth + 1});
  }
  if (params.ccp_alpha > 0) prune(params.ccp_alpha, static_cast<double>(donors_.size()));
  if (params.leaf_bandwidth && target.num_classes == 0) set_bandwidths(target);
}

void DecisionTree::repopulate(const BinnedData& x, std::vector<int32_t> rows,
                              const TreeTarget& target, bool leaf_bandwidth) {
  donors_ = std::move(rows);
  nodes_[0].begin = 0;
  nodes_[0].end = static_cast<int32_t>(donors_.size());
  // Node ids run parent before child, so one pass in id order partitions every range.
  for (const TreeNode& n : nodes_) {
    if (n.left < 0) continue;
    auto mid =
        std::stable_partition(donors_.begin() + n.begin, donors_.begin() + n.end, [&](int32_t r) {
          return goes_left(n.goes_left, x.codes[static_cast<size_t>(r) * x.cols + n.feature]);
        });
    const auto m = static_cast<int32_t>(mid - donors_.begin());
    nodes_[n.left].begin = n.begin;
    nodes_[n.left].end = m;
    nodes_[n.right].begin = m;
    nodes_[n.right].end = n.end;
  }
  if (leaf_bandwidth && target.num_classes == 0) set_bandwidths(target);
}

// One bottom-up pass: a node becomes a leaf when its own cost R(t) + alpha is no more than the
// best cost of its subtree. Children always have larger ids than their parent.
void DecisionTree::prune(double alpha, double total_rows) {
  std::vector<double> cost(nodes_.size());
  bool pruned = false;
  for (size_t i = nodes_.size(); i-- > 0;) {
    TreeNode& n = nodes_[i];
    const double own = n.impurity / total_rows + alpha;
    if (n.left < 0) {
      cost[i] = own;
    } else if (own <= cost[n.left] + cost[n.right]) {
      n.left = n.right = n.feature = -1;
      cost[i] = own;
      pruned = true;
    } else {
      cost[i] = cost[n.left] + cost[n.right];
    }
  }
  if (pruned) compact();
}

// Drops nodes no longer reachable after pruning (ids stay parent < child).
void DecisionTree::compact() {
  std::vector<TreeNode> kept;
  std::vector<std::pair<int32_t, int32_t>> queue = {{0, -1}};  // (old id, parent slot to patch)
  for (size_t q = 0; q < queue.size(); ++q) {
    auto [old, patch] = queue[q];
    const int32_t now = static_cast<int32_t>(kept.size());
    kept.push_back(nodes_[old]);
    if (patch >= 0) {
      TreeNode& parent = kept[patch >> 1];
      ((patch & 1) ? parent.right : parent.left) = now;
    }
    if (nodes_[old].left >= 0) {
      queue.push_back({nodes_[old].left, now << 1});
      queue.push_back({nodes_[old].right, (now << 1) | 1});
    }
  }
  nodes_ = std::move(kept);
}

void DecisionTree::set_bandwidths(const TreeTarget& target) {
  std::vector<double> v;
  for (TreeNode& n : nodes_) {
    if (n.left >= 0) continue;
    v.clear();
    for (int32_t i = n.begin; i < n.end; ++i) v.push_back(target.values[donors_[i]]);
    n.bandwidth = bw_nrd0(v);
  }
}

size_t DecisionTree::num_leaves() const {
  size_t k = 0;
  for (const auto& n : nodes_) k += n.left < 0;
  return k;
}

int DecisionTree::depth() const {
  std::vector<int> d(nodes_.size(), 0);
  int deepest = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    deepest = std::max(deepest, d[i]);
    if (nodes_[i].left >= 0) d[nodes_[i].left] = d[nodes_[i].right] = d[i] + 1;
  }
  return deepest;
}

}  // namespace calm::tree
