// Persistence of donor-keeping trees and forests (see decision_tree.hpp, forest.hpp): a tree is
// its node array and its donor ids, written column-wise. Loading validates the structure (child
// ids after their parent, donor ranges inside the donor list, features and donors inside the
// training data) so that sampling from a loaded tree can never index out of bounds.
#include <string>

#include "calm/core/error.hpp"
#include "learn/decision_tree.hpp"
#include "learn/forest.hpp"

namespace calm::tree {

namespace {

constexpr uint64_t kMaxTrees = 1 << 20;  // far above any n_estimators; stops a corrupt count

[[noreturn]] void bad_tree(const std::string& why) {
  throw DataError("corrupt tree in model archive: " + why);
}

}  // namespace

void DecisionTree::save(ArchiveWriter& out) const {
  out.tag("tree");
  std::vector<int32_t> ints;
  std::vector<int64_t> sets;
  std::vector<double> reals;
  ints.reserve(nodes_.size() * 5);
  sets.reserve(nodes_.size() * 4);
  reals.reserve(nodes_.size() * 2);
  for (const TreeNode& n : nodes_) {
    ints.insert(ints.end(), {n.left, n.right, n.feature, n.begin, n.end});
    for (uint64_t w : n.goes_left) sets.push_back(static_cast<int64_t>(w));
    reals.insert(reals.end(), {n.impurity, n.bandwidth});
  }
  out.i32s(ints);
  out.i64s(sets);
  out.f64s(reals);
  out.i32s(donors_);
}

void DecisionTree::load(ArchiveReader& in, size_t rows, size_t cols) {
  in.tag("tree");
  const std::vector<int32_t> ints = in.i32s();
  const std::vector<int64_t> sets = in.i64s();
  const std::vector<double> reals = in.f64s();
  donors_ = in.i32s();
  const size_t k = ints.size() / 5;
  if (k == 0 || ints.size() != 5 * k || sets.size() != 4 * k || reals.size() != 2 * k)
    bad_tree("node arrays of inconsistent sizes");
  for (int32_t d : donors_)
    if (d < 0 || static_cast<size_t>(d) >= rows) bad_tree("donor row out of range");
  nodes_.assign(k, TreeNode{});
  const int32_t n_donors = static_cast<int32_t>(donors_.size());
  for (size_t i = 0; i < k; ++i) {
    TreeNode& n = nodes_[i];
    n.left = ints[5 * i], n.right = ints[5 * i + 1], n.feature = ints[5 * i + 2];
    n.begin = ints[5 * i + 3], n.end = ints[5 * i + 4];
    for (int w = 0; w < 4; ++w) n.goes_left[w] = static_cast<uint64_t>(sets[4 * i + w]);
    n.impurity = reals[2 * i], n.bandwidth = reals[2 * i + 1];
    const int32_t self = static_cast<int32_t>(i), size = static_cast<int32_t>(k);
    if (n.begin < 0 || n.end < n.begin || n.end > n_donors) bad_tree("donor range out of bounds");
    if (n.left >= 0) {
      if (n.left <= self || n.right <= self || n.left >= size || n.right >= size)
        bad_tree("child id out of order");
      if (n.feature < 0 || static_cast<size_t>(n.feature) >= cols)
        bad_tree("split feature out of range");
    } else if (n.begin == n.end) {
      bad_tree("leaf without donors");
    }
  }
}

void Forest::save(ArchiveWriter& out) const {
  out.tag("forest");
  out.u64(trees_.size());
  for (const DecisionTree& t : trees_) t.save(out);
}

void Forest::load(ArchiveReader& in, size_t rows, size_t cols) {
  in.tag("forest");
  const uint64_t n = in.u64();
  if (n > kMaxTrees) bad_tree("impossible tree count " + std::to_string(n));
  trees_.assign(n, DecisionTree{});
  for (DecisionTree& t : trees_) t.load(in, rows, cols);
}

}  // namespace calm::tree
