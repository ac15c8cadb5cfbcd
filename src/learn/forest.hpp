// A random forest of donor-keeping CART trees (Breiman 2001): each tree sees a bootstrap sample of
// the rows and draws max_features candidate features at every split. A single tree without
// bootstrap and with all features is plain CART, so the FCS synthesizers use this one learner.
// Trees are fitted in parallel, each from its own Philox stream, so a forest is the same for any
// thread count.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "calm/core/rng.hpp"
#include "learn/decision_tree.hpp"

namespace calm::tree {

// How many candidate features per split: all, sqrt(p), log2(p), a count or a fraction of p.
struct MaxFeatures {
  enum class Kind { all, sqrt, log2, count, fraction } kind = Kind::all;
  double value = 0;
  int resolve(int p) const;
};

struct ForestParams {
  int n_estimators = 1;
  bool bootstrap = false;
  MaxFeatures max_features;
  TreeParams tree;  // tree.max_features is set from max_features for each fit
};

// One draw from the model: a training row and the kernel bandwidth of its leaf.
struct Donor {
  int32_t row = -1;
  double bandwidth = 0;
};

// A leaf of one tree of a forest.
struct LeafRef {
  int32_t tree = 0, leaf = 0;
};

class Forest {
 public:
  // `stream` identifies this forest's random numbers: tree t uses Philox stream (seed, stream + t).
  void fit(const BinnedData& x, const std::vector<int>& features, const TreeTarget& target,
           const std::vector<int32_t>& rows, const ForestParams& params, uint64_t seed,
           uint64_t stream, int threads);

  // The leaf the row reaches in one tree chosen uniformly (no draw for a single tree).
  LeafRef locate(const uint8_t* row, Rng& rng) const {
    const int32_t t = trees_.size() == 1 ? 0 : static_cast<int32_t>(rng.below(trees_.size()));
    return {t, trees_[t].leaf(row)};
  }
  std::span<const int32_t> donors(LeafRef r) const { return trees_[r.tree].donors(r.leaf); }
  double bandwidth(LeafRef r) const { return trees_[r.tree].node(r.leaf).bandwidth; }
  bool empty() const { return trees_.empty(); }
  const std::vector<DecisionTree>& trees() const { return trees_; }

  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in, size_t rows, size_t cols);

 private:
  std::vector<DecisionTree> trees_;
};

}  // namespace calm::tree
