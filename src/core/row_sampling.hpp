// Machinery shared by methods that sample row by row: the deterministic chunk loop (chunk i draws
// from Philox stream (seed, i), so results do not depend on the thread count) and grouping of rows
// by the value of one column.
#pragma once

#include <omp.h>

#include <vector>

#include "calm/core/rng.hpp"
#include "calm/core/synthesizer.hpp"

namespace calm {

// Calls fn(rng, begin, end) for each chunk of kSampleChunk rows of [0, n), in parallel.
template <typename Fn>
void for_each_chunk(size_t n, const SampleContext& ctx, Fn&& fn,
                    StreamPurpose purpose = StreamPurpose::sample) {
  const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
#pragma omp parallel for schedule(dynamic, 1) num_threads(ctx.threads > 0 ? ctx.threads : 1)
  for (size_t c = 0; c < chunks; ++c) {
    Rng rng(ctx.seed, stream_id(purpose, c));
    fn(rng, c * kSampleChunk, std::min(n, (c + 1) * kSampleChunk));
  }
}

// For each value in `values` (Column::numeric encoding), the rows of `col` holding it.
std::vector<std::vector<int64_t>> group_rows_by_value(const Column& col,
                                                      const std::vector<double>& values);

}  // namespace calm
