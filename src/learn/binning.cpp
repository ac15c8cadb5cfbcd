// Quantile / level binning of columns for the histogram trees (see binning.hpp).
#include "learn/binning.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace calm::tree {

static std::vector<double> present_values(const Column& col) {
  std::vector<double> v;
  v.reserve(col.size());
  for (size_t i = 0; i < col.size(); ++i)
    if (!col.is_missing(i)) v.push_back(col.numeric(i));
  return v;
}

FeatureBinner FeatureBinner::fit(const Column& col, bool categorical, int max_bins) {
  FeatureBinner b;
  b.categorical_ = categorical;
  max_bins = std::clamp(max_bins, 2, kMaxBins);
  std::vector<double> v = present_values(col);
  std::sort(v.begin(), v.end());
  if (categorical) {
    std::vector<std::pair<double, size_t>> counts;  // (level, rows)
    for (size_t i = 0; i < v.size(); ++i) {
      if (counts.empty() || counts.back().first != v[i]) counts.push_back({v[i], 0});
      ++counts.back().second;
    }
    const size_t own = counts.size() <= static_cast<size_t>(max_bins)
                           ? counts.size()
                           : static_cast<size_t>(max_bins) - 1;
    // The most frequent levels keep their own bin; ties broken by level so the result is unique.
    std::stable_sort(counts.begin(), counts.end(),
                     [](const auto& a, const auto& c) { return a.second > c.second; });
    counts.resize(own);
    std::sort(counts.begin(), counts.end());
    for (size_t i = 0; i < counts.size(); ++i) {
      b.levels_.push_back(counts[i].first);
      b.level_bin_.push_back(static_cast<uint8_t>(i));
    }
    b.other_bin_ = static_cast<uint8_t>(std::min(own, static_cast<size_t>(max_bins) - 1));
    b.num_bins_ = static_cast<int>(own) + (own < static_cast<size_t>(max_bins) ? 1 : 0);
    return b;
  }
  std::vector<double> distinct = v;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() <= static_cast<size_t>(max_bins)) {
    b.upper_ = std::move(distinct);
  } else {
    // Cut at the k/max_bins quantiles; equal quantiles (heavy ties) merge into one bin.
    for (int k = 1; k <= max_bins; ++k) {
      size_t idx = (static_cast<size_t>(k) * v.size()) / static_cast<size_t>(max_bins);
      double u = v[std::min(idx, v.size()) - 1];
      if (b.upper_.empty() || u > b.upper_.back()) b.upper_.push_back(u);
    }
  }
  if (b.upper_.empty()) b.upper_.push_back(0.0);  // all missing: one empty bin
  b.num_bins_ = static_cast<int>(b.upper_.size());
  return b;
}

uint8_t FeatureBinner::bin(double value) const {
  if (std::isnan(value)) return kMissingBin;
  if (categorical_) {
    auto it = std::lower_bound(levels_.begin(), levels_.end(), value);
    if (it != levels_.end() && *it == value) return level_bin_[it - levels_.begin()];
    return other_bin_;
  }
  auto it = std::lower_bound(upper_.begin(), upper_.end(), value);
  if (it == upper_.end()) --it;  // above the largest real value: the top bin
  return static_cast<uint8_t>(it - upper_.begin());
}

BinnedData BinnedData::build(const std::vector<const Column*>& columns,
                             const std::vector<bool>& categorical, int threads) {
  BinnedData d;
  d.cols = columns.size();
  d.rows = columns.empty() ? 0 : columns[0]->size();
  d.codes.assign(d.rows * d.cols, kMissingBin);
  d.binners.resize(d.cols);
  const int64_t cols = static_cast<int64_t>(d.cols);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
  for (int64_t c = 0; c < cols; ++c) {
    const Column& col = *columns[c];
    d.binners[c] = FeatureBinner::fit(col, categorical[c]);
    for (size_t r = 0; r < d.rows; ++r) d.codes[r * d.cols + c] = d.binners[c].bin(col.numeric(r));
  }
  return d;
}

}  // namespace calm::tree
