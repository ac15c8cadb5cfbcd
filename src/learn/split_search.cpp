// Histogram split search for the CART trees (see split_search.hpp).
#include "learn/split_search.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace calm::tree {

SplitFinder::SplitFinder(const BinnedData& x, const TreeTarget& target, double mean, double scale)
    : x_(x),
      target_(target),
      mean_(mean),
      scale_(scale),
      stat_size_(target.num_classes > 0 ? target.num_classes + 1 : 2) {
  left_.resize(stat_size_);
  right_.resize(stat_size_);
  tmp_.resize(stat_size_);
}

void SplitFinder::node_stats(const int32_t* rows, size_t n, double* stats, double* sumsq) const {
  std::fill(stats, stats + stat_size_, 0.0);
  *sumsq = 0;
  stats[0] = static_cast<double>(n);
  if (target_.num_classes > 0) {
    for (size_t i = 0; i < n; ++i) stats[1 + target_.labels[rows[i]]] += 1;
  } else {
    for (size_t i = 0; i < n; ++i) {
      double y = scaled(rows[i]);
      stats[1] += y;
      *sumsq += y * y;
    }
  }
}

double SplitFinder::score(const double* s) const {
  if (s[0] <= 0) return 0;
  if (target_.num_classes == 0) return s[1] * s[1] / s[0];
  double q = 0;
  for (int k = 1; k < stat_size_; ++k) q += s[k] * s[k];
  return q / s[0];
}

void SplitFinder::build_histograms(const int32_t* rows, size_t n,
                                   const std::vector<int>& features) {
  const size_t slots = features.size(), width = 256 * static_cast<size_t>(stat_size_);
  if (hist_.size() < slots * width) hist_.assign(slots * width, 0.0);
  occupied_.assign(slots, BinSet{});
  const size_t cols = x_.cols;
  const uint8_t* codes = x_.codes.data();
  for (size_t i = 0; i < n; ++i) {
    const int32_t r = rows[i];
    const uint8_t* rc = codes + static_cast<size_t>(r) * cols;
    if (target_.num_classes > 0) {
      const int k = 1 + target_.labels[r];
      for (size_t s = 0; s < slots; ++s) {
        const uint8_t b = rc[features[s]];
        double* h = hist_.data() + s * width + static_cast<size_t>(b) * stat_size_;
        h[0] += 1;
        h[k] += 1;
        set_bin(occupied_[s], b);
      }
    } else {
      const double y = scaled(r);
      for (size_t s = 0; s < slots; ++s) {
        const uint8_t b = rc[features[s]];
        double* h = hist_.data() + s * width + static_cast<size_t>(b) * 2;
        h[0] += 1;
        h[1] += y;
        set_bin(occupied_[s], b);
      }
    }
  }
}

// Cuts `order` (bins in the order they may be cut) after each position; `missing` (may be null)
// goes to the side that gives the larger gain.
void SplitFinder::scan_order(const std::vector<uint8_t>& order, const double* missing,
                             const double* total, double min_leaf, int feature, Split& best) {
  const int S = stat_size_;
  const double parent = score(total);
  std::fill(left_.begin(), left_.end(), 0.0);
  const bool has_missing = missing && missing[0] > 0;
  const size_t cuts = has_missing ? order.size() : order.size() - 1;
  for (size_t pos = 0; pos < cuts; ++pos) {
    const double* h = cur_ + static_cast<size_t>(order[pos]) * S;
    for (int k = 0; k < S; ++k) left_[k] += h[k];
    for (int side = 0; side < (has_missing ? 2 : 1); ++side) {
      // side 0: missing right; side 1: missing left.
      for (int k = 0; k < S; ++k) {
        tmp_[k] = left_[k] + (side ? missing[k] : 0.0);
        right_[k] = total[k] - tmp_[k];
      }
      if (tmp_[0] < min_leaf || right_[0] < min_leaf) continue;
      const double gain = score(tmp_.data()) + score(right_.data()) - parent;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = feature;
        best.left = BinSet{};
        for (size_t q = 0; q <= pos; ++q) set_bin(best.left, order[q]);
        if (side) set_bin(best.left, kMissingBin);
      }
    }
  }
}

void SplitFinder::scan(int slot, int feature, const double* total, double min_leaf, Split& best) {
  const int S = stat_size_;
  cur_ = hist_.data() + static_cast<size_t>(slot) * 256 * S;
  const BinSet& occ = occupied_[slot];
  order_.clear();
  for (int w = 0; w < 4; ++w)
    for (uint64_t bits = occ[w]; bits; bits &= bits - 1)
      order_.push_back(static_cast<uint8_t>(w * 64 + std::countr_zero(bits)));
  if (x_.binners[feature].categorical()) {
    if (order_.size() >= 2) {
      // Orderings to try: by mean (regression), by class-1 share (two classes), or by the share
      // of each of the node's most frequent classes.
      std::vector<int> keys;
      if (target_.num_classes == 0) {
        keys.push_back(1);
      } else {
        std::vector<std::pair<double, int>> freq;
        for (int k = 1; k < S; ++k)
          if (total[k] > 0) freq.push_back({-total[k], k});
        std::sort(freq.begin(), freq.end());
        const size_t tries = freq.size() <= 2 ? 1 : std::min<size_t>(freq.size(), 4);
        for (size_t t = 0; t < tries; ++t) keys.push_back(freq[t].second);
      }
      for (int key : keys) {
        keyed_.clear();
        for (uint8_t b : order_) {
          const double* h = cur_ + static_cast<size_t>(b) * S;
          keyed_.push_back({h[key] / h[0], b});
        }
        std::sort(keyed_.begin(), keyed_.end());
        std::vector<uint8_t> sorted(keyed_.size());
        for (size_t i = 0; i < keyed_.size(); ++i) sorted[i] = keyed_[i].second;
        scan_order(sorted, nullptr, total, min_leaf, feature, best);
      }
    }
  } else {
    const double* missing = nullptr;
    if (!order_.empty() && order_.back() == kMissingBin) {
      missing = cur_ + static_cast<size_t>(kMissingBin) * S;
      order_.pop_back();
    }
    if (order_.size() >= 2 || (missing && !order_.empty()))
      scan_order(order_, missing, total, min_leaf, feature, best);
  }
  // Leave the histogram zeroed for the next node.
  for (int w = 0; w < 4; ++w)
    for (uint64_t bits = occ[w]; bits; bits &= bits - 1) {
      double* h = hist_.data() + static_cast<size_t>(slot) * 256 * S +
                  static_cast<size_t>(w * 64 + std::countr_zero(bits)) * S;
      std::fill(h, h + S, 0.0);
    }
}

Split SplitFinder::best(const int32_t* rows, size_t n, const std::vector<int>& features,
                        const double* total, double min_leaf) {
  Split best;
  // A split must remove a meaningful share of the impurity, not floating-point noise.
  best.gain = 1e-10 * (std::abs(score(total)) + total[0]);
  build_histograms(rows, n, features);
  for (size_t s = 0; s < features.size(); ++s)
    scan(static_cast<int>(s), features[s], total, min_leaf, best);
  return best;
}

}  // namespace calm::tree
