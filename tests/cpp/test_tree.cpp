// The histogram CART tree and random forest of src/learn: split finding on numeric and
// categorical features, donor bookkeeping, missing-value routing, pruning and determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "calm/core/rng.hpp"
#include "learn/binning.hpp"
#include "learn/decision_tree.hpp"
#include "learn/forest.hpp"

using namespace calm;
using namespace calm::tree;

namespace {

std::vector<int32_t> all_rows(size_t n) {
  std::vector<int32_t> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = static_cast<int32_t>(i);
  return r;
}

BinnedData bin(const std::vector<Column>& cols, const std::vector<bool>& categorical) {
  std::vector<const Column*> p;
  for (const auto& c : cols) p.push_back(&c);
  return BinnedData::build(p, categorical);
}

// Every training row appears in exactly one leaf, as many times as it was given.
void expect_donors_partition(const DecisionTree& t, std::vector<int32_t> rows) {
  std::vector<int32_t> seen;
  for (size_t i = 0; i < t.num_nodes(); ++i)
    if (t.node(static_cast<int32_t>(i)).left < 0)
      for (int32_t r : t.donors(static_cast<int32_t>(i))) seen.push_back(r);
  std::sort(seen.begin(), seen.end());
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(seen, rows);
}

}  // namespace

TEST(Tree, FindsCleanThresholdWithPureLeaves) {
  const size_t n = 1000;
  std::vector<double> x(n), noise(n);
  std::vector<uint8_t> y(n);
  Rng rng(1, 0);
  for (size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>((i * 7919) % n);  // a permutation of 0..999
    noise[i] = rng.uniform();
    y[i] = x[i] >= 600;
  }
  auto data = bin({Column::float64("noise", noise), Column::float64("x", x)}, {false, false});
  DecisionTree t;
  TreeParams p;
  p.max_depth = 1;
  t.fit(data, {0, 1}, TreeTarget{.num_classes = 2, .labels = y.data()}, all_rows(n), p, rng);
  ASSERT_EQ(t.num_leaves(), 2u);
  EXPECT_EQ(t.node(0).feature, 1);
  for (int32_t leaf : {t.node(0).left, t.node(0).right}) {
    auto d = t.donors(leaf);
    ASSERT_FALSE(d.empty());
    for (int32_t r : d) EXPECT_EQ(y[r], y[d[0]]) << "leaf " << leaf << " is not pure";
  }
  // The cut sits between 599 and 600 (quantile bins of 1000 distinct values hold ~4 values each,
  // so the exact cut is only reachable when a bin edge falls there: rows agree with their leaf).
  for (size_t i = 0; i < n; ++i) {
    const int32_t leaf = t.leaf(data.row(i));
    EXPECT_EQ(y[t.donors(leaf)[0]], y[i]);
  }
  expect_donors_partition(t, all_rows(n));
}

TEST(Tree, CategoricalSplitGroupsLevelsByClass) {
  // Class 1 exactly for levels {1, 3, 4, 6}: not an interval of codes, one split with a level set.
  const size_t n = 700;
  std::vector<int32_t> codes(n);
  std::vector<uint8_t> y(n);
  for (size_t i = 0; i < n; ++i) {
    codes[i] = static_cast<int32_t>(i % 7);
    y[i] = codes[i] == 1 || codes[i] == 3 || codes[i] == 4 || codes[i] == 6;
  }
  auto data = bin({Column::categorical("c", codes, {"a", "b", "c", "d", "e", "f", "g"})}, {true});
  DecisionTree t;
  TreeParams p;
  p.max_depth = 1;
  Rng rng(2, 0);
  t.fit(data, {0}, TreeTarget{.num_classes = 2, .labels = y.data()}, all_rows(n), p, rng);
  ASSERT_EQ(t.num_leaves(), 2u);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(y[t.donors(t.leaf(data.row(i)))[0]], y[i]);
}

TEST(Tree, UnlimitedDepthGivesPureLeavesOnSeparableData) {
  const size_t n = 2000;
  std::vector<double> a(n), b(n);
  std::vector<uint8_t> y(n);
  Rng rng(3, 0);
  for (size_t i = 0; i < n; ++i) {
    a[i] = std::floor(rng.uniform() * 20);
    b[i] = std::floor(rng.uniform() * 20);
    y[i] = static_cast<uint8_t>((static_cast<int>(a[i]) / 5 + static_cast<int>(b[i]) / 4) % 3);
  }
  auto data = bin({Column::float64("a", a), Column::float64("b", b)}, {false, false});
  DecisionTree t;
  t.fit(data, {0, 1}, TreeTarget{.num_classes = 3, .labels = y.data()}, all_rows(n), TreeParams{},
        rng);
  for (size_t i = 0; i < t.num_nodes(); ++i) {
    if (t.node(static_cast<int32_t>(i)).left >= 0) continue;
    auto d = t.donors(static_cast<int32_t>(i));
    for (int32_t r : d) ASSERT_EQ(y[r], y[d[0]]);
  }
  expect_donors_partition(t, all_rows(n));
}

TEST(Tree, MissingValuesGoToTheBetterSide) {
  // y = 1 when x > 800 or x is missing: the best depth-1 tree sends missing with the high values.
  const size_t n = 1200;
  std::vector<double> x(n);
  std::vector<uint8_t> y(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = i % 6 == 0 ? std::nan("") : static_cast<double>(i % 100) * 10;  // exact bins
    y[i] = std::isnan(x[i]) || x[i] > 800;
  }
  auto data = bin({Column::float64("x", x)}, {false});
  DecisionTree t;
  TreeParams p;
  p.max_depth = 1;
  Rng rng(4, 0);
  t.fit(data, {0}, TreeTarget{.num_classes = 2, .labels = y.data()}, all_rows(n), p, rng);
  ASSERT_EQ(t.num_leaves(), 2u);
  const uint8_t missing_row[1] = {kMissingBin};
  const int32_t leaf = t.leaf(missing_row);
  for (int32_t r : t.donors(leaf)) EXPECT_EQ(y[r], 1);
  // And the other way round: missing with the low values when they are the ones with y = 0.
  for (size_t i = 0; i < n; ++i) y[i] = !std::isnan(x[i]) && x[i] > 800;
  t.fit(data, {0}, TreeTarget{.num_classes = 2, .labels = y.data()}, all_rows(n), p, rng);
  for (int32_t r : t.donors(t.leaf(missing_row))) EXPECT_EQ(y[r], 0);
}

TEST(Tree, CostComplexityPruningShrinksTheTree) {
  const size_t n = 3000;
  std::vector<double> x(n), v(n);
  Rng rng(5, 0);
  for (size_t i = 0; i < n; ++i) {
    x[i] = rng.uniform();
    v[i] = (x[i] > 0.5 ? 3.0 : 0.0) + rng.normal();
  }
  auto data = bin({Column::float64("x", x)}, {false});
  TreeParams p;
  p.min_samples_leaf = 5;
  DecisionTree full, pruned, stump;
  const TreeTarget target{.values = v.data()};
  full.fit(data, {0}, target, all_rows(n), p, rng);
  p.ccp_alpha = 0.002;
  pruned.fit(data, {0}, target, all_rows(n), p, rng);
  p.ccp_alpha = 10;
  stump.fit(data, {0}, target, all_rows(n), p, rng);
  EXPECT_GT(full.num_leaves(), 50u);
  EXPECT_LT(pruned.num_leaves(), full.num_leaves() / 5);
  EXPECT_GE(pruned.num_leaves(), 2u);  // the real step at 0.5 survives
  EXPECT_EQ(stump.num_leaves(), 1u);
  expect_donors_partition(pruned, all_rows(n));
  // The surviving first split is the real step.
  ASSERT_GE(pruned.node(0).left, 0);
  const double lo = x[pruned.donors(pruned.node(0).left).back()];
  EXPECT_NEAR(lo, 0.5, 0.05);
}

TEST(Tree, RegressionLeavesKeepBandwidths) {
  const size_t n = 500;
  std::vector<double> x(n), v(n);
  Rng rng(6, 0);
  for (size_t i = 0; i < n; ++i) x[i] = rng.uniform(), v[i] = 10 * x[i] + rng.normal();
  auto data = bin({Column::float64("x", x)}, {false});
  TreeParams p;
  p.min_samples_leaf = 50;
  p.leaf_bandwidth = true;
  DecisionTree t;
  t.fit(data, {0}, TreeTarget{.values = v.data()}, all_rows(n), p, rng);
  ASSERT_GT(t.num_leaves(), 2u);
  for (size_t i = 0; i < t.num_nodes(); ++i)
    if (t.node(static_cast<int32_t>(i)).left < 0) {
      EXPECT_GT(t.node(static_cast<int32_t>(i)).bandwidth, 0.05);
      EXPECT_LT(t.node(static_cast<int32_t>(i)).bandwidth, 2.0);
    }
}

TEST(Forest, SameSeedSameForestWhateverTheThreads) {
  const size_t n = 3000;
  std::vector<double> a(n), b(n), c(n), v(n);
  Rng rng(7, 0);
  for (size_t i = 0; i < n; ++i) {
    a[i] = rng.normal(), b[i] = rng.normal(), c[i] = rng.uniform();
    v[i] = a[i] * b[i] + c[i];
  }
  auto data = bin({Column::float64("a", a), Column::float64("b", b), Column::float64("c", c)},
                  {false, false, false});
  ForestParams fp;
  fp.n_estimators = 6;
  fp.bootstrap = true;
  fp.max_features = {MaxFeatures::Kind::sqrt, 0};
  fp.tree.min_samples_leaf = 5;
  Forest f1, f2, f3;
  const TreeTarget target{.values = v.data()};
  f1.fit(data, {0, 1, 2}, target, all_rows(n), fp, 99, 0, 1);
  f2.fit(data, {0, 1, 2}, target, all_rows(n), fp, 99, 0, 2);
  f3.fit(data, {0, 1, 2}, target, all_rows(n), fp, 100, 0, 2);
  bool any_difference_with_other_seed = false;
  for (size_t t = 0; t < 6; ++t) {
    const auto &t1 = f1.trees()[t], &t2 = f2.trees()[t], &t3 = f3.trees()[t];
    ASSERT_EQ(t1.num_nodes(), t2.num_nodes());
    for (size_t i = 0; i < n; ++i) {
      const int32_t l1 = t1.leaf(data.row(i)), l2 = t2.leaf(data.row(i));
      ASSERT_EQ(l1, l2);
      ASSERT_TRUE(std::ranges::equal(t1.donors(l1), t2.donors(l2)));
      any_difference_with_other_seed |= t1.num_nodes() != t3.num_nodes();
    }
  }
  EXPECT_TRUE(any_difference_with_other_seed);
  // Trees differ from each other (bootstrap + feature sampling).
  EXPECT_NE(f1.trees()[0].num_nodes() * 1000 + f1.trees()[0].depth(),
            f1.trees()[1].num_nodes() * 1000 + f1.trees()[1].depth());
}

TEST(Binning, QuantileBinsAreBalancedAndMonotone) {
  const size_t n = 10000;
  std::vector<double> v(n);
  Rng rng(8, 0);
  for (auto& x : v) x = std::exp(rng.normal());
  const auto b = FeatureBinner::fit(Column::float64("v", v), false);
  EXPECT_EQ(b.num_bins(), kMaxBins);
  std::vector<size_t> count(256, 0);
  for (double x : v) ++count[b.bin(x)];
  for (int k = 0; k < b.num_bins(); ++k) EXPECT_NEAR(count[k], n / 255.0, 3);
  EXPECT_LE(b.bin(0.5), b.bin(0.6));
  EXPECT_EQ(b.bin(std::nan("")), kMissingBin);
  EXPECT_EQ(b.bin(1e9), b.num_bins() - 1);
}
