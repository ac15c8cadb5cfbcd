// Drift injection (drift_injection_config): the math of every method on small tables, the shared
// row selection, validation messages and determinism. See docs/drift.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/text.hpp"
#include "calm/post/drift.hpp"
#include "post/drift_weights.hpp"

using namespace calm;

namespace {

std::vector<double> iota_values(size_t n, double start = 0) {
  std::vector<double> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

Table numeric_table(size_t n) {
  std::vector<int64_t> ints(n);
  for (size_t i = 0; i < n; ++i) ints[i] = static_cast<int64_t>(10 + i);
  return Table({Column::float64("x", iota_values(n, 1)),
                Column::float64("zero", std::vector<double>(n, 0.0)), Column::int64("k", ints)});
}

Table categorical_table(size_t n) {
  std::vector<int32_t> codes(n);
  std::vector<uint8_t> flags(n);
  std::vector<int64_t> label(n);
  for (size_t i = 0; i < n; ++i) {
    codes[i] = static_cast<int32_t>(i % 3);
    flags[i] = i % 2;
    label[i] = i % 2;
  }
  return Table({Column::categorical("cat", codes, {"alpha", "beta", "gamma"}),
                Column::boolean("flag", flags), Column::int64("y", label),
                Column::float64("x", iota_values(n))});
}

Table run(const Table& t, const Json& config, uint64_t seed = 7) {
  DriftContext ctx;
  ctx.seed = seed;
  return apply_drift_config(t, config, ctx);
}

std::string error_of(const Table& t, const Json& config) {
  try {
    run(t, config);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(DriftFeature, ShiftAddsMagnitudeTimesMeanFromStartIndex) {
  Table t = numeric_table(10);  // x = 1..10
  Json cfg = Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": ["x"],
                              "drift_type": "shift", "drift_magnitude": 0.5, "start_index": 6}])");
  Table out = run(t, cfg);
  // Selected rows 6..9 hold 7..10, mean 8.5: each gains 0.5 * 8.5.
  for (size_t i = 0; i < 10; ++i)
    EXPECT_DOUBLE_EQ(out.column("x").f64[i], i < 6 ? i + 1.0 : i + 1.0 + 4.25) << i;
  // The input is untouched and the other columns are the same.
  EXPECT_DOUBLE_EQ(t.column("x").f64[9], 10.0);
  EXPECT_EQ(out.column("k").i64, t.column("k").i64);
}

TEST(DriftFeature, FlatAndParamsFormsAgree) {
  Table t = numeric_table(50);
  Json flat = Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": "x",
                               "drift_type": "gaussian_noise", "drift_magnitude": 0.3}])");
  Json nested = Json::parse(R"([{"method": "inject_feature_drift", "params": {"feature_cols": "x",
                               "drift_type": "gaussian_noise", "drift_magnitude": 0.3}}])");
  EXPECT_EQ(run(t, flat).column("x").f64, run(t, nested).column("x").f64);
  EXPECT_NE(run(t, flat).column("x").f64, t.column("x").f64);
}

TEST(DriftFeature, ScaleKeepsMeanAndStretchesDeviations) {
  Table t = numeric_table(9);  // x = 1..9, mean 5
  Table out = run(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": ["x"],
                                      "drift_type": "scale", "drift_magnitude": 1.0}])"));
  for (size_t i = 0; i < 9; ++i) EXPECT_DOUBLE_EQ(out.column("x").f64[i], 5 + (i + 1.0 - 5) * 2);
}

TEST(DriftFeature, ValueOperationsAndIntegerRounding) {
  Table t = numeric_table(4);  // x = 1..4, k = 10..13
  auto op = [&](const char* type, double v, const char* col) {
    Json cfg = {{{"method", "inject_feature_drift"},
                 {"feature_cols", col},
                 {"drift_type", type},
                 {"drift_value", v}}};
    return run(t, cfg).column(col);
  };
  EXPECT_DOUBLE_EQ(op("add_value", 2.5, "x").f64[1], 4.5);
  EXPECT_DOUBLE_EQ(op("subtract_value", 2.5, "x").f64[1], -0.5);
  EXPECT_DOUBLE_EQ(op("multiply_value", 3, "x").f64[3], 12);
  EXPECT_DOUBLE_EQ(op("divide_value", 4, "x").f64[3], 1);
  Column k = op("multiply_value", 1.25, "k");
  ASSERT_EQ(k.type, StorageType::int64);
  EXPECT_EQ(k.i64, (std::vector<int64_t>{13, 14, 15, 16}));  // 12.5 -> 13, 13.75 -> 14, ...
  // drift_values per column take priority over drift_value.
  Json cfg = Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": ["x", "k"],
     "drift_type": "add_value", "drift_value": 1, "drift_values": {"k": 100}}])");
  Table out = run(t, cfg);
  EXPECT_DOUBLE_EQ(out.column("x").f64[0], 2);
  EXPECT_EQ(out.column("k").i64[0], 110);
}

TEST(DriftFeature, GaussianNoiseHasStdMagnitudeTimesSigma) {
  const size_t n = 5000;
  Table t = numeric_table(n);
  Table out = run(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": ["x"],
                                      "drift_type": "gaussian_noise", "drift_magnitude": 0.1}])"));
  double sigma = n / std::sqrt(12.0), s = 0, s2 = 0;
  for (size_t i = 0; i < n; ++i) {
    double d = out.column("x").f64[i] - t.column("x").f64[i];
    s += d;
    s2 += d * d;
  }
  EXPECT_NEAR(std::sqrt(s2 / n - (s / n) * (s / n)) / (0.1 * sigma), 1.0, 0.05);
}

TEST(DriftWeights, SigmoidIsMonotoneAndHalfAtCentre) {
  for (std::string profile : {"sigmoid", "linear", "cosine"}) {
    drift::Window w;
    w.center = 50;
    w.width = 20;
    w.profile = profile;
    auto v = drift::window_weights(101, w);
    EXPECT_DOUBLE_EQ(v[50], 0.5) << profile;
    for (size_t i = 1; i < v.size(); ++i) EXPECT_GE(v[i], v[i - 1]) << profile << " " << i;
    EXPECT_LT(v[0], 0.01) << profile;
    EXPECT_GT(v[100], 0.99) << profile;
    w.down = true;
    EXPECT_NEAR(drift::window_weights(101, w)[30], 1 - v[30], 1e-12);
  }
  drift::Window w;  // defaults: centre n/2, width n/5; sigmoid spans ~12%..88% over the width
  auto v = drift::window_weights(100, w);
  EXPECT_DOUBLE_EQ(v[50], 0.5);
  EXPECT_NEAR(v[40], 1 / (1 + std::exp(2.0)), 1e-12);
}

TEST(DriftFeature, GradualAddsWeightTimesValueRelativeToSelection) {
  Table t = numeric_table(200);
  Json cfg = Json::parse(R"([{"method": "inject_feature_drift_gradual", "feature_cols": ["zero"],
     "drift_type": "add_value", "drift_value": 1.0, "start_index": 100, "center": 50,
     "width": 20, "profile": "linear"}])");
  Table out = run(t, cfg);
  drift::Window w;
  w.center = 50;
  w.width = 20;
  w.profile = "linear";
  auto expected = drift::window_weights(100, w);
  for (size_t i = 0; i < 200; ++i)
    EXPECT_DOUBLE_EQ(out.column("zero").f64[i], i < 100 ? 0.0 : expected[i - 100]) << i;
}

TEST(DriftFeature, IncrementalRampsLinearlyOverTheRange) {
  Table t = numeric_table(30);
  Table out = run(t, Json::parse(R"([{"method": "inject_feature_drift_incremental",
     "feature_cols": "zero", "drift_type": "add_value", "drift_value": 10,
     "start_index": 10, "end_index": 21}])"));
  for (size_t i = 0; i < 30; ++i) {
    double want = (i >= 10 && i < 21) ? (i - 10.0) : 0.0;
    EXPECT_NEAR(out.column("zero").f64[i], want, 1e-12) << i;
  }
}

TEST(DriftFeature, RecurrentRepeatsTheRamp) {
  Table t = numeric_table(100);
  Table out = run(t, Json::parse(R"([{"method": "inject_feature_drift_recurrent",
     "feature_cols": "zero", "drift_type": "add_value", "drift_value": 1, "repeats": 2}])"));
  const auto& z = out.column("zero").f64;
  EXPECT_DOUBLE_EQ(z[25], 0.5);  // centre of the first chunk
  EXPECT_DOUBLE_EQ(z[75], 0.5);  // centre of the second
  EXPECT_GT(z[49], 0.8);
  EXPECT_LT(z[50], 0.2);  // the drift starts over
}

TEST(DriftFeature, CategoricalAndBooleanColumnsSwitchValues) {
  Table t = categorical_table(60);
  Table out =
      run(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": ["cat", "flag"],
     "drift_magnitude": 1.0, "start_index": 30}])"));
  for (size_t i = 0; i < 60; ++i) {
    bool changed = out.column("cat").codes[i] != t.column("cat").codes[i];
    EXPECT_EQ(changed, i >= 30) << i;  // probability w*m = 1: every selected row switches
    EXPECT_EQ(out.column("flag").b[i], i >= 30 ? !t.column("flag").b[i] : t.column("flag").b[i]);
  }
  EXPECT_EQ(out.column("cat").dict, t.column("cat").dict);
}

TEST(DriftLabel, LabelDriftChangesExactlyFloorNM) {
  Table t = categorical_table(101);
  Table out = run(t, Json::parse(R"([{"method": "inject_label_drift", "target_cols": ["cat"],
     "drift_magnitude": 0.25}])"));
  size_t changed = 0;
  for (size_t i = 0; i < 101; ++i)
    changed += out.column("cat").codes[i] != t.column("cat").codes[i];
  EXPECT_EQ(changed, 25u);
}

TEST(DriftLabel, LabelShiftGivesExactProportions) {
  Table t = categorical_table(1000);
  Table out = run(t, Json::parse(R"([{"method": "inject_label_shift", "target_col": "cat",
     "target_distribution": {"alpha": 2, "beta": 3, "delta": 5}}])"));
  const Column& c = out.column("cat");
  std::map<std::string, int> counts;
  for (size_t i = 0; i < 1000; ++i) counts[c.text(i)]++;
  EXPECT_EQ(counts["alpha"], 200);
  EXPECT_EQ(counts["beta"], 300);
  EXPECT_EQ(counts["delta"], 500);  // a new label extends the dictionary
  EXPECT_EQ(c.dict.size(), 4u);
  // Largest remainder: 7 rows at 1/3 each -> 3, 2, 2 in some order, never 5/1/1.
  Table small = categorical_table(7);
  Table s = run(small, Json::parse(R"([{"method": "inject_label_shift", "target_col": "y",
     "target_distribution": {"0": 1, "1": 1}}])"));
  int ones = 0;
  for (size_t i = 0; i < 7; ++i) ones += s.column("y").i64[i];
  EXPECT_TRUE(ones == 3 || ones == 4);
}

TEST(DriftLabel, ConceptDriftFlipsBinaryLabelsUsingTheGeneratorTarget) {
  Table t = categorical_table(200);
  DriftContext ctx;
  ctx.seed = 3;
  ctx.target_col = "y";
  Table out = apply_drift_config(t, Json::parse(R"([{"method": "inject_concept_drift",
     "concept_drift_magnitude": 0.3, "start_index": 100}])"),
                                 ctx);
  size_t flipped = 0;
  for (size_t i = 0; i < 200; ++i) {
    int64_t a = t.column("y").i64[i], b = out.column("y").i64[i];
    if (a != b) {
      EXPECT_GE(i, 100u);
      EXPECT_EQ(b, 1 - a);
      ++flipped;
    }
  }
  EXPECT_EQ(flipped, 30u);
}

TEST(DriftCategorical, NewCategoryOnlyReplacesListedValues) {
  Table t = categorical_table(300);
  Table out = run(t, Json::parse(R"([{"method": "inject_new_category_drift", "feature_col": "cat",
     "new_category": "omega", "probability": 1.0, "replace_categories": ["beta"]}])"));
  const Column& c = out.column("cat");
  for (size_t i = 0; i < 300; ++i)
    EXPECT_EQ(c.text(i), t.column("cat").text(i) == "beta" ? "omega" : t.column("cat").text(i));
}

TEST(DriftCategorical, FrequencyDriftTowardsUniform) {
  const size_t n = 3000;
  std::vector<int32_t> codes(n, 0);
  for (size_t i = 0; i < n / 10; ++i) codes[i * 10] = 1 + (i % 2);  // 90% / 5% / 5%
  Table t({Column::categorical("c", codes, {"a", "b", "c"})});
  Table out = run(t, Json::parse(R"([{"method": "inject_categorical_frequency_drift",
     "feature_cols": "c", "drift_magnitude": 1.0, "perturbation": "uniform"}])"));
  std::vector<double> share(3, 0.0);
  for (int32_t code : out.column("c").codes) share[code] += 1.0 / n;
  for (double s : share) EXPECT_NEAR(s, 1.0 / 3, 0.05);
}

TEST(DriftCategorical, TyposMergeAndBoolean) {
  std::vector<int32_t> codes(40);
  for (size_t i = 0; i < 40; ++i) codes[i] = i % 2;
  Table t({Column::categorical("c", codes, {"paris", "london"}),
           Column::boolean("b", std::vector<uint8_t>(40, 1))});
  Table typo = run(t, Json::parse(R"([{"method": "inject_typos_drift", "feature_cols": "c",
     "drift_magnitude": 1.0, "typo_type": "delete"}])"));
  for (size_t i = 0; i < 40; ++i)
    EXPECT_EQ(typo.column("c").text(i).size() + 1, t.column("c").text(i).size());
  Table merged = run(t, Json::parse(R"([{"method": "inject_category_merge_drift", "col": "c",
     "categories_to_merge": ["paris", "london"], "new_category_name": "city", "end_index": 10}])"));
  for (size_t i = 0; i < 40; ++i)
    EXPECT_EQ(merged.column("c").text(i), i < 10 ? "city" : t.column("c").text(i));
  Table flipped = run(t, Json::parse(R"([{"method": "inject_boolean_drift", "feature_cols": "b",
     "drift_magnitude": 1.0, "index_step": 4}])"));
  for (size_t i = 0; i < 40; ++i) EXPECT_EQ(flipped.column("b").b[i], i % 4 != 0);
}

TEST(DriftQuality, MissingValuesAndOutliers) {
  const size_t n = 4000;
  Table t = numeric_table(n);
  Table out =
      run(t, Json::parse(R"([{"method": "inject_nulls", "cols": ["x", "k"], "prob": 0.2}])"));
  EXPECT_NEAR(out.column("x").missing_count() / double(n), 0.2, 0.03);
  EXPECT_NEAR(out.column("k").missing_count() / double(n), 0.2, 0.03);
  EXPECT_EQ(out.column("k").type, StorageType::int64);
  Table o = run(t, Json::parse(R"([{"method": "inject_outliers_global", "cols": "x",
     "outlier_prob": 0.1, "factor": 3}])"));
  const double sigma = std::sqrt((double(n) * n - 1) / 12.0);  // population sd of 1..n
  size_t hits = 0;
  for (size_t i = 0; i < n; ++i) {
    double d = o.column("x").f64[i] - t.column("x").f64[i];
    if (d == 0) continue;
    ++hits;
    EXPECT_NEAR(std::abs(d), 3 * sigma, 1e-6);
  }
  EXPECT_NEAR(hits / double(n), 0.1, 0.02);
}

TEST(DriftCorrelation, ReachesTheTargetCorrelation) {
  const size_t n = 5000;
  Rng rng(11, 0);
  std::vector<double> a(n), b(n), c(n);
  for (size_t i = 0; i < n; ++i)
    a[i] = rng.normal(), b[i] = 5 + 2 * rng.normal(), c[i] = rng.uniform();
  Table t({Column::float64("a", a), Column::float64("b", b), Column::float64("c", c)});
  Json cfg = Json::parse(R"([{"method": "inject_correlation_matrix_drift",
     "feature_cols": ["a", "b", "c"],
     "target_correlation_matrix": [[1, 0.7, 0.2], [0.7, 1, -0.3], [0.2, -0.3, 1]]}])");
  Table out = run(t, cfg);
  auto corr = [&](const std::string& x, const std::string& y) {
    const auto &u = out.column(x).f64, &v = out.column(y).f64;
    double mu = std::accumulate(u.begin(), u.end(), 0.0) / n,
           mv = std::accumulate(v.begin(), v.end(), 0.0) / n, suv = 0, suu = 0, svv = 0;
    for (size_t i = 0; i < n; ++i)
      suv += (u[i] - mu) * (v[i] - mv), suu += (u[i] - mu) * (u[i] - mu),
          svv += (v[i] - mv) * (v[i] - mv);
    return suv / std::sqrt(suu * svv);
  };
  EXPECT_NEAR(corr("a", "b"), 0.7, 0.05);
  EXPECT_NEAR(corr("a", "c"), 0.2, 0.05);
  EXPECT_NEAR(corr("b", "c"), -0.3, 0.05);
  const auto& nb = out.column("b").f64;
  EXPECT_NEAR(std::accumulate(nb.begin(), nb.end(), 0.0) / n,
              std::accumulate(b.begin(), b.end(), 0.0) / n, 1e-9);  // means are kept
}

TEST(DriftConditional, OnlyRowsMeetingEveryCondition) {
  Table t = categorical_table(30);  // cat cycles alpha/beta/gamma, x = 0..29
  Table out = run(t, Json::parse(R"([{"method": "inject_conditional_drift", "feature_cols": "x",
     "drift_type": "add_value", "drift_value": 100,
     "conditions": [{"column": "cat", "operator": "in", "value": ["alpha", "gamma"]},
                    {"column": "x", "operator": ">=", "value": 10}]}])"));
  for (size_t i = 0; i < 30; ++i) {
    bool hit = i % 3 != 1 && i >= 10;
    EXPECT_DOUBLE_EQ(out.column("x").f64[i], i + (hit ? 100.0 : 0.0)) << i;
  }
}

TEST(DriftSelection, BlocksTimesAndIntersection) {
  const size_t n = 20;
  std::vector<int64_t> block(n), day(n);
  for (size_t i = 0; i < n; ++i) {
    block[i] = static_cast<int64_t>(i / 5);  // blocks 0..3
    day[i] = *parse_datetime("2024-01-01") + static_cast<int64_t>(i) * kNanosPerDay;
  }
  Table t({Column::int64("block", block), Column::datetime("when", day),
           Column::float64("v", std::vector<double>(n, 0.0))});
  auto rows_hit = [&](const std::string& sel, DriftContext ctx = {}) {
    Json step = Json::parse(sel);
    step["method"] = "inject_feature_drift";
    step["feature_cols"] = "v";
    step["drift_type"] = "add_value";
    step["drift_value"] = 1;
    Table out = apply_drift_config(t, Json::array({step}), ctx);
    std::vector<size_t> hit;
    for (size_t i = 0; i < n; ++i)
      if (out.column("v").f64[i] == 1) hit.push_back(i);
    return hit;
  };
  DriftContext ctx;
  ctx.block_column = "block";
  ctx.time_col = "when";
  EXPECT_EQ(rows_hit(R"({"blocks": [1, 3]})", ctx),
            (std::vector<size_t>{5, 6, 7, 8, 9, 15, 16, 17, 18, 19}));
  EXPECT_EQ(rows_hit(R"({"block_start": 1, "n_blocks": 2, "block_step": 2, "index_step": 2})", ctx),
            (std::vector<size_t>{6, 8, 16, 18}));
  EXPECT_EQ(rows_hit(R"({"time_start": "2024-01-03", "time_end": "2024-01-05"})", ctx),
            (std::vector<size_t>{2, 3, 4}));
  EXPECT_EQ(rows_hit(R"({"time_ranges": [["2024-01-01", "2024-01-02"]],
                         "specific_times": ["2024-01-20"], "time_col": "when"})"),
            (std::vector<size_t>{0, 1, 19}));
  EXPECT_EQ(rows_hit(R"({"block_index": 2, "start_index": 12, "block_column": "block"})"),
            (std::vector<size_t>{12, 13, 14}));
}

TEST(DriftValidation, ErrorsNameTheValidChoices) {
  Table t = categorical_table(10);
  EXPECT_NE(error_of(t, Json::parse(R"([{"method": "inject_magic"}])"))
                .find("inject_feature_drift_gradual"),
            std::string::npos);
  std::string e =
      error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": "x",
                                             "magnitude": 1}])"));
  EXPECT_NE(e.find("'magnitude'"), std::string::npos) << e;
  EXPECT_NE(e.find("drift_magnitude"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "drift_type": "shift"}])"));
  EXPECT_NE(e.find("missing required parameter 'feature_cols'"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": ["nope"]}])"));
  EXPECT_NE(e.find("unknown column 'nope'; columns: cat, flag, y, x"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": "x",
                                  "drift_magnitude": -1}])"));
  EXPECT_NE(e.find("drift_magnitude"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_feature_drift_gradual", "feature_cols": "x",
                                  "profile": "step"}])"));
  EXPECT_NE(e.find("sigmoid, linear, cosine"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": "x",
                                  "drift_type": "warp"}])"));
  EXPECT_NE(e.find("multiply_value"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": "x",
                                  "drift_type": "divide_value", "drift_value": 0}])"));
  EXPECT_NE(e.find("cannot be zero"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": "x",
                                  "time_start": "2024-01-01"}])"));
  EXPECT_NE(e.find("time_col"), std::string::npos) << e;
  e = error_of(t, Json::parse(R"([{"method": "inject_conditional_drift", "feature_cols": "x",
      "conditions": [{"column": "x", "operator": "~", "value": 1}]}])"));
  EXPECT_NE(e.find(">, >=, <, <=, ==, !=, in, not in"), std::string::npos) << e;
  // A bad later step fails before any step is applied, and the generator's default time column
  // may be absent at validation time (date injection adds it later).
  EXPECT_NE(error_of(t, Json::parse(R"([{"method": "inject_feature_drift", "feature_cols": "x"},
                                       {"method": "inject_nulls"}])"))
                .find("drift_injection_config[1]"),
            std::string::npos);
  DriftContext ctx;
  ctx.time_col = "timestamp";
  EXPECT_NO_THROW(validate_drift_config(Json::parse(R"([{"method": "inject_nulls", "cols": "x",
      "time_start": "2024-01-01"}])"),
                                        t, ctx));
}

TEST(DriftDeterminism, SameSeedSameOutputDifferentSeedDifferent) {
  Table t = categorical_table(500);
  Json cfg = Json::parse(R"([
    {"method": "inject_feature_drift_gradual", "feature_cols": ["x", "cat"], "drift_magnitude": 0.5},
    {"method": "inject_label_drift", "target_cols": "y", "drift_magnitude": 0.2},
    {"method": "inject_missing_values_drift", "feature_cols": "flag", "missing_fraction": 0.1}])");
  Table a = run(t, cfg, 5), b = run(t, cfg, 5), c = run(t, cfg, 6);
  EXPECT_EQ(a.column("x").f64, b.column("x").f64);
  EXPECT_EQ(a.column("cat").codes, b.column("cat").codes);
  EXPECT_EQ(a.column("y").i64, b.column("y").i64);
  EXPECT_EQ(a.column("flag").valid, b.column("flag").valid);
  EXPECT_NE(a.column("x").f64, c.column("x").f64);
  EXPECT_NE(a.column("y").i64, c.column("y").i64);
}

TEST(DriftCatalogue, ListsEveryMethodWithParameters) {
  std::vector<std::string> names;
  for (const auto& m : drift_methods_catalogue()) {
    names.push_back(m["method"]);
    EXPECT_FALSE(m["params"].empty()) << m["method"];
  }
  for (const char* want :
       {"inject_feature_drift", "inject_feature_drift_gradual", "inject_feature_drift_incremental",
        "inject_feature_drift_recurrent", "inject_conditional_drift", "inject_label_drift",
        "inject_label_drift_gradual", "inject_label_shift", "inject_concept_drift",
        "inject_new_category_drift", "inject_categorical_frequency_drift", "inject_typos_drift",
        "inject_category_merge_drift", "inject_boolean_drift", "inject_missing_values_drift",
        "inject_nulls", "inject_outliers_global", "inject_correlation_matrix_drift"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
}

// ---- inject_drift (the unified dispatcher), inject_binary_probabilistic_drift, inject_new_value

namespace {

Table mixed_table(size_t n) {
  std::vector<int32_t> cat(n);
  std::vector<uint8_t> flag(n, 0);
  std::vector<int64_t> bin(n, 0);
  for (size_t i = 0; i < n; ++i) cat[i] = i % 10 == 0 ? 1 : 0;  // 90% alpha, 10% beta
  return Table({Column::float64("x", iota_values(n, 1)),
                Column::float64("zero", std::vector<double>(n, 0.0)),
                Column::categorical("cat", cat, {"alpha", "beta", "gamma"}),
                Column::boolean("flag", flag), Column::int64("bin", bin)});
}

Json unified(Json params) {
  params["method"] = "inject_drift";
  return Json::array({params});
}

size_t flags_set(const Table& t, size_t from, size_t to) {
  size_t k = 0;
  for (size_t i = from; i < to; ++i) k += t.column("flag").b[i];
  return k;
}

}  // namespace

TEST(InjectDrift, NumericAbruptShiftMatchesFeatureDrift) {
  Table t = mixed_table(10);  // x = 1..10
  Table out = run(t, unified({{"columns", {"x"}}, {"drift_magnitude", 0.5}, {"start_index", 6}}));
  // Default numeric_operation is shift: rows 6..9 (mean 8.5) gain 0.5 * 8.5, others untouched.
  for (size_t i = 0; i < 10; ++i)
    EXPECT_DOUBLE_EQ(out.column("x").f64[i], i < 6 ? i + 1.0 : i + 5.25) << i;
}

TEST(InjectDrift, IncrementalIsALinearRampOverTheSelection) {
  Table t = mixed_table(20);
  Table out = run(t, unified({{"columns", "zero"},
                              {"drift_mode", "incremental"},
                              {"numeric_operation", "add_value"},
                              {"drift_value", 8.0},
                              {"start_index", 5},
                              {"end_index", 10}}));
  // Rows 5..9: w = 0, 1/4, 2/4, 3/4, 1 -> zero + 8 w.
  for (size_t i = 0; i < 20; ++i) {
    const double expected = i >= 5 && i < 10 ? 8.0 * (i - 5) / 4.0 : 0.0;
    EXPECT_NEAR(out.column("zero").f64[i], expected, 1e-12) << i;
  }
}

TEST(InjectDrift, RecurrentHonoursRepeats) {
  Table t = mixed_table(30);
  Table out = run(t, unified({{"columns", "zero"},
                              {"drift_mode", "recurrent"},
                              {"repeats", 3},
                              {"profile", "linear"},
                              {"numeric_operation", "add_value"},
                              {"drift_value", 1.0}}));
  const auto& z = out.column("zero").f64;
  // Three identical ramps of 10 rows; each chunk's linear window (centre 5, width 10) gives
  // w_i = clip((i - 0) / 10) = i / 10.
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_NEAR(z[i], i / 10.0, 1e-12) << i;
    EXPECT_NEAR(z[i + 10], i / 10.0, 1e-12) << i;
    EXPECT_NEAR(z[i + 20], i / 10.0, 1e-12) << i;
  }
}

TEST(InjectDrift, EveryModeWorksOnBooleanColumns) {
  Table t = mixed_table(2000);
  // Gradual, linear profile, centre 1000, width 400: no flips before row 800, all after 1200.
  Table g = run(t, unified({{"columns", {"flag", "bin"}},
                            {"drift_mode", "gradual"},
                            {"drift_magnitude", 1.0},
                            {"profile", "linear"},
                            {"center", 1000},
                            {"width", 400}}));
  EXPECT_EQ(flags_set(g, 0, 800), 0u);
  EXPECT_EQ(flags_set(g, 1200, 2000), 800u);
  EXPECT_NEAR(flags_set(g, 800, 1200) / 400.0, 0.5, 0.08);
  EXPECT_EQ(g.column("bin").i64[1999], 1);
  EXPECT_EQ(g.column("bin").i64[0], 0);
  // Incremental: flip probability i/(n-1), so half the rows on average, more towards the end.
  Table inc = run(
      t, unified({{"columns", "flag"}, {"drift_mode", "incremental"}, {"drift_magnitude", 1.0}}));
  EXPECT_NEAR(flags_set(inc, 0, 2000) / 2000.0, 0.5, 0.04);
  EXPECT_LT(flags_set(inc, 0, 1000), flags_set(inc, 1000, 2000));
  // Recurrent with 2 repeats: each half ramps, so each half flips about half its rows.
  Table rec = run(t, unified({{"columns", "flag"},
                              {"drift_mode", "recurrent"},
                              {"repeats", 2},
                              {"drift_magnitude", 1.0}}));
  EXPECT_NEAR(flags_set(rec, 0, 1000) / 1000.0, 0.5, 0.06);
  EXPECT_NEAR(flags_set(rec, 1000, 2000) / 1000.0, 0.5, 0.06);
  EXPECT_LT(flags_set(rec, 0, 250), flags_set(rec, 750, 1000));
  EXPECT_LT(flags_set(rec, 1000, 1250), flags_set(rec, 1750, 2000));
  // Abrupt with p = 0.3 after row 1000.
  Table ab =
      run(t, unified({{"columns", "flag"}, {"drift_magnitude", 0.3}, {"start_index", 1000}}));
  EXPECT_EQ(flags_set(ab, 0, 1000), 0u);
  EXPECT_NEAR(flags_set(ab, 1000, 2000) / 1000.0, 0.3, 0.045);
}

TEST(InjectDrift, CategoricalOperations) {
  Table t = mixed_table(3000);
  // new_category, gradual with a linear window: none before the ramp, every row after it.
  Table nc = run(t, unified({{"columns", "cat"},
                             {"categorical_operation", "new_category"},
                             {"drift_mode", "gradual"},
                             {"drift_magnitude", 1.0},
                             {"profile", "linear"},
                             {"center", 1500},
                             {"width", 1000}}));
  const Column& c = nc.column("cat");
  for (size_t i = 0; i < 3000; i += 7) {
    if (i < 1000) {
      EXPECT_NE(c.text(i), "NEW_cat") << i;
    } else if (i >= 2000) {
      EXPECT_EQ(c.text(i), "NEW_cat") << i;
    }
  }
  // frequency (uniform target over the 2 values present) with m = 1 from row 1500: 50/50 there.
  Table fr = run(t, unified({{"columns", "cat"}, {"drift_magnitude", 1.0}, {"start_index", 1500}}));
  size_t beta_after = 0, beta_before = 0;
  for (size_t i = 0; i < 3000; ++i)
    (i < 1500 ? beta_before : beta_after) += fr.column("cat").text(i) == "beta";
  EXPECT_EQ(beta_before, 150u);
  EXPECT_NEAR(beta_after / 1500.0, 0.5, 0.04);
  // switch: every selected row takes another value seen in the selection.
  Table sw = run(t, unified({{"columns", "cat"},
                             {"categorical_operation", "switch"},
                             {"drift_magnitude", 1.0},
                             {"end_index", 100}}));
  for (size_t i = 0; i < 100; ++i)
    EXPECT_NE(sw.column("cat").text(i), t.column("cat").text(i)) << i;
  EXPECT_EQ(sw.column("cat").text(100), t.column("cat").text(100));
}

TEST(InjectDrift, TyposAreCharacterEdits) {
  Table t = mixed_table(200);
  Table out = run(t, unified({{"columns", "cat"},
                              {"categorical_operation", "typos"},
                              {"drift_magnitude", 1.0},
                              {"typo_type", "delete"},
                              {"start_index", 100}}));
  for (size_t i = 0; i < 200; ++i) {
    const std::string before = t.column("cat").text(i), after = out.column("cat").text(i);
    if (i < 100) {
      EXPECT_EQ(after, before) << i;
      continue;
    }
    // One deleted character: one letter shorter and a subsequence of the original.
    ASSERT_EQ(after.size() + 1, before.size()) << i;
    size_t k = 0;
    for (char ch : before) k += k < after.size() && after[k] == ch;
    EXPECT_EQ(k, after.size()) << before << " -> " << after;
  }
}

TEST(InjectDrift, ConditionsKeepTheMode) {
  Table t = mixed_table(400);
  Table out =
      run(t, unified({{"columns", "zero"},
                      {"numeric_operation", "add_value"},
                      {"drift_value", 1.0},
                      {"drift_mode", "incremental"},
                      {"conditions", Json::parse(R"([{"column": "cat", "value": "beta"}])")}}));
  // The 40 beta rows (every 10th) ramp from 0 to 1 in order; the other rows do not move.
  size_t k = 0;
  for (size_t i = 0; i < 400; ++i) {
    if (i % 10 != 0) {
      EXPECT_EQ(out.column("zero").f64[i], 0.0) << i;
      continue;
    }
    EXPECT_NEAR(out.column("zero").f64[i], k / 39.0, 1e-12) << i;
    ++k;
  }
}

TEST(InjectDrift, ClearErrors) {
  Table t = mixed_table(50);
  auto msg = error_of(t, unified({{"columns", "cat"}, {"categorical_operation", "typo"}}));
  EXPECT_NE(msg.find("frequency, new_category, typos, switch"), std::string::npos) << msg;
  msg = error_of(t, unified({{"columns", "cat"}, {"drift_magnitude", 1.5}}));
  EXPECT_NE(msg.find("must be in [0, 1]"), std::string::npos) << msg;
  msg = error_of(t, unified({{"columns", "x"}, {"drift_mode", "sudden"}}));
  EXPECT_NE(msg.find("abrupt, gradual, incremental, recurrent"), std::string::npos) << msg;
  msg = error_of(t, unified({{"columns", "x"}, {"numeric_operation", "multiply_value"}}));
  EXPECT_NE(msg.find("needs 'drift_value'"), std::string::npos) << msg;
  msg = error_of(t, unified({{"columns", {"x", "nope"}}}));
  EXPECT_NE(msg.find("unknown column 'nope'"), std::string::npos) << msg;
  msg = error_of(t, unified({{"drift_magnitude", 0.2}}));
  EXPECT_NE(msg.find("missing required parameter 'columns'"), std::string::npos) << msg;
}

TEST(BinaryProbabilisticDrift, FlipsWithProbabilityAndWindow) {
  Table t = mixed_table(4000);
  Json cfg = Json::parse(R"([{"method": "inject_binary_probabilistic_drift",
                              "target_col": "flag", "probability": 0.25}])");
  Table out = run(t, cfg);
  EXPECT_NEAR(flags_set(out, 0, 4000) / 4000.0, 0.25, 0.025);
  // With a window (linear, centre 2000, width 1000): p * w_i, so nothing before row 1500.
  cfg[0]["probability"] = 1.0;
  cfg[0]["center"] = 2000;
  cfg[0]["width"] = 1000;
  cfg[0]["profile"] = "linear";
  out = run(t, cfg);
  EXPECT_EQ(flags_set(out, 0, 1500), 0u);
  EXPECT_EQ(flags_set(out, 2500, 4000), 1500u);
  auto msg = error_of(numeric_table(10), Json::parse(R"([{"method":
                         "inject_binary_probabilistic_drift", "target_col": "k"}])"));
  EXPECT_NE(msg.find("values other than 0 and 1"), std::string::npos) << msg;
}

TEST(NewValueDrift, SetsSelectedCells) {
  Table t = mixed_table(1000);
  Table out = run(t, Json::parse(R"([{"method": "inject_new_value", "cols": ["cat", "x"],
                                      "new_value": 7, "start_index": 900}])"));
  for (size_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(out.column("x").f64[i], i < 900 ? i + 1.0 : 7.0) << i;
    EXPECT_EQ(out.column("cat").text(i), i < 900 ? t.column("cat").text(i) : "7") << i;
  }
  out = run(t, Json::parse(R"([{"method": "inject_new_value", "cols": "zero",
                                "new_value": 1.5, "prob": 0.4}])"));
  double hits = 0;
  for (double v : out.column("zero").f64) hits += v == 1.5;
  EXPECT_NEAR(hits / 1000, 0.4, 0.05);
  auto msg = error_of(t, Json::parse(R"([{"method": "inject_new_value", "cols": "x",
                                          "new_value": "abc"}])"));
  EXPECT_NE(msg.find("new_value for column 'x'"), std::string::npos) << msg;
}

TEST(DriftWindows, RecordedPerChangedColumn) {
  Table t = mixed_table(100);
  DriftContext ctx;
  ctx.seed = 3;
  std::vector<DriftWindow> applied;
  apply_drift_config(t, Json::parse(R"([
      {"method": "inject_feature_drift", "feature_cols": ["x", "zero"], "drift_type": "shift",
       "drift_magnitude": 0.5, "start_index": 60, "end_index": 90},
      {"method": "inject_drift", "columns": "flag", "drift_magnitude": 1.0, "start_index": 10}])"),
                     ctx, &applied);
  // The shift leaves `zero` (mean 0) unchanged, so only x is recorded for the first step.
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].column, "x");
  EXPECT_EQ(applied[0].start, 60u);
  EXPECT_EQ(applied[0].end, 89u);
  EXPECT_EQ(applied[0].method, "inject_feature_drift");
  EXPECT_EQ(applied[1].column, "flag");
  EXPECT_EQ(applied[1].start, 10u);
  EXPECT_EQ(applied[1].end, 99u);
  EXPECT_EQ(applied[1].method, "inject_drift");
}
