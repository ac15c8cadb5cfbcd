// Replicated-unique detection of the FCS engine (see copy_guard.hpp).
#include "models/fcs/copy_guard.hpp"

#include <bit>
#include <cmath>

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
  for (size_t r = 0; r < n; ++r) {
    uint64_t h = 0;
    for (size_t j = 0; j < columns_.size(); ++j) h = combine(h, j, value_hash_[j][r]);
    ++row_count_[h];
  }
}

uint64_t CopyGuard::number_hash(size_t j, double v) const {
  return columns_[j]->type == StorageType::float64 ? float_hash(v)
                                                   : integer_hash(static_cast<int64_t>(v));
}

bool CopyGuard::copies_unique(const std::vector<std::vector<int32_t>>& donors,
                              const std::vector<std::vector<double>>& smoothed, size_t i) const {
  uint64_t h = 0;
  for (size_t j = 0; j < columns_.size(); ++j) {
    const bool smooth = !smoothed[j].empty() && !std::isnan(smoothed[j][i]);
    h = combine(h, j,
                smooth ? number_hash(j, smoothed[j][i])
                       : value_hash_[j][static_cast<size_t>(donors[j][i])]);
  }
  const auto it = row_count_.find(h);
  return it != row_count_.end() && it->second == 1;
}

}  // namespace calm::fcs
