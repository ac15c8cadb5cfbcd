// Pre-binned features for histogram tree learning (the LightGBM / XGBoost "hist" idea, Ke et al.
// 2017): every column is cut once into at most 255 bins — quantile bins for numbers, one bin per
// level for categories — and all trees share the resulting row-major uint8 matrix. Bin 255 always
// means "missing", so a split is one 256-bit set of the bins that go left.
#pragma once

#include <cstdint>
#include <vector>

#include "calm/core/table.hpp"

namespace calm::tree {

inline constexpr int kMaxBins = 255;         // real bins are 0..254
inline constexpr uint8_t kMissingBin = 255;  // every missing value

// Maps one column's values (Column::numeric encoding) to bins.
class FeatureBinner {
 public:
  // Numeric: bins hold about equal numbers of rows; a column with at most `max_bins` distinct
  // values gets one bin per value. Categorical: one bin per level, the max_bins-1 most frequent
  // levels keep their own bin and the rest share the last one.
  static FeatureBinner fit(const Column& col, bool categorical, int max_bins = kMaxBins);

  uint8_t bin(double value) const;  // NaN -> kMissingBin
  bool categorical() const { return categorical_; }
  int num_bins() const { return num_bins_; }

 private:
  bool categorical_ = false;
  int num_bins_ = 0;
  std::vector<double> upper_;       // numeric: largest value of each bin, ascending
  std::vector<double> levels_;      // categorical: levels with their own bin, ascending
  std::vector<uint8_t> level_bin_;  // bin of levels_[i]
  uint8_t other_bin_ = 0;           // categorical: bin of levels without their own
};

// Bin codes of a set of columns for every row, row-major (one row's features share a cache line).
struct BinnedData {
  size_t rows = 0, cols = 0;
  std::vector<uint8_t> codes;
  std::vector<FeatureBinner> binners;

  const uint8_t* row(size_t r) const { return codes.data() + r * cols; }
  uint8_t at(size_t r, size_t c) const { return codes[r * cols + c]; }

  static BinnedData build(const std::vector<const Column*>& columns,
                          const std::vector<bool>& categorical, int threads = 1);
};

}  // namespace calm::tree
