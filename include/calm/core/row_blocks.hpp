// The rows of a run are cut into blocks of kRowBlock rows. Block b is sampled with its own seed
// (row_block_seed), so it is the same bytes whichever process, shard or thread count produces it:
// a run of any size can be written block by block in flat memory, split into shards, or continued
// by a stream, and the pieces put together equal the one-process output. A run of at most
// kRowBlock rows is one block sampled with the run's seed.
#pragma once

#include <cstddef>
#include <cstdint>

#include "calm/core/apportion.hpp"
#include "calm/core/rng.hpp"

namespace calm {

inline constexpr size_t kRowBlock = 64 * kSampleChunk;  // 262,144 rows

inline size_t row_block_count(size_t n) {
  return (n + kRowBlock - 1) / kRowBlock;
}
inline size_t row_block_begin(size_t b) {
  return b * kRowBlock;
}
// Rows in block b of a run of n rows.
inline size_t row_block_rows(size_t n, size_t b) {
  const size_t begin = row_block_begin(b);
  return begin >= n ? 0 : (n - begin < kRowBlock ? n - begin : kRowBlock);
}
inline uint64_t row_block_seed(uint64_t seed, size_t b) {
  return b == 0 ? seed : derive_seed(seed, 0xB10C000000ULL + b);
}

// Shard i of k (0-based) of a run of n rows: blocks [first, last), as even as blocks allow.
struct BlockRange {
  size_t first = 0, last = 0;
};
inline BlockRange shard_blocks(size_t n, size_t shard, size_t shards) {
  const size_t blocks = row_block_count(n);
  return {blocks * shard / shards, blocks * (shard + 1) / shards};
}

// The shard that holds block 0 (the first non-empty shard), which writes a CSV header.
inline bool shard_holds_first_block(size_t n, size_t shard, size_t shards) {
  const BlockRange r = shard_blocks(n, shard, shards);
  return r.first == 0 && r.last > 0;
}

}  // namespace calm
