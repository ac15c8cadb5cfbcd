// The `lgbm` synthesizer: marginals, a deterministic X -> Y dependency, a linear X -> W relation
// with missing values, determinism across thread counts, ids, Gibbs rounds and parameter checks.
#include <gtest/gtest.h>

#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"

using namespace calm;

namespace {

Logger& quiet() {
  static Logger l(LogLevel::quiet, [](LogLevel, const std::string&) {});
  return l;
}

int band(double x) {
  return x < -0.4 ? 0 : x < 0.8 ? 1 : 2;
}

// x ~ N(0,1); y = band(x) as a category; w = 3x + N(0, 0.5^2) with 20% missing; k = a count;
// f = a flag (25% true); c = an independent 4-level category with 10% missing; id = a key.
Table demo_table(size_t n, uint64_t seed) {
  Rng rng(seed, 7);
  std::vector<double> x(n), w(n);
  std::vector<int32_t> y(n), c(n);
  std::vector<int64_t> k(n), id(n);
  std::vector<uint8_t> f(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = rng.normal();
    y[i] = band(x[i]);
    w[i] = rng.uniform() < 0.2 ? std::nan("") : 3 * x[i] + 0.5 * rng.normal();
    k[i] = static_cast<int64_t>(rng.below(6)) + (x[i] > 0 ? 10 : 0);
    f[i] = rng.uniform() < 0.25;
    c[i] = rng.uniform() < 0.1 ? -1 : static_cast<int32_t>(rng.below(4));
    id[i] = static_cast<int64_t>(5000 + 3 * i);
  }
  return Table({Column::float64("x", x), Column::categorical("y", y, {"low", "mid", "high"}),
                Column::float64("w", w), Column::int64("k", k), Column::boolean("f", f),
                Column::categorical("c", c, {"a", "b", "c", "d"}), Column::int64("id", id)});
}

struct Model {
  Schema schema;
  std::unique_ptr<Synthesizer> synth;
};

Model fit(const Table& t, Json params = Json::object(), int threads = 1) {
  SchemaOptions so;
  so.overrides["id"] = SemanticType::id;
  so.overrides["k"] = SemanticType::numerical;
  Model m{infer_schema(t, so), nullptr};
  const MethodInfo& info = Registry::global().get("lgbm");
  if (!params.contains("n_estimators")) params["n_estimators"] = 25;
  m.synth = info.create();
  FitContext ctx{m.schema, std::string("y"), info.params.resolve(params, "lgbm"),
                 9,        threads,          quiet()};
  m.synth->fit(t, ctx);
  return m;
}

Table draw(const Model& m, size_t n, int threads = 1, uint64_t seed = 4) {
  SampleContext ctx{seed, threads, quiet()};
  return m.synth->sample(n, ctx);
}

double mean_of(const Column& c) {
  double s = 0, k = 0;
  for (size_t i = 0; i < c.size(); ++i)
    if (!c.is_missing(i)) s += c.numeric(i), k += 1;
  return s / k;
}

double sd_of(const Column& c) {
  const double m = mean_of(c);
  double s = 0, k = 0;
  for (size_t i = 0; i < c.size(); ++i)
    if (!c.is_missing(i)) s += (c.numeric(i) - m) * (c.numeric(i) - m), k += 1;
  return std::sqrt(s / k);
}

double missing_share(const Column& c) {
  return static_cast<double>(c.missing_count()) / static_cast<double>(c.size());
}

bool same_table(const Table& a, const Table& b) {
  if (a.num_rows() != b.num_rows() || a.num_columns() != b.num_columns()) return false;
  for (size_t j = 0; j < a.num_columns(); ++j)
    for (size_t i = 0; i < a.num_rows(); ++i)
      if (a.column(j).text(i) != b.column(j).text(i)) return false;
  return true;
}

}  // namespace

TEST(Lgbm, IsRegisteredAndAvailable) {
  const MethodInfo& info = Registry::global().get("lgbm");
  EXPECT_TRUE(info.available);
  EXPECT_EQ(info.family, "fcs");
}

TEST(Lgbm, KeepsMarginalsDependencyAndMissingRates) {
  const Table real = demo_table(3000, 1);
  const Model m = fit(real);
  const Table syn = draw(m, 3000);
  ASSERT_EQ(syn.num_rows(), 3000u);
  ASSERT_EQ(syn.column_names(), real.column_names());
  // Marginals: mean within 0.1 sd, sd within 12%.
  for (const char* name : {"x", "w", "k"}) {
    const Column &r = real.column(name), &s = syn.column(name);
    EXPECT_NEAR(mean_of(s), mean_of(r), 0.1 * sd_of(r)) << name;
    EXPECT_NEAR(sd_of(s), sd_of(r), 0.12 * sd_of(r)) << name;
  }
  EXPECT_NEAR(mean_of(syn.column("f")), 0.25, 0.04);
  EXPECT_NEAR(missing_share(syn.column("w")), missing_share(real.column("w")), 0.04);
  EXPECT_NEAR(missing_share(syn.column("c")), missing_share(real.column("c")), 0.04);
  // y = band(x) holds for most synthetic rows (the boundary rows are the uncertain ones).
  const Column &sx = syn.column("x"), &sy = syn.column("y");
  size_t agree = 0;
  for (size_t i = 0; i < syn.num_rows(); ++i)
    agree += sy.dict[sy.codes[i]] == std::string(std::array{"low", "mid", "high"}[band(sx.f64[i])]);
  EXPECT_GT(static_cast<double>(agree) / syn.num_rows(), 0.9);
  // w = 3x + noise: the correlation (about 0.986 in the data) is kept.
  double sxy = 0, sxx = 0, syy = 0, mx = mean_of(sx), mw = mean_of(syn.column("w"));
  const Column& sw = syn.column("w");
  for (size_t i = 0; i < syn.num_rows(); ++i) {
    if (sw.is_missing(i)) continue;
    sxy += (sx.f64[i] - mx) * (sw.f64[i] - mw);
    sxx += (sx.f64[i] - mx) * (sx.f64[i] - mx);
    syy += (sw.f64[i] - mw) * (sw.f64[i] - mw);
  }
  EXPECT_GT(sxy / std::sqrt(sxx * syy), 0.95);
}

TEST(Lgbm, OutputKeepsStorageAndGivesFreshIds) {
  const Table real = demo_table(600, 2);
  const Table syn = draw(fit(real), 700);
  for (size_t j = 0; j < real.num_columns(); ++j)
    EXPECT_EQ(syn.column(j).type, real.column(j).type) << real.column(j).name;
  const Column& id = syn.column("id");
  for (size_t i = 0; i < id.size(); ++i) ASSERT_EQ(id.i64[i], static_cast<int64_t>(i + 1));
  const Column& c = syn.column("c");
  EXPECT_EQ(c.dict, real.column("c").dict);  // levels written with the real dictionary
}

TEST(Lgbm, DeterministicAcrossThreadCounts) {
  const Table real = demo_table(1000, 3);
  const Json few_trees = {{"n_estimators", 10}};
  const Model one = fit(real, few_trees, 1);
  const Model two = fit(real, few_trees, 2);
  // 9000 rows = 3 sampling chunks, so two threads really split the work.
  const Table a = draw(one, 9000, 1), b = draw(two, 9000, 2), c = draw(one, 9000, 2);
  EXPECT_TRUE(same_table(a, b));
  EXPECT_TRUE(same_table(a, c));
  EXPECT_FALSE(same_table(a, draw(one, 9000, 1, 5)));  // another sampling seed differs
}

TEST(Lgbm, GibbsRoundsKeepTheMarginals) {
  const Table real = demo_table(1500, 4);
  const Table syn = draw(fit(real, {{"iterations", 1}, {"n_estimators", 15}}), 1500);
  EXPECT_NEAR(mean_of(syn.column("x")), mean_of(real.column("x")), 0.12);
  EXPECT_NEAR(sd_of(syn.column("w")), sd_of(real.column("w")), 0.15 * sd_of(real.column("w")));
}

TEST(Lgbm, VisitSequenceAndParameterErrors) {
  const Table real = demo_table(400, 5);
  EXPECT_NO_THROW(fit(real, {{"visit_sequence", {"y", "x"}}, {"num_leaves", 8}}));
  EXPECT_NO_THROW(fit(real, {{"lgbm_learning_rate", 0.2}, {"max_depth", 4}}));
  EXPECT_THROW(fit(real, {{"visit_sequence", {"nope"}}}), InvalidArgument);
  EXPECT_THROW(fit(real, {{"visit_sequence", {"id"}}}), InvalidArgument);  // ids are not drawn
  EXPECT_THROW(fit(real, {{"learning_rate", 0}}), InvalidArgument);
  EXPECT_THROW(fit(real, {{"residuals", "leafy"}}), InvalidArgument);
}
