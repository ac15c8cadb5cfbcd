// Privacy metrics (src/eval/privacy*.cpp): the HEOM distance on hand-built rows, the two extreme
// cases (synthetic = copy of the training rows; synthetic = fresh draws from the same
// distribution), missing values, NNDR ties, the seeded split and its argument checks.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/eval/privacy.hpp"

using namespace calm;

namespace {

// Three numerics, one 4-level categorical with a different dictionary order per draw, 2% missing.
Table draw_table(size_t n, uint64_t seed) {
  Rng rng(seed, 0);
  std::vector<double> a(n), b(n), c(n);
  std::vector<int32_t> codes(n);
  for (size_t i = 0; i < n; ++i) {
    a[i] = rng.normal();
    b[i] = rng.uniform() * 100;
    c[i] = a[i] + 0.5 * rng.normal();
    codes[i] = static_cast<int32_t>(rng.below(4));
    if (rng.uniform() < 0.02) b[i] = std::nan("");
  }
  std::vector<std::string> dict = {"w", "x", "y", "z"};
  if (seed % 2) {  // same values, other codes: the metric must compare by value
    std::reverse(dict.begin(), dict.end());
    for (auto& k : codes) k = 3 - k;
  }
  return Table({Column::float64("a", a), Column::float64("b", b), Column::float64("c", c),
                Column::categorical("k", codes, dict)});
}

}  // namespace

TEST(Privacy, CopiesOfTheTrainingRowsHaveZeroDistanceAndFullCopyRate) {
  const Table real = draw_table(2500, 1);
  const auto [train, holdout] = split_for_privacy(real, 0.2, 7);
  const PrivacyReport r = evaluate_privacy(train, holdout, train, infer_schema(real));
  EXPECT_DOUBLE_EQ(r.exact_copy_rate, 1.0);
  EXPECT_DOUBLE_EQ(r.dcr_synthetic_median, 0.0);
  EXPECT_DOUBLE_EQ(r.dcr_synthetic_mean, 0.0);
  EXPECT_GT(r.dcr_holdout_median, 0.01);  // continuous data: a new row is never a copy
  ASSERT_TRUE(r.dcr_ratio.has_value());
  EXPECT_DOUBLE_EQ(*r.dcr_ratio, 0.0);
  EXPECT_DOUBLE_EQ(r.holdout_exact_copy_rate, 0.0);
  EXPECT_EQ(r.interpretation.rfind("high risk", 0), 0u) << r.interpretation;
}

TEST(Privacy, FreshDrawsLookLikeTheHoldout) {
  const Table real = draw_table(4000, 2);
  const auto [train, holdout] = split_for_privacy(real, 0.25, 3);
  const Table synthetic = draw_table(3000, 5);  // odd seed: reversed dictionary
  const PrivacyReport r = evaluate_privacy(train, holdout, synthetic, infer_schema(real));
  ASSERT_TRUE(r.dcr_ratio.has_value());
  EXPECT_EQ(r.dcr_ratio_basis, "median");
  // 1000 hold-out and 3000 synthetic medians of the same distribution: within 15%.
  EXPECT_NEAR(*r.dcr_ratio, 1.0, 0.15);
  EXPECT_NEAR(r.share_below_holdout_p5, 0.05, 0.03);
  EXPECT_NEAR(r.nndr_synthetic_median, r.nndr_holdout_median, 0.1);
  EXPECT_DOUBLE_EQ(r.exact_copy_rate, 0.0);
  EXPECT_EQ(r.interpretation.rfind("low risk", 0), 0u) << r.interpretation;
  EXPECT_EQ(r.dcr_synthetic.size(), 3000u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"a", "b", "c", "k"}));
}

TEST(Privacy, MixedTypeDistanceIsRangeScaledNumericPlusCategoryMismatch) {
  // Training rows: x in {0, 10} (range 10), k in {p, q}. The synthetic row (5, r) is 0.5 from
  // both on x and mismatches both on k: DCR = sqrt(0.25 + 1), and the two neighbours tie (NNDR 1).
  const Table train({Column::float64("x", {0, 10}), Column::categorical("k", {0, 1}, {"p", "q"})});
  const Table holdout(
      {Column::float64("x", {10}), Column::categorical("k", {0}, {"q"})});  // copies row 2
  const Table synthetic({Column::float64("x", {5}), Column::categorical("k", {0}, {"r"})});
  const Schema schema = infer_schema(train);
  const PrivacyReport r = evaluate_privacy(train, holdout, synthetic, schema);
  EXPECT_NEAR(r.dcr_synthetic[0], std::sqrt(1.25), 1e-12);
  EXPECT_NEAR(r.nndr_synthetic[0], 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.dcr_holdout[0], 0.0);
  EXPECT_DOUBLE_EQ(r.holdout_exact_copy_rate, 1.0);
  EXPECT_FALSE(r.dcr_ratio.has_value());  // no distance baseline
  EXPECT_TRUE(to_json(r)["dcr_ratio"].is_null());
}

TEST(Privacy, MissingMatchesMissingAndCostsOneAgainstAValue) {
  const double nan = std::nan("");
  // x range 4 over {0, 4}, median taken as 4 (upper middle of two): a missing x sits at 1.0
  // plus an indicator; a missing synthetic x is at distance 0 from the missing training row.
  const Table train({Column::float64("x", {0, 4, nan})});
  const Table holdout({Column::float64("x", {4})});
  const Table synthetic({Column::float64("x", {nan, 0})});
  const PrivacyReport r = evaluate_privacy(train, holdout, synthetic, infer_schema(train));
  EXPECT_DOUBLE_EQ(r.dcr_synthetic[0], 0.0);
  EXPECT_DOUBLE_EQ(r.dcr_synthetic[1], 0.0);
  EXPECT_DOUBLE_EQ(r.exact_copy_rate, 1.0);  // missing equals missing in the copy check too
  // Second neighbour of the missing synthetic row: x = 4 (fill 1.0, indicator 1 -> distance 1).
  EXPECT_NEAR(r.nndr_synthetic[0], 0.0, 1e-12);
}

TEST(Privacy, SplitIsSeededDisjointAndChecked) {
  const Table real({Column::int64("i", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})});
  const auto [train, hold] = split_for_privacy(real, 0.3, 11);
  EXPECT_EQ(train.num_rows(), 7u);
  EXPECT_EQ(hold.num_rows(), 3u);
  std::set<int64_t> seen;
  for (const Table* t : {&train, &hold})
    for (size_t i = 0; i < t->num_rows(); ++i) seen.insert(t->column("i").i64[i]);
  EXPECT_EQ(seen.size(), 10u);
  const auto [train2, hold2] = split_for_privacy(real, 0.3, 11);
  EXPECT_EQ(hold2.column("i").i64, hold.column("i").i64);
  EXPECT_THROW(split_for_privacy(real, 0.0, 1), InvalidArgument);
  EXPECT_THROW(split_for_privacy(real, 1.0, 1), InvalidArgument);
  EXPECT_THROW(split_for_privacy(real, 0.01, 1), DataError);
}
