// Sampling until the output meets requested shares and constraints (the generic route of
// custom_distributions and the reject-and-resample enforcement of constraints,
// docs/constraints.md).
//
// Requested shares of several columns define joint cells whose target counts are the product of
// the marginal shares (the forced columns are made independent of each other), apportioned to n
// rows by largest remainder. Rows are drawn from the fitted model in rounds (round r uses seed
// derive_seed(seed, r), round 0 the run's seed) and kept while their cell is short and they pass
// every constraint: rejection sampling by class (von Neumann 1951), so kept rows keep the model's
// class-conditional distribution of the other columns. A cell the model produces too rarely
// (below 1 row in 200 draws) gets its own model fitted on the real rows of that cell.
#pragma once

#include <functional>
#include <vector>

#include "calm/core/log.hpp"
#include "calm/core/synthesizer.hpp"
#include "calm/post/constraints.hpp"

namespace calm {

// n rows from a fitted model, shaped like the real data; `shares` only for conditioning models.
using RowSource = std::function<Table(size_t n, uint64_t seed, const ColumnShares* shares)>;

struct TargetRequest {
  size_t n = 0;
  uint64_t seed = 0;
  const Table& real;
  std::vector<ColumnShares> shares;  // every requested column
  int conditioned = -1;              // index into shares the source conditions on itself, or -1
  const ConstraintSet& constraints;
  const Logger& log;
  // Fits the method on the given real rows; the per-class fallback.
  std::function<RowSource(const std::vector<int64_t>& rows, uint64_t seed)> fit_subset;
};

// Exactly n rows meeting the cell targets and every constraint; DataError stating the acceptance
// rate when the model cannot produce them within the draw budget (50 rounds or max(100 n, 10000)
// draws).
Table sample_to_targets(const TargetRequest& request, const RowSource& source);

}  // namespace calm
