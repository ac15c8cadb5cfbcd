// Counter-based random numbers (Random123 Philox4x32-10, Salmon et al., SC'11). A stream is
// identified by (seed, stream id); chunk i of a sampling loop draws from stream (seed, i), so
// output for a given random_state is identical whatever the number of threads or processes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace calm {

class Logger;

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream);

  uint32_t next_u32();
  uint64_t next_u64();
  double uniform();            // [0, 1)
  double uniform_open();       // (0, 1)
  double normal();             // N(0, 1), Box-Muller
  uint64_t below(uint64_t n);  // uniform integer in [0, n), unbiased
  double gamma(double shape);  // Marsaglia-Tsang
  double beta(double a, double b);
  // Index drawn from unnormalised non-negative weights (sum must be > 0).
  size_t categorical(const double* cumulative, size_t k);

 private:
  void refill();
  uint32_t key_[2];
  uint32_t ctr_[4];
  uint32_t out_[4];
  int pos_ = 4;
  bool has_spare_ = false;
  double spare_ = 0;
};

// Fixed chunk size of every chunked sampling loop: part of the output's definition, never tuned.
inline constexpr size_t kSampleChunk = 4096;

// Distinct stream ids for the different phases of one run (fit, sample, post ...), so that they
// never share random numbers.
enum class StreamPurpose : uint64_t {
  fit = 1ULL << 60,
  sample = 2ULL << 60,
  post = 3ULL << 60,
  eval = 4ULL << 60,
};
inline uint64_t stream_id(StreamPurpose p, uint64_t index) {
  return static_cast<uint64_t>(p) + index;
}

// Keeps a uniform random subset of `k` of `items`, in ascending order: the first k draws of a
// partial Fisher-Yates shuffle (Knuth, TAOCP vol. 2, 3.4.2), then sorted. Draws nothing and keeps
// every item when k >= items.size().
template <typename T>
void keep_random_subset(std::vector<T>& items, size_t k, Rng& rng) {
  if (k >= items.size()) return;
  for (size_t i = 0; i < k; ++i) std::swap(items[i], items[i + rng.below(items.size() - i)]);
  items.resize(k);
  std::sort(items.begin(), items.end());
}

// Draws a fresh seed from the OS when the user gave none (documented: runs are then not
// repeatable).
uint64_t entropy_seed();
// The seed of a run: `given`, or a fresh entropy_seed() that is logged (info) so the run can be
// repeated. Every entry point that takes an optional seed (generators, injectors) goes through it.
uint64_t seed_or_draw(const std::optional<uint64_t>& given, const Logger* log);

}  // namespace calm
