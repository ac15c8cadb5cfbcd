// Small helpers shared by every layer above core: integer counts from shares (largest-remainder
// method, Hamilton apportionment), row concatenation of tables with the same columns, and derived
// seeds.
#pragma once

#include <cstdint>
#include <vector>

#include "calm/core/table.hpp"

namespace calm {

// Counts summing to n, proportional to non-negative `weights` (not all zero): floors first, then
// one more for the largest remainders (ties: lower index). A zero weight always gets 0.
std::vector<size_t> largest_remainder(size_t n, const std::vector<double>& weights);

// Rows of `parts` one after the other. Every part has the same column names and storage types
// (InternalError otherwise); categorical dictionaries are merged by label, first seen first.
Table concat_rows(const std::vector<Table>& parts);

// A seed for sub-task `index` of a run with `seed` (SplitMix64 finaliser, Steele et al. 2014), so
// sub-tasks (resampling rounds, per-block and per-class models) never share random streams.
uint64_t derive_seed(uint64_t seed, uint64_t index);

}  // namespace calm
