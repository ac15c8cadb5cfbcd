// Scenario dynamics (dynamics_config): exact evolution math over row position or a time column,
// construct_target from a formula, validation messages and determinism. See docs/dynamics.md.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "calm/post/dynamics.hpp"

using namespace calm;

namespace {

Table base(size_t n) {
  std::vector<double> a(n), b(n), zero(n, 0.0), one(n, 1.0);
  std::vector<int64_t> k(n, 100);
  for (size_t i = 0; i < n; ++i) a[i] = 0.5 * i, b[i] = 10.0 - i;
  return Table({Column::float64("a", a), Column::float64("b", b), Column::float64("zero", zero),
                Column::float64("one", one), Column::int64("k", k)});
}

Table run(const Table& t, const char* config, uint64_t seed = 1) {
  DynamicsContext ctx;
  ctx.seed = seed;
  return apply_dynamics_config(t, Json::parse(config), ctx);
}

std::string error_of(const Table& t, const char* config) {
  try {
    validate_dynamics_config(Json::parse(config), t);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Dynamics, LinearTrendIsExactOverRowPosition) {
  Table out = run(base(20), R"({"evolve_features": {"zero": {"type": "linear", "slope": 2,
                                                            "intercept": 1}}})");
  for (size_t i = 0; i < 20; ++i) EXPECT_DOUBLE_EQ(out.column("zero").f64[i], 2.0 * i + 1);
}

TEST(Dynamics, ExponentialCycleSigmoidStepAreExact) {
  Table out = run(base(50), R"({"evolve_features": {
      "one": {"type": "exponential", "rate": 0.1},
      "zero": {"type": "cycle", "amplitude": 3, "period": 12, "phase": 0.5},
      "a": {"type": "step", "at": 30, "value": -4},
      "b": {"type": "sigmoid", "amplitude": 2, "center": 20, "width": 5}}})");
  for (size_t i = 0; i < 50; ++i) {
    EXPECT_NEAR(out.column("one").f64[i], std::pow(1.1, i), 1e-9 * std::pow(1.1, i));
    EXPECT_NEAR(out.column("zero").f64[i], 3 * std::sin(2 * std::numbers::pi * i / 12 + 0.5),
                1e-12);
    EXPECT_DOUBLE_EQ(out.column("a").f64[i], 0.5 * i + (i >= 30 ? -4 : 0));
    EXPECT_NEAR(out.column("b").f64[i], 10.0 - i + 2 / (1 + std::exp(-(i - 20.0) / 5)), 1e-12);
  }
  EXPECT_DOUBLE_EQ(out.column("b").f64[20], 10.0 - 20 + 1.0);  // half the amplitude at the centre
}

TEST(Dynamics, IntegerColumnsStayIntegers) {
  Table out = run(base(10), R"({"evolve_features": {"k": {"type": "trend", "slope": 0.4}}})");
  ASSERT_EQ(out.column("k").type, StorageType::int64);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(out.column("k").i64[i], std::llround(100 + 0.4 * i));
}

TEST(Dynamics, DatetimeTimeColumnCountsDays) {
  std::vector<int64_t> when(5);
  for (size_t i = 0; i < 5; ++i)
    when[i] = *parse_datetime("2024-03-01") + static_cast<int64_t>(4 - i) * 2 * kNanosPerDay;
  Table t({Column::datetime("when", when), Column::float64("v", std::vector<double>(5, 0.0))});
  Table out = run(t, R"({"time_col": "when", "evolve_features": {"v": {"type": "linear",
                                                                       "slope": 1}}})");
  for (size_t i = 0; i < 5; ++i) EXPECT_DOUBLE_EQ(out.column("v").f64[i], (4.0 - i) * 2);
}

TEST(Dynamics, RandomWalkIsSeededWithStepStd) {
  const size_t n = 4000;
  const char* cfg = R"({"evolve_features": {"zero": {"type": "random_walk", "step_std": 0.5}}})";
  Table a = run(base(n), cfg, 9), b = run(base(n), cfg, 9), c = run(base(n), cfg, 10);
  EXPECT_EQ(a.column("zero").f64, b.column("zero").f64);
  EXPECT_NE(a.column("zero").f64, c.column("zero").f64);
  double s2 = 0;
  for (size_t i = 1; i < n; ++i) {
    double d = a.column("zero").f64[i] - a.column("zero").f64[i - 1];
    s2 += d * d;
  }
  EXPECT_NEAR(std::sqrt(s2 / (n - 1)), 0.5, 0.03);
}

TEST(Dynamics, ConstructTargetRegressionAndClassification) {
  Table t = base(12);
  Table out = run(t, R"({"evolve_features": {"zero": {"type": "linear", "slope": 1}},
      "construct_target": {"target_col": "score", "formula": "2 * a - (b + zero) / 4 + -1"}})");
  ASSERT_EQ(out.column("score").type, StorageType::float64);
  for (size_t i = 0; i < 12; ++i)  // the formula sees the evolved zero column (= i)
    EXPECT_DOUBLE_EQ(out.column("score").f64[i], 2 * 0.5 * i - ((10.0 - i) + i) / 4 - 1);
  Table cls = run(t, R"({"construct_target": {"target_col": "b", "formula": "a - 2",
      "task_type": "classification", "threshold": 1}})");
  ASSERT_EQ(cls.column("b").type, StorageType::int64);
  EXPECT_EQ(cls.column_names(), t.column_names());  // overwritten in place
  for (size_t i = 0; i < 12; ++i) EXPECT_EQ(cls.column("b").i64[i], 0.5 * i - 2 > 1 ? 1 : 0);
  EXPECT_EQ(t.column("b").type, StorageType::float64);  // input untouched
}

TEST(Dynamics, TargetNoiseHasTheRequestedStd) {
  const size_t n = 5000;
  Table out = run(base(n), R"({"construct_target": {"target_col": "y", "formula": "zero",
                                                    "noise_std": 2}})");
  double s2 = 0;
  for (double v : out.column("y").f64) s2 += v * v;
  EXPECT_NEAR(std::sqrt(s2 / n), 2.0, 0.1);
}

TEST(Dynamics, ValidationNamesValidChoices) {
  Table t = base(5);
  std::string e = error_of(t, R"({"evolve_features": {"a": {"type": "wobble"}}})");
  EXPECT_NE(e.find("linear, trend, exponential"), std::string::npos) << e;
  e = error_of(t, R"({"evolve_features": {"a": {"type": "linear", "slop": 1}}})");
  EXPECT_NE(e.find("'slop'"), std::string::npos) << e;
  EXPECT_NE(e.find("slope"), std::string::npos) << e;
  e = error_of(t, R"({"evolve_features": {"nope": {"type": "linear"}}})");
  EXPECT_NE(e.find("unknown column 'nope'; columns: a, b, zero, one, k"), std::string::npos) << e;
  e = error_of(t, R"({"evolve_features": {"a": {"type": "step", "at": 3}}})");
  EXPECT_NE(e.find("missing required parameter 'value'"), std::string::npos) << e;
  e = error_of(t, R"({"construct_target": {"target_col": "y", "formula": "a + nope"}})");
  EXPECT_NE(e.find("nope"), std::string::npos) << e;
  e = error_of(t, R"({"construct_target": {"target_col": "y", "formula": "a",
                      "task_type": "ranking"}})");
  EXPECT_NE(e.find("regression, classification"), std::string::npos) << e;
  e = error_of(t, R"({"evolve": {}})");
  EXPECT_NE(e.find("evolve_features, construct_target, time_col"), std::string::npos) << e;
  e = error_of(t, R"({"evolve_features": {"a": {"type": "cycle", "period": 0}}})");
  EXPECT_NE(e.find("period"), std::string::npos) << e;
}
