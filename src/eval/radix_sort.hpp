// Ascending LSD radix sort of 64-bit keys (Knuth, TAOCP vol. 3, 5.2.5) with order-preserving
// key maps for doubles and int64, so the Kolmogorov-Smirnov merge can run on one key type.
// 11-bit digits, 6 passes at most; a digit that is the same in every key costs no pass.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace calm::eval {

// a < b  <=>  order_key(a) < order_key(b), and equal values get equal keys (-0.0 == 0.0).
// Not for NaN.
inline uint64_t order_key(double v) {
  if (v == 0) v = 0.0;
  const uint64_t bits = std::bit_cast<uint64_t>(v);
  constexpr uint64_t kSign = uint64_t{1} << 63;
  return (bits & kSign) ? ~bits : bits | kSign;
}
inline uint64_t order_key(int64_t v) {
  return static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
}

void radix_sort(std::vector<uint64_t>& keys);

}  // namespace calm::eval
