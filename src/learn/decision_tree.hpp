// A CART decision tree (Breiman, Friedman, Olshen & Stone 1984) grown on pre-binned features,
// that remembers its training rows: every leaf keeps its "donors", the ids of the training rows
// that fell into it. Synthesis draws real values from the donors of the leaf a synthetic row
// reaches (Reiter 2005; synthpop, Nowok et al. 2016), so leaves are never collapsed to a mean.
// Optional minimal cost-complexity pruning (ccp_alpha, Breiman et al. 1984 ch. 3).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "learn/binning.hpp"
#include "learn/split_search.hpp"

namespace calm::tree {

struct TreeParams {
  int max_depth = 0;              // 0 = unlimited
  int64_t min_samples_leaf = 1;   // rows (with bootstrap multiplicity) per leaf, at least
  int64_t min_samples_split = 2;  // rows a node needs to be split
  int max_features = 0;           // features drawn as candidates for each split; 0 = all
  // Minimal cost-complexity pruning: keeps the smallest subtree minimising R(T) + alpha |leaves|,
  // R = total node impurity / training rows. Regression impurity is measured on the target
  // divided by its standard deviation, so one alpha fits columns of any scale.
  double ccp_alpha = 0;
  bool leaf_bandwidth = false;  // regression: keep a kernel bandwidth per leaf (bw.nrd0)
};

struct TreeNode {
  int32_t left = -1, right = -1;  // children; -1 = leaf
  int32_t feature = -1;           // column of the BinnedData the split reads
  int32_t begin = 0, end = 0;     // this node's rows in donors()
  BinSet goes_left{};             // bins routed to the left child (bit 255: missing values)
  double impurity = 0;            // total impurity (rows x Gini, or sum of squared errors)
  double bandwidth = 0;           // leaf kernel bandwidth (raw target units), 0 = no smoothing
};

class DecisionTree {
 public:
  // Grows the tree on the training rows `rows` (ids into x; repeats act as weights) using only
  // the columns in `features`. `rng` draws the per-split candidate features.
  void fit(const BinnedData& x, const std::vector<int>& features, const TreeTarget& target,
           std::vector<int32_t> rows, const TreeParams& params, Rng& rng);

  // The leaf reached by a row given as bin codes of all columns of the BinnedData.
  int32_t leaf(const uint8_t* row) const {
    int32_t i = 0;
    while (nodes_[i].left >= 0) {
      const TreeNode& n = nodes_[i];
      i = goes_left(n.goes_left, row[n.feature]) ? n.left : n.right;
    }
    return i;
  }
  // Keeps the splits and replaces the donors by `rows` routed down the tree (a forest grows each
  // tree on a bootstrap sample, then gives its leaves every training row: see forest.cpp).
  void repopulate(const BinnedData& x, std::vector<int32_t> rows, const TreeTarget& target,
                  bool leaf_bandwidth);

  std::span<const int32_t> donors(int32_t node) const {
    return {donors_.data() + nodes_[node].begin, donors_.data() + nodes_[node].end};
  }
  const TreeNode& node(int32_t i) const { return nodes_[i]; }
  size_t num_nodes() const { return nodes_.size(); }
  size_t num_leaves() const;
  int depth() const;

  // Persistence (tree_archive.cpp). load() checks every index against a BinnedData of `rows` x
  // `cols`, so a corrupt archive fails with a DataError instead of reading out of bounds.
  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in, size_t rows, size_t cols);

 private:
  void prune(double alpha, double total_rows);
  void compact();
  void set_bandwidths(const TreeTarget& target);

  std::vector<TreeNode> nodes_;
  std::vector<int32_t> donors_;
};

}  // namespace calm::tree
