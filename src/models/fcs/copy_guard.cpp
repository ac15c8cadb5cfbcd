// Replicated-unique detection of the FCS engine (see copy_guard.hpp).
#include "models/fcs/copy_guard.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>

namespace calm::fcs {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr uint64_t kMissing = 0x6d697373696e6721ULL;

uint64_t float_hash(double v) {
  return mix(std::bit_cast<uint64_t>(v == 0 ? 0.0 : v));  // -0 == 0
}
uint64_t integer_hash(int64_t v) {
  return mix(static_cast<uint64_t>(v) ^ 0x1);
}

uint64_t value_hash(const Column& c, size_t r) {
  if (c.is_missing(r)) return kMissing;
  switch (c.type) {
    case StorageType::float64:
      return float_hash(c.f64[r]);
    case StorageType::int64:
    case StorageType::datetime:
      return integer_hash(c.i64[r]);
    case StorageType::boolean:
      return mix(uint64_t{c.b[r]} ^ 0x2);
    case StorageType::categorical:
      return mix(static_cast<uint64_t>(static_cast<uint32_t>(c.codes[r])) ^ 0x3);
  }
  return 0;
}

// Order-dependent combination: column j's hash enters at position j.
uint64_t combine(uint64_t h, size_t j, uint64_t v) {
  return mix(h ^ (v + 0x9e3779b97f4a7c15ULL * (j + 1)));
}

}  // namespace

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
