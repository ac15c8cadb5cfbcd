// gaussian_copula: correlation and category shares reproduced, determinism across runs and
// thread counts, exact conditional shares with class-conditional shape kept, degenerate columns,
// missing values, ids and storage types.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "calm/api/methods.hpp"
#include "calm/core/error.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/io/csv.hpp"
#include "models/copula/gaussian_copula.hpp"

using namespace calm;

namespace {

const Logger& quiet() {
  static Logger log(LogLevel::error, [](LogLevel, const std::string&) {});
  return log;
}

struct Fitted {
  Schema schema;
  std::unique_ptr<GaussianCopulaSynthesizer> model;
};

Fitted fit(const Table& t, const Json& params = Json::object(), uint64_t seed = 7, int threads = 1,
           const SchemaOptions& opts = {}) {
  Fitted f{infer_schema(t, opts), std::make_unique<GaussianCopulaSynthesizer>()};
  FitContext ctx{f.schema,
                 std::nullopt,
                 GaussianCopulaSynthesizer::param_spec().resolve(params, "gaussian_copula"),
                 seed,
                 threads,
                 quiet()};
  f.model->fit(t, ctx);
  return f;
}

Table sample(const Fitted& f, size_t n, uint64_t seed = 11, int threads = 1,
             const ColumnShares* shares = nullptr) {
  SampleContext ctx{seed, threads, quiet(), shares};
  return f.model->sample(n, ctx);
}

double pearson(const Column& a, const Column& b) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double x = a.numeric(i), y = b.numeric(i);
    if (std::isnan(x) || std::isnan(y)) continue;
    sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y, n += 1;
  }
  const double cov = sab / n - sa / n * sb / n;
  return cov / std::sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
}

double share_of(const Column& c, double value) {
  size_t k = 0;
  for (size_t i = 0; i < c.size(); ++i) k += c.numeric(i) == value;
  return static_cast<double>(k) / static_cast<double>(c.size());
}

double missing_rate(const Column& c) {
  return static_cast<double>(c.missing_count()) / static_cast<double>(c.size());
}

// x ~ N(10, 2); y with corr(x, y) = 0.8 (y skewed by exp, so the marginals matter);
// grade = a/b/c by thresholds of x + noise (shares about 0.5 / 0.3 / 0.2).
Table correlated_table(size_t n, uint64_t seed) {
  Rng r(seed, 0);
  std::vector<double> x(n), y(n);
  std::vector<int32_t> grade(n);
  for (size_t i = 0; i < n; ++i) {
    const double z1 = r.normal(), z2 = 0.8 * z1 + 0.6 * r.normal();
    x[i] = 10 + 2 * z1;
    y[i] = 3 + 0.5 * z2;
    const double g = z1 + 0.5 * r.normal();
    grade[i] = g < 0.0 ? 0 : (g < 0.93 ? 1 : 2);
  }
  return Table({Column::float64("x", x), Column::float64("y", y),
                Column::categorical("grade", grade, {"a", "b", "c"})});
}

void expect_same_table(const Table& a, const Table& b) {
  ASSERT_EQ(a.num_columns(), b.num_columns());
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t j = 0; j < a.num_columns(); ++j)
    for (size_t i = 0; i < a.num_rows(); ++i) {
      const double x = a.column(j).numeric(i), y = b.column(j).numeric(i);
      ASSERT_TRUE(x == y || (std::isnan(x) && std::isnan(y)))
          << a.column(j).name << " row " << i << ": " << x << " vs " << y;
    }
}

}  // namespace

TEST(GaussianCopula, IsRegisteredWithItsParameters) {
  const MethodInfo& m = method_registry().get("gaussian_copula");
  EXPECT_TRUE(m.available);
  ASSERT_NE(m.params.find("default_distribution"), nullptr);
  ASSERT_NE(m.params.find("shrinkage"), nullptr);
  EXPECT_THROW(m.params.resolve(Json{{"default_distribution", "lognormal"}}, m.name),
               InvalidArgument);
  EXPECT_THROW(m.params.resolve(Json{{"shrinkage", 1.5}}, m.name), InvalidArgument);
  EXPECT_TRUE(m.create()->can_condition());
}

TEST(GaussianCopula, ReproducesCorrelationAndCategoryShares) {
  const Table real = correlated_table(20000, 1);
  auto f = fit(real);
  const Table syn = sample(f, 20000);
  ASSERT_EQ(syn.column_names(), real.column_names());
  EXPECT_NEAR(pearson(syn.column("x"), syn.column("y")),
              pearson(real.column("x"), real.column("y")), 0.03);
  EXPECT_NEAR(pearson(syn.column("x"), syn.column("y")), 0.8, 0.03);
  for (double code : {0.0, 1.0, 2.0})
    EXPECT_NEAR(share_of(syn.column("grade"), code), share_of(real.column("grade"), code), 0.02);
  // The category keeps its link to x: the mean of x in grade a is well below the overall mean.
  double sum_a = 0, n_a = 0;
  for (size_t i = 0; i < syn.num_rows(); ++i)
    if (syn.column("grade").codes[i] == 0) sum_a += syn.column("x").f64[i], n_a += 1;
  EXPECT_LT(sum_a / n_a, 9.0);
  // Normal data passes the KS test and is modelled as normal.
  EXPECT_EQ(f.model->describe()["columns"][0]["distribution"], "norm");
  EXPECT_EQ(f.model->shrinkage(), 0.0);
}

TEST(GaussianCopula, SameSeedSameOutputAndThreadCountIndependent) {
  const Table real = correlated_table(3000, 2);
  auto f1 = fit(real, Json::object(), 5, 1);
  auto f2 = fit(real, Json::object(), 5, 2);
  const Table a = sample(f1, 10000, 3, 1);
  expect_same_table(a, sample(f1, 10000, 3, 1));
  expect_same_table(a, sample(f2, 10000, 3, 2));
  const Table other = sample(f1, 10000, 4, 1);
  EXPECT_NE(a.column("x").f64, other.column("x").f64);
}

TEST(GaussianCopula, ConditionalSharesAreExactAndKeepClassShape) {
  const Table real = correlated_table(20000, 3);
  auto f = fit(real);
  ColumnShares shares{"grade", {0.0, 1.0, 2.0}, {0.2, 0.3, 0.5}};
  const Table syn = sample(f, 10000, 9, 2, &shares);
  EXPECT_DOUBLE_EQ(share_of(syn.column("grade"), 0.0), 0.2);
  EXPECT_DOUBLE_EQ(share_of(syn.column("grade"), 1.0), 0.3);
  EXPECT_DOUBLE_EQ(share_of(syn.column("grade"), 2.0), 0.5);
  // Per class, the mean of x matches the real class mean (within sampling noise).
  for (int32_t g = 0; g < 3; ++g) {
    double rs = 0, rn = 0, ss = 0, sn = 0;
    for (size_t i = 0; i < real.num_rows(); ++i)
      if (real.column("grade").codes[i] == g) rs += real.column("x").f64[i], rn += 1;
    for (size_t i = 0; i < syn.num_rows(); ++i)
      if (syn.column("grade").codes[i] == g) ss += syn.column("x").f64[i], sn += 1;
    EXPECT_NEAR(ss / sn, rs / rn, 0.1) << "grade " << g;
  }
  // Deterministic across thread counts as well.
  expect_same_table(syn, sample(f, 10000, 9, 1, &shares));
  // A category that never occurs cannot be produced.
  ColumnShares bad{"grade", {0.0, 7.0}, {0.5, 0.5}};
  EXPECT_THROW(sample(f, 100, 9, 1, &bad), DataError);
}

TEST(GaussianCopula, ConditionalSharesOnANumericColumnSetTheValues) {
  Rng r(4, 0);
  std::vector<int64_t> level(5000);
  std::vector<double> v(5000);
  for (size_t i = 0; i < level.size(); ++i) {
    level[i] = static_cast<int64_t>(r.below(30));
    v[i] = static_cast<double>(level[i]) + r.normal();
  }
  Table real({Column::int64("level", level), Column::float64("v", v)});
  auto f = fit(real);
  ColumnShares shares{"level", {3.0, 25.0}, {0.5, 0.5}};
  const Table syn = sample(f, 4000, 1, 1, &shares);
  EXPECT_DOUBLE_EQ(share_of(syn.column("level"), 3.0), 0.5);
  EXPECT_DOUBLE_EQ(share_of(syn.column("level"), 25.0), 0.5);
  double low = 0, high = 0;
  for (size_t i = 0; i < syn.num_rows(); ++i)
    (syn.column("level").i64[i] == 3 ? low : high) += syn.column("v").f64[i] / 2000.0;
  EXPECT_NEAR(low, 3.0, 1.5);
  EXPECT_NEAR(high, 25.0, 1.5);
}

TEST(GaussianCopula, ConstantDuplicatedAndEmptyColumnsDoNotBreak) {
  const size_t n = 2000;
  Rng r(5, 0);
  std::vector<double> x(n), constant(n, 4.25), empty(n, NAN);
  for (auto& v : x) v = r.normal();
  std::vector<int32_t> one_level(n, 0);
  Table real({Column::float64("x", x), Column::float64("x_copy", x),
              Column::float64("constant", constant), Column::float64("empty", empty),
              Column::categorical("one_level", one_level, {"only"})});
  auto f = fit(real);
  EXPECT_GT(f.model->shrinkage(), 0.0);  // x and x_copy make the correlation singular
  EXPECT_LE(f.model->shrinkage(), 1e-3);
  const Table syn = sample(f, 3000);
  EXPECT_GT(pearson(syn.column("x"), syn.column("x_copy")), 0.99);
  for (size_t i = 0; i < syn.num_rows(); ++i) {
    ASSERT_EQ(syn.column("constant").f64[i], 4.25);
    ASSERT_TRUE(std::isnan(syn.column("empty").f64[i]));
    ASSERT_EQ(syn.column("one_level").codes[i], 0);
  }
  // A table of identical rows still samples (every column constant).
  Table same({Column::float64("a", std::vector<double>(50, 1.0)),
              Column::categorical("b", std::vector<int32_t>(50, 0), {"k"})});
  auto g = fit(same);
  EXPECT_EQ(g.model->num_variables(), 0u);
  EXPECT_EQ(sample(g, 10).column("a").f64, std::vector<double>(10, 1.0));
}

TEST(GaussianCopula, MissingRatesAndTheirLinkArePreserved) {
  const size_t n = 20000;
  Rng r(6, 0);
  std::vector<double> x(n), income(n);
  std::vector<int32_t> colour(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = r.normal();
    // Missing exactly when x is large (about 16%): missingness depends on x.
    income[i] = x[i] > 1.0 ? NAN : 100 + 20 * x[i] + 5 * r.normal();
    colour[i] = r.uniform() < 0.1 ? -1 : static_cast<int32_t>(r.below(2));
  }
  Table real({Column::float64("x", x), Column::float64("income", income),
              Column::categorical("colour", colour, {"red", "blue"})});
  auto f = fit(real);
  const Table syn = sample(f, n);
  EXPECT_NEAR(missing_rate(syn.column("income")), missing_rate(real.column("income")), 0.02);
  EXPECT_NEAR(missing_rate(syn.column("colour")), missing_rate(real.column("colour")), 0.02);
  double mean_x_missing = 0, count = 0;
  for (size_t i = 0; i < n; ++i)
    if (std::isnan(syn.column("income").f64[i])) mean_x_missing += syn.column("x").f64[i], ++count;
  EXPECT_GT(mean_x_missing / count, 0.8);  // real: E[x | x > 1] = 1.53; independent would be 0
}

TEST(GaussianCopula, KeepsStorageTypesIdsAndRanges) {
  const size_t n = 400;
  Rng r(8, 0);
  std::vector<int64_t> count(n), when(n), serial(n);
  std::vector<uint8_t> flag(n), flag_valid(n);
  std::vector<int32_t> key(n);
  std::vector<std::string> dict;
  for (size_t i = 0; i < n; ++i) {
    count[i] = static_cast<int64_t>(r.gamma(3.0) * 10);
    when[i] =
        1'600'000'000'000'000'000LL + static_cast<int64_t>(r.below(86'400'000'000'000LL * 30));
    serial[i] = static_cast<int64_t>(1000 + 3 * i);
    flag[i] = r.uniform() < 0.3;
    flag_valid[i] = i % 10 != 0;
    key[i] = static_cast<int32_t>(i);
    std::string digits = std::to_string(i + 1);
    dict.push_back("CUST-" + std::string(4 - digits.size(), '0') + digits);
  }
  Table real({Column::int64("count", count), Column::datetime("when", when),
              Column::int64("serial", serial), Column::boolean("flag", flag, flag_valid),
              Column::categorical("key", key, dict)});
  SchemaOptions opts;
  opts.overrides["serial"] = SemanticType::id;
  auto f = fit(real, Json{{"default_distribution", "empirical"}}, 1, 1, opts);
  ASSERT_EQ(f.schema["key"].semantic, SemanticType::id);
  const Table syn = sample(f, 600);
  for (size_t j = 0; j < real.num_columns(); ++j)
    EXPECT_EQ(syn.column(j).type, real.column(j).type) << real.column(j).name;
  const auto [lo, hi] = std::minmax_element(when.begin(), when.end());
  for (size_t i = 0; i < syn.num_rows(); ++i) {
    ASSERT_GE(syn.column("when").i64[i], *lo);
    ASSERT_LE(syn.column("when").i64[i], *hi);
    ASSERT_EQ(syn.column("serial").i64[i], static_cast<int64_t>(i + 1));
  }
  EXPECT_NEAR(missing_rate(syn.column("flag")), 0.1, 0.04);
  std::set<std::string> keys;
  for (size_t i = 0; i < syn.num_rows(); ++i) keys.insert(syn.column("key").text(i));
  EXPECT_EQ(keys.size(), 600u);
  EXPECT_EQ(*keys.begin(), "CUST-0001");
  EXPECT_EQ(*keys.rbegin(), "CUST-0600");
  EXPECT_EQ(f.model->describe()["columns"][0]["distribution"], "empirical");
}

TEST(GaussianCopula, ShrinkageParameterPullsCorrelationsTowardsZero) {
  const Table real = correlated_table(10000, 4);
  auto f = fit(real, Json{{"shrinkage", 0.5}});
  EXPECT_EQ(f.model->shrinkage(), 0.5);
  EXPECT_NEAR(f.model->correlation()(0, 1), 0.5 * 0.8, 0.02);
  const Table syn = sample(f, 10000);
  EXPECT_NEAR(pearson(syn.column("x"), syn.column("y")), 0.4, 0.04);
}

TEST(GaussianCopula, PenguinsKeepTypesSharesAndMissingRates) {
  const std::string path = std::string(CALM_DATASETS_DIR) + "/penguins.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  const Table real = read_csv(path);
  auto f = fit(real);
  const Table syn = sample(f, 20000);
  for (size_t j = 0; j < real.num_columns(); ++j) {
    const Column &r = real.column(j), &s = syn.column(j);
    EXPECT_EQ(s.type, r.type) << r.name;
    EXPECT_NEAR(missing_rate(s), missing_rate(r), 0.01) << r.name;
    if (r.type == StorageType::categorical) {
      for (int32_t code = 0; code < static_cast<int32_t>(r.dict.size()); ++code)
        EXPECT_NEAR(share_of(s, code), share_of(r, code), 0.02) << r.name << "=" << r.dict[code];
    }
  }
  // Bill length and flipper length are strongly correlated (0.66) in the real data.
  EXPECT_NEAR(pearson(syn.column("bill_length_mm"), syn.column("flipper_length_mm")),
              pearson(real.column("bill_length_mm"), real.column("flipper_length_mm")), 0.05);
}
