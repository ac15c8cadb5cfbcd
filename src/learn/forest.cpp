// Bootstrap-and-grow loop of the random forest (see forest.hpp).
#include "learn/forest.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace calm::tree {

int MaxFeatures::resolve(int p) const {
  double k = p;
  switch (kind) {
    case Kind::all:
      k = p;
      break;
    case Kind::sqrt:
      k = std::sqrt(static_cast<double>(p));
      break;
    case Kind::log2:
      k = std::log2(static_cast<double>(std::max(p, 1)));
      break;
    case Kind::count:
      k = value;
      break;
    case Kind::fraction:
      k = value * p;
      break;
  }
  return std::clamp(static_cast<int>(k), 1, std::max(p, 1));
}

void Forest::fit(const BinnedData& x, const std::vector<int>& features, const TreeTarget& target,
                 const std::vector<int32_t>& rows, const ForestParams& params, uint64_t seed,
                 uint64_t stream, int threads) {
  // Without features every tree is the root alone: one tree on all rows is the exact marginal.
  const int n_trees = features.empty() ? 1 : std::max(1, params.n_estimators);
  trees_.assign(n_trees, DecisionTree{});
  TreeParams tp = params.tree;
  const int p = static_cast<int>(features.size());
  tp.max_features = params.max_features.resolve(p) >= p ? 0 : params.max_features.resolve(p);
  // Inside an enclosing parallel region (the FCS engine fits columns in parallel) this loop runs
  // on the calling thread.
#pragma omp parallel for schedule(dynamic, 1) \
    num_threads(threads > 0 ? threads : 1) if (n_trees > 1 && !omp_in_parallel())
  for (int t = 0; t < n_trees; ++t) {
    Rng rng(seed, stream + static_cast<uint64_t>(t));
    std::vector<int32_t> sample;
    if (params.bootstrap && !features.empty() && !rows.empty()) {
      sample.resize(rows.size());
      for (auto& r : sample) r = rows[rng.below(rows.size())];
      // Sorted donors read the binned matrix in memory order.
      std::sort(sample.begin(), sample.end());
    } else {
      sample = rows;
    }
    trees_[t].fit(x, features, target, std::move(sample), tp, rng);
    // A bootstrap sample holds ~63% of the distinct rows: its leaves alone would leave the other
    // values out of the synthetic data (penguins rf quality .909). The splits come from the
    // bootstrap, the donors are every training row that reaches the leaf (penguins .955-.961).
    // Every leaf keeps its bootstrap rows, so none is left empty.
    if (params.bootstrap && !features.empty() && !rows.empty())
      trees_[t].repopulate(x, rows, target, tp.leaf_bandwidth);
  }
}

}  // namespace calm::tree
