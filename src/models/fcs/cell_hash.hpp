// 64-bit hashes of table cells and rows, shared by the FCS family's copy detectors
// (copy_guard.hpp: donor-based; unique_rows.hpp: value-based): splitmix64's finaliser over each
// cell's storage bits (-0 as 0, every missing cell alike), combined position by position.
#pragma once

#include <bit>
#include <cstdint>

#include "calm/core/table.hpp"

namespace calm::fcs {

inline uint64_t mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline constexpr uint64_t kMissing = 0x6d697373696e6721ULL;

inline uint64_t float_hash(double v) {
  return mix(std::bit_cast<uint64_t>(v == 0 ? 0.0 : v));  // -0 == 0
}
inline uint64_t integer_hash(int64_t v) {
  return mix(static_cast<uint64_t>(v) ^ 0x1);
}

inline uint64_t value_hash(const Column& c, size_t r) {
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
inline uint64_t combine(uint64_t h, size_t j, uint64_t v) {
  return mix(h ^ (v + 0x9e3779b97f4a7c15ULL * (j + 1)));
}

}  // namespace calm::fcs
