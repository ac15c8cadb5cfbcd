// Replicated-unique detection of the FCS engine (see copy_guard.hpp).
#include "models/fcs/copy_guard.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>

#include "models/fcs/cell_hash.hpp"

namespace calm::fcs {
CopyGuard::CopyGuard(const Table& real, const std::vector<size_t>& columns) {
  const size_t n = real.num_rows();
  for (size_t t : columns) {
    columns_.push_back(&real.column(t));
    value_hash_.emplace_back(n);
    for (size_t r = 0; r < n; ++r) value_hash_.back()[r] = value_hash(*columns_.back(), r);
  }
  row_count_.reserve(n);
  std::vector<uint64_t> row_hash(n);
  for (size_t r = 0; r < n; ++r) {
    uint64_t h = 0;
    for (size_t j = 0; j < columns_.size(); ++j) h = combine(h, j, value_hash_[j][r]);
    row_hash[r] = h;
    ++row_count_[h];
  }
  // The prefix: the two columns with the most distinct values (the most rows told apart).
  std::vector<std::pair<size_t, size_t>> distinct;  // (count, column)
  for (size_t j = 0; j < columns_.size(); ++j) {
    std::vector<uint64_t> v = value_hash_[j];
    std::sort(v.begin(), v.end());
    distinct.emplace_back(static_cast<size_t>(std::unique(v.begin(), v.end()) - v.begin()), j);
  }
  std::sort(distinct.begin(), distinct.end(), std::greater<>());
  for (size_t k = 0; k < std::min<size_t>(2, distinct.size()); ++k)
    prefix_columns_.push_back(distinct[k].second);
  // 16 bits per real row, at least 2^16 bits: few false hits.
  const size_t bits = std::bit_ceil(std::max<size_t>(size_t{1} << 16, 16 * n));
  prefix_bits_.assign(bits / 64, 0);
  prefix_mask_ = bits - 1;
  for (size_t r = 0; r < n; ++r)
    if (row_count_[row_hash[r]] == 1) {
      const uint64_t p = prefix_hash(r);
      prefix_bits_[(p & prefix_mask_) / 64] |= uint64_t{1} << (p % 64);
    }
}

uint64_t CopyGuard::prefix_hash(size_t r) const {
  uint64_t h = 0;
  for (size_t j : prefix_columns_) h = combine(h, j, value_hash_[j][r]);
  return h;
}

uint64_t CopyGuard::number_hash(size_t j, double v) const {
  return columns_[j]->type == StorageType::float64 ? float_hash(v)
                                                   : integer_hash(static_cast<int64_t>(v));
}

uint64_t CopyGuard::cell_hash(const std::vector<std::vector<int32_t>>& donors,
                              const std::vector<std::vector<double>>& smoothed, size_t j,
                              size_t i) const {
  const bool smooth = !smoothed[j].empty() && !std::isnan(smoothed[j][i]);
  return smooth ? number_hash(j, smoothed[j][i])
                : value_hash_[j][static_cast<size_t>(donors[j][i])];
}

std::vector<size_t> CopyGuard::unique_copies(const std::vector<std::vector<int32_t>>& donors,
                                             const std::vector<std::vector<double>>& smoothed,
                                             const std::vector<size_t>& rows) const {
  // Column by column over all rows (one column's hashes in cache at a time): the prefix filter
  // first, the whole row only for the rows that pass it.
  std::vector<uint64_t> h(rows.size(), 0);
  for (size_t j : prefix_columns_)
    for (size_t k = 0; k < rows.size(); ++k)
      h[k] = combine(h[k], j, cell_hash(donors, smoothed, j, rows[k]));
  std::vector<size_t> out;
  for (size_t k = 0; k < rows.size(); ++k) {
    if (!(prefix_bits_[(h[k] & prefix_mask_) / 64] >> (h[k] % 64) & 1)) continue;
    uint64_t full = 0;
    for (size_t j = 0; j < columns_.size(); ++j)
      full = combine(full, j, cell_hash(donors, smoothed, j, rows[k]));
    const auto it = row_count_.find(full);
    if (it != row_count_.end() && it->second == 1) out.push_back(rows[k]);
  }
  return out;
}

}  // namespace calm::fcs
