// Best-split search on histograms of pre-binned features (CART, Breiman et al. 1984, with the
// histogram method of LightGBM/XGBoost "hist"). Impurity: Gini for classification, squared error
// for regression. Numeric features: thresholds between ordered bins, and missing values sent to
// whichever side gives the better impurity (the learned default direction, as in XGBoost).
// Categorical features (missing is one more level): levels ordered by mean target (regression) or
// by the share of a class (Breiman's ordering, exact for two classes; for more classes the
// orderings by the shares of the node's most frequent classes are tried), then cut like a number.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "learn/binning.hpp"

namespace calm::tree {

using BinSet = std::array<uint64_t, 4>;  // bit b set: bin b goes left (bit 255 = missing)

inline bool goes_left(const BinSet& s, uint8_t bin) {
  return (s[bin >> 6] >> (bin & 63)) & 1;
}
inline void set_bin(BinSet& s, uint8_t bin) {
  s[bin >> 6] |= uint64_t{1} << (bin & 63);
}

// What a tree learns from: labels (classification, num_classes > 0) or values (regression).
struct TreeTarget {
  int num_classes = 0;
  const uint8_t* labels = nullptr;  // by row id, each < num_classes
  const double* values = nullptr;   // by row id, never NaN for rows being fitted
};

struct Split {
  double gain = 0;  // decrease of total impurity (weighted by rows)
  int feature = -1;
  BinSet left{};
};

// Sufficient statistics per row set: [count, then one count per class] or [count, sum].
class SplitFinder {
 public:
  SplitFinder(const BinnedData& x, const TreeTarget& target, double mean, double scale);

  int stat_size() const { return stat_size_; }
  // Statistics of rows[0..n) (sum of squares of the scaled target in *sumsq for regression).
  void node_stats(const int32_t* rows, size_t n, double* stats, double* sumsq) const;
  // sum c_k^2 / n (classification) or sum^2 / n (regression): impurity = n - score, sumsq - score.
  double score(const double* stats) const;
  Split best(const int32_t* rows, size_t n, const std::vector<int>& features, const double* total,
             double min_leaf);

 private:
  void build_histograms(const int32_t* rows, size_t n, const std::vector<int>& features);
  void scan(int slot, int feature, const double* total, double min_leaf, Split& best);
  void scan_order(const std::vector<uint8_t>& order, const double* missing, const double* total,
                  double min_leaf, int feature, Split& best);
  double scaled(int32_t row) const { return (target_.values[row] - mean_) * scale_; }

  const BinnedData& x_;
  TreeTarget target_;
  double mean_, scale_;
  int stat_size_;
  std::vector<double> hist_;      // slot-major: 256 bins x stat_size
  std::vector<BinSet> occupied_;  // bins seen in each slot's histogram
  const double* cur_ = nullptr;   // histogram of the feature being scanned
  std::vector<double> left_, right_, tmp_;
  std::vector<uint8_t> order_;
  std::vector<std::pair<double, uint8_t>> keyed_;
};

}  // namespace calm::tree
