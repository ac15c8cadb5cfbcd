// Privacy metrics (src/eval/privacy*.cpp): the HEOM distance on hand-built rows, the two extreme
// cases (synthetic = copy of the training rows; synthetic = fresh draws from the same
// distribution), missing values, NNDR ties, the seeded split and its argument checks.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "calm/calm.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/eval/privacy.hpp"
#include "eval/nearest_two.hpp"
#include "eval/privacy_space.hpp"

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

// The blocked search (float products for candidates, exact double re-measurement) returns the
// exact nearest and second-nearest distances of a plain double loop, ties and duplicates
// included, whatever the thread count.
TEST(PrivacySearch, BlockedSearchEqualsTheExactLoop) {
  Rng rng(5, 0);
  const size_t dim = 23, n_ref = 5000, n_query = 700;
  std::vector<double> ref(n_ref * dim), query(n_query * dim);
  for (double& x : ref) x = std::floor(rng.uniform() * 4) / 4;  // coarse grid: many ties
  for (size_t i = 0; i < 50; ++i)                               // duplicated reference rows
    std::copy_n(ref.begin() + static_cast<std::ptrdiff_t>(i * dim), dim,
                ref.begin() + static_cast<std::ptrdiff_t>((n_ref - 1 - i) * dim));
  for (size_t i = 0; i < n_query * dim; ++i)
    query[i] = i < 100 * dim ? ref[i] : std::floor(rng.uniform() * 4) / 4 + 1e-3 * rng.normal();
  const eval::NearestTwo one = eval::nearest_two(ref, query, dim, 1);
  const eval::NearestTwo two = eval::nearest_two(ref, query, dim, 2);
  EXPECT_EQ(one.nearest, two.nearest);
  EXPECT_EQ(one.second, two.second);
  const eval::NearestTwo baseline = eval::generic::nearest_two(ref, query, dim, 2);
  EXPECT_EQ(one.nearest, baseline.nearest);  // the AVX2 build (when it ran) and the baseline agree
  EXPECT_EQ(one.second, baseline.second);
  for (size_t q = 0; q < n_query; ++q) {
    double first = INFINITY, second = INFINITY;
    for (size_t r = 0; r < n_ref; ++r) {
      double s = 0;
      for (size_t j = 0; j < dim; ++j) {
        const double d = query[q * dim + j] - ref[r * dim + j];
        s += d * d;
      }
      if (s < first) {
        second = first;
        first = s;
      } else if (s < second) {
        second = s;
      }
    }
    ASSERT_EQ(one.nearest[q], std::sqrt(first)) << q;
    ASSERT_EQ(one.second[q], std::sqrt(second)) << q;
  }
  EXPECT_EQ(one.nearest[0], 0.0);  // a query that copies a reference row
}

// The default budget (4,000 queried rows per side, 50,000 training rows) against the former
// exact search (20,000 queried rows, every training row) on real tables and cart's synthetic
// rows. Tolerance stated to users: DCR medians within 5% (or 3 bootstrap standard errors), the
// DCR ratio within 0.05, the share below the hold-out's 5th percentile within 0.02, NNDR medians
// within 0.03; exact-copy rates are counted on every row in both and must be equal.
TEST(PrivacyBudget, DefaultSamplesKeepTheFiguresOfTheExactSearch) {
  for (const char* name : {"penguins.csv", "telco_churn.csv", "diamonds.csv"}) {
    const std::string path = std::string(CALM_DATASETS_DIR) + "/" + name;
    if (!std::ifstream(path)) GTEST_SKIP() << path << " not found";
    const Table real = read_csv(path);
    GeneratorSettings settings;
    settings.random_state = 3;
    settings.auto_report = false;
    settings.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
    GenerateOptions go;
    go.n_samples = static_cast<int64_t>(real.num_rows());
    go.method = "cart";
    const Table synthetic = RealGenerator(settings).generate(real, go);
    const Schema schema = infer_schema(real);
    const auto [train, holdout] = split_for_privacy(real, 0.2, 9);
    PrivacyOptions exact;
    exact.max_query_rows = 20000;
    exact.max_reference_rows = 0;
    exact.threads = 2;
    exact.seed = 9;
    PrivacyOptions budget;
    budget.threads = 2;
    budget.seed = 9;
    const PrivacyReport a = evaluate_privacy(train, holdout, synthetic, schema, exact);
    const PrivacyReport b = evaluate_privacy(train, holdout, synthetic, schema, budget);
    auto close = [](double old, double now, double se) {
      return std::fabs(now - old) <= std::max(0.05 * std::fabs(old), 3 * se) + 1e-12;
    };
    EXPECT_TRUE(close(a.dcr_synthetic_median, b.dcr_synthetic_median, b.dcr_synthetic_median_se))
        << name << ": " << a.dcr_synthetic_median << " vs " << b.dcr_synthetic_median;
    EXPECT_TRUE(close(a.dcr_holdout_median, b.dcr_holdout_median, b.dcr_holdout_median_se))
        << name << ": " << a.dcr_holdout_median << " vs " << b.dcr_holdout_median;
    ASSERT_EQ(a.dcr_ratio.has_value(), b.dcr_ratio.has_value()) << name;
    if (a.dcr_ratio) {
      EXPECT_NEAR(*a.dcr_ratio, *b.dcr_ratio, 0.05) << name;
    }
    EXPECT_NEAR(a.share_below_holdout_p5, b.share_below_holdout_p5, 0.02) << name;
    EXPECT_NEAR(a.nndr_synthetic_median, b.nndr_synthetic_median, 0.03) << name;
    EXPECT_NEAR(a.nndr_holdout_median, b.nndr_holdout_median, 0.03) << name;
    EXPECT_EQ(a.exact_copy_rate, b.exact_copy_rate) << name;
    EXPECT_EQ(a.holdout_exact_copy_rate, b.holdout_exact_copy_rate) << name;
    EXPECT_EQ(a.interpretation, b.interpretation) << name;
    EXPECT_LE(b.dcr_synthetic.size(), 4000u);
    EXPECT_LE(b.reference_rows, 50000u);
    EXPECT_GT(b.dcr_synthetic_median_se, 0) << name;
    if (b.dcr_synthetic.size() < synthetic.num_rows()) {  // what was sampled is said, with its seed
      EXPECT_NE(to_json(b)["sampling"].get<std::string>().find("seed 9"), std::string::npos)
          << name;
    }
  }
}

// Duplicates are counted exactly: repeats of a key, whatever their positions, and nothing else.
TEST(PrivacySearch, DuplicateCountIsExact) {
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back(std::to_string(i % 1000) + "k");  // 4 repeats each
  keys.push_back(std::string("\0a", 2));
  keys.push_back(std::string("\0b", 2));  // differ after a NUL byte
  EXPECT_EQ(eval::duplicate_count(keys), 4000u);
  EXPECT_EQ(eval::duplicate_count({}), 0u);
  const Table t = draw_table(300, 4);
  const Table doubled = t.take_rows([] {
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < 300; ++i) rows.insert(rows.end(), {i, i});
    return rows;
  }());
  EXPECT_EQ(eval::duplicate_count(eval::row_keys(doubled, infer_schema(doubled))), 300u);
}
