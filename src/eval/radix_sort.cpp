// LSD radix sort (see radix_sort.hpp): one counting pass for all digits, then one stable scatter
// per digit that varies.
#include "eval/radix_sort.hpp"

#include <algorithm>
#include <array>

namespace calm::eval {

void radix_sort(std::vector<uint64_t>& keys) {
  constexpr int kBits = 11, kPasses = 6;
  constexpr size_t kBuckets = size_t{1} << kBits;
  const size_t n = keys.size();
  if (n < 256) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  std::vector<std::array<size_t, kBuckets>> count(kPasses);
  for (auto& c : count) c.fill(0);
  for (uint64_t k : keys)
    for (int p = 0; p < kPasses; ++p) ++count[p][(k >> (p * kBits)) & (kBuckets - 1)];
  std::vector<uint64_t> buffer(n);
  for (int p = 0; p < kPasses; ++p) {
    auto& c = count[p];
    if (*std::max_element(c.begin(), c.end()) == n) continue;  // digit constant: order kept
    size_t sum = 0;
    for (auto& x : c) {
      const size_t here = x;
      x = sum;
      sum += here;
    }
    const int shift = p * kBits;
    for (uint64_t k : keys) buffer[c[(k >> shift) & (kBuckets - 1)]++] = k;
    keys.swap(buffer);
  }
}

}  // namespace calm::eval
