// The DP family end to end: the DP domain (public vs privately learnt bounds and categories),
// dp (mst, aim, mwem) and datasynth through RealGenerator — fidelity at a large epsilon,
// determinism, the guarantee in the report, persistence, conditioning, and the bad-input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "calm/calm.hpp"
#include "dp_test_tables.hpp"
#include "privacy/dp_domain.hpp"

using namespace calm;
using calm::dp_test::customers;
using calm::dp_test::tvd;

namespace {

RealGenerator quiet(uint64_t seed) {
  return dp_test::quiet(seed, 2);
}

GenerateOptions dp_options(const std::string& method, Json params, int64_t n = 4000) {
  GenerateOptions o;
  o.n_samples = n;
  o.method = method;
  o.model_params = std::move(params);
  return o;
}

template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

double mean_of(const Column& c) {
  double s = 0;
  size_t k = 0;
  for (size_t i = 0; i < c.size(); ++i)
    if (!c.is_missing(i)) s += c.numeric(i), ++k;
  return s / k;
}

}  // namespace

TEST(DpDomain, PublicBoundsAndCategoriesSpendNothingAndClipWithACount) {
  const Table t = customers(2000);
  const Schema schema = infer_schema(t);
  DpDomainOptions o;
  o.bounds = {{"age", {20, 80}}, {"income", {0, 5000}}};
  o.domain = {{"region", {"north", "south", "west"}}, {"plan", {"basic", "plus"}}};
  Rng rng(1, 0);
  Logger log(LogLevel::quiet, nullptr);
  const DpDomain d = DpDomain::learn(t, schema, o, rng, log);
  EXPECT_EQ(d.budget_spent(), 0);
  EXPECT_EQ(d.delta_spent(), 0);
  EXPECT_EQ(d.released_schema()["age"].min, 20);
  EXPECT_EQ(d.released_schema()["age"].max, 80);
  size_t pro = 0, outside_age = 0;
  for (size_t i = 0; i < t.num_rows(); ++i) {
    pro += t.column("plan").text(i) == "pro";
    outside_age += t.column("age").numeric(i) < 20 || t.column("age").numeric(i) > 80;
  }
  const auto& cols = d.columns();
  EXPECT_EQ(cols[1].clipped, pro);  // plan: 'pro' is not in the public list
  EXPECT_EQ(cols[3].clipped, outside_age);
  EXPECT_EQ(cols[4].clipped, 1u);  // the income outlier
  // Codes decode back into the same bins/levels.
  const CodedTable coded = d.encode(t);
  const Table back = d.decode(coded.codes, 3, 2);
  const CodedTable again = d.encode(back);
  EXPECT_EQ(coded.codes, again.codes);
}

TEST(DpDomain, PrivateReleaseHidesRareCategoriesAndOutliers) {
  Table t = customers(5000);
  // One row with a unique region: its category must not be released.
  std::vector<int32_t> region(t.num_rows());
  for (size_t i = 0; i < t.num_rows(); ++i) region[i] = t.column("region").codes[i];
  region[10] = 3;
  t = t.drop("region").with_column(
      Column::categorical("region", region, {"north", "south", "west", "atlantis"}), 0);
  const Schema schema = infer_schema(t);
  DpDomainOptions o;
  o.budget = 0.05;  // rho
  o.delta = 1e-6;
  Rng rng(2, 0);
  Logger log(LogLevel::quiet, nullptr);
  const DpDomain d = DpDomain::learn(t, schema, o, rng, log);
  const auto& region_levels = d.columns()[0].levels;
  EXPECT_EQ(region_levels, (std::vector<std::string>{"north", "south", "west"}));
  const ColumnSchema& income = d.released_schema()["income"];
  EXPECT_LT(income.max, 1e6) << "the single outlier must not set the released range";
  EXPECT_GT(income.max, 1900);
  EXPECT_LE(income.min, 900);
  EXPECT_GT(d.budget_spent(), 0);
  EXPECT_LE(d.budget_spent(), 0.05 + 1e-12);
  EXPECT_NEAR(d.delta_spent(), 1e-6, 1e-18);  // the two categorical columns share delta
}

TEST(DpDomain, BadBoundsAndDomainsAreNamed) {
  const Table t = customers(500);
  const Schema schema = infer_schema(t);
  Rng rng(1, 0);
  Logger log(LogLevel::quiet, nullptr);
  auto learn = [&](Json bounds, Json domain, double budget, double delta) {
    DpDomainOptions o;
    o.bounds = std::move(bounds);
    o.domain = std::move(domain);
    o.budget = budget;
    o.delta = delta;
    return error_of([&] { DpDomain::learn(t, schema, o, rng, log); });
  };
  EXPECT_NE(learn({{"agee", {0, 1}}}, Json::object(), 1, 1e-6).find("columns are: region"),
            std::string::npos);
  EXPECT_NE(learn({{"age", {5, 1}}}, Json::object(), 1, 1e-6).find("low < high"),
            std::string::npos);
  EXPECT_NE(learn({{"region", {0, 1}}}, Json::object(), 1, 1e-6).find("use domain"),
            std::string::npos);
  EXPECT_NE(learn(Json::object(), {{"plan", "basic"}}, 1, 1e-6).find("non-empty list"),
            std::string::npos);
  EXPECT_NE(learn(Json::object(), Json::object(), 1, 0).find("delta > 0"), std::string::npos);
  EXPECT_NE(learn(Json::object(), Json::object(), 0, 1e-6).find("preprocessor_eps"),
            std::string::npos);
}

class DpMethods : public ::testing::TestWithParam<std::string> {};

// method:synth_type of each marginal-based DP method.
GenerateOptions options_for(const std::string& which, Json params, int64_t n = 4000) {
  const auto colon = which.find(':');
  if (colon == std::string::npos) return dp_options(which, std::move(params), n);
  params["synth_type"] = which.substr(colon + 1);
  return dp_options(which.substr(0, colon), std::move(params), n);
}

TEST_P(DpMethods, LargeEpsilonKeepsTheJointStructure) {
  const Table real = customers(6000);
  auto g = quiet(11);
  const Table syn = g.generate(real, options_for(GetParam(), {{"epsilon", 200.0}}));
  ASSERT_EQ(syn.num_rows(), 4000u);
  EXPECT_LT(tvd(real, syn, "region", "plan"), 0.06);
  EXPECT_LT(tvd(real, syn, "plan", "churn"), 0.06);
  EXPECT_NEAR(mean_of(syn.column("age")), mean_of(real.column("age")), 1.5);
  // Every output value lies in the released domain: income never reaches the outlier.
  for (size_t i = 0; i < syn.num_rows(); ++i) EXPECT_FALSE(syn.column("income").numeric(i) >= 1e6);
}

TEST_P(DpMethods, SmallEpsilonRunsAndIsWorseThanLarge) {
  const Table real = customers(6000);
  double small = 0, large = 0;
  for (uint64_t s = 1; s <= 3; ++s) {
    auto g = quiet(s);
    // Public bounds: at epsilon 0.2 the numeric ranges cannot be learnt privately (an error).
    const Json bounds = {{"age", {0, 100}}, {"income", {0, 3000}}};
    small +=
        tvd(real, g.generate(real, options_for(GetParam(), {{"epsilon", 0.2}, {"bounds", bounds}})),
            "region", "plan");
    large +=
        tvd(real, g.generate(real, options_for(GetParam(), {{"epsilon", 50.0}})), "region", "plan");
  }
  EXPECT_GT(small, large);
}

TEST_P(DpMethods, DeterministicSavedAndReportedWithItsGuarantee) {
  const Table real = customers(3000);
  const auto dir =
      std::filesystem::temp_directory_path() / ("calm_dp_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  GenerateOptions o = options_for(GetParam(), {{"epsilon", 1.0}}, 1000);
  o.output_dir = dir.string();
  auto a = quiet(5);
  const Table first = a.generate(real, o);
  auto b = quiet(5);
  o.output_dir.reset();
  const Table second = b.generate(real, o);
  for (size_t c = 0; c < first.num_columns(); ++c)
    for (size_t i = 0; i < first.num_rows(); ++i)
      ASSERT_EQ(first.column(c).text(i), second.column(c).text(i));
  std::ifstream in(dir / "sdv_quality_report.json");
  const Json report = Json::parse(in);
  ASSERT_TRUE(report.contains("differential_privacy"));
  const Json& g = report["differential_privacy"];
  EXPECT_DOUBLE_EQ(g["epsilon"].get<double>(), 1.0);
  EXPECT_LE(g["delta"].get<double>(), 1e-5);
  EXPECT_FALSE(g["public_inputs"].empty());
  double spent = 0;
  const bool zcdp = g.contains("rho");
  for (const auto& s : g["spends"]) spent += s.value(zcdp ? "rho" : "epsilon", 0.0);
  EXPECT_LE(spent, (zcdp ? g["rho"].get<double>() : 1.0) * (1 + 1e-9));
  EXPECT_GT(spent, (zcdp ? g["rho"].get<double>() : 1.0) * 0.5);
  // Saved and loaded: the same rows for the same seed.
  const auto path = (dir / "model.calm").string();
  a.save(path);
  auto loaded = RealGenerator::load(path, a.settings());
  GenerateOptions so;
  so.n_samples = 500;
  so.method = o.method;
  so.model_params = o.model_params;
  const Table x = a.sample(so), y = loaded.sample(so);
  for (size_t c = 0; c < x.num_columns(); ++c)
    for (size_t i = 0; i < x.num_rows(); ++i) ASSERT_EQ(x.column(c).text(i), y.column(c).text(i));
  // The model file holds no real value that was not released: not the outlier.
  std::ifstream f(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), {});
  const double outlier = 1e7;
  EXPECT_EQ(bytes.find(std::string(reinterpret_cast<const char*>(&outlier), 8)), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_P(DpMethods, BalancedTargetIsMetByConditioning) {
  const Table real = customers(4000);
  auto g = quiet(3);
  GenerateOptions o = options_for(GetParam(), {{"epsilon", 5.0}}, 3000);
  o.target_col = "plan";
  o.balance_target = true;
  const Table syn = g.generate(real, o);
  std::map<std::string, size_t> counts;
  for (size_t i = 0; i < syn.num_rows(); ++i) ++counts[syn.column("plan").text(i)];
  for (const auto& [k, v] : counts) EXPECT_NEAR(static_cast<double>(v), 1000.0, 1.0) << k;
}

// Real data with numeric-stored categories (year: 2007-2009) and integer and float measures with
// missing values: every output value lies in the released domain and near the real range, under
// zCDP (mst, aim) and pure DP (mwem, datasynth), whose Laplace tails are heavier.
TEST_P(DpMethods, PenguinsKeepTheirRangesAndNumericCategories) {
  const Table real = read_csv(std::string(CALM_SOURCE_DIR) + "/examples/penguins.csv");
  double mass_mean = 0;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    auto g = quiet(seed);
    // aim at epsilon 50 grows its model to max_model_size (80 MB of tables, a minute of
    // mirror descent here): the ranges are the point, so a small model.
    Json params = {{"epsilon", 50.0}};
    if (GetParam() == std::string("dp:aim"))
      params.update({{"max_model_size", 1.0}, {"iterations", 300}});
    const Table syn = g.generate(real, options_for(GetParam(), params, 500));
    // The missing level is part of every private domain (that year is never missing is not
    // public), so noise gives it a few rows.
    size_t missing_years = 0;
    for (size_t i = 0; i < syn.num_rows(); ++i) {
      const double year = syn.column("year").numeric(i);
      missing_years += std::isnan(year);
      EXPECT_TRUE(std::isnan(year) || year == 2007 || year == 2008 || year == 2009) << year;
      const double mass = syn.column("body_mass_g").numeric(i);
      EXPECT_TRUE(std::isnan(mass) || (mass >= 2048 && mass <= 8192)) << mass;
      const double bill = syn.column("bill_length_mm").numeric(i);
      EXPECT_TRUE(std::isnan(bill) || (bill >= 25 && bill <= 70)) << bill;
    }
    EXPECT_LE(missing_years, syn.num_rows() / 20);
    mass_mean += mean_of(syn.column("body_mass_g")) / 3;
  }
  EXPECT_NEAR(mass_mean, mean_of(real.column("body_mass_g")), 250);  // over three seeds
}

INSTANTIATE_TEST_SUITE_P(Marginal, DpMethods,
                         ::testing::Values("dp:mst", "dp:aim", "dp:mwem", "datasynth"),
                         [](const auto& info) {
                           std::string s = info.param;
                           std::replace(s.begin(), s.end(), ':', '_');
                           return s;
                         });

TEST(DpMethods, BadPrivacyParametersAreClearErrors) {
  const Table real = customers(1000);
  auto g = quiet(1);
  auto err = [&](const std::string& m, Json p) {
    return error_of([&] { g.generate(real, options_for(m, std::move(p), 10)); });
  };
  EXPECT_NE(err("dp:mst", {{"epsilon", 0}}).find("epsilon"), std::string::npos);
  EXPECT_NE(err("dp:mst", {{"epsilon", -1}}).find("epsilon"), std::string::npos);
  EXPECT_NE(err("dp:mst", {{"delta", 0.01}}).find("below 1/rows"), std::string::npos);
  EXPECT_NE(err("dp:mst", {{"delta", 0}}).find("delta"), std::string::npos);
  EXPECT_NE(err("dp", {{"synth_type", "gan"}}).find("mst"), std::string::npos);
  EXPECT_NE(err("dp:mst", {{"epsilonn", 1}}).find("epsilon"), std::string::npos);
  EXPECT_NE(err("datasynth", {{"k", -1}}).find("k"), std::string::npos);
  EXPECT_NE(err("dp:aim", {{"preprocessor_eps", 2.0}}).find("below epsilon"), std::string::npos);
}

TEST(DpMethods, AliasesOfTheSeedAreAccepted) {
  const Table real = customers(1500);
  auto g = quiet(1);
  GenerateOptions o = options_for("dp:mst", {{"dp_epsilon", 0.5}, {"dp_delta", 1e-6}}, 100);
  o.model_params["bounds"] = {{"age", {0, 100}}, {"income", {0, 3000}}};
  EXPECT_EQ(g.generate(real, o).num_rows(), 100u);
}

// A range that cannot stand out of the noise is an error naming the column and the way out, never
// a range made of noise (values off by orders of magnitude).
TEST(DpMethods, UnlearnableRangeIsAClearError) {
  const Table real = customers(300);
  auto g = quiet(1);
  for (const char* which : {"dp:mst", "dp:mwem", "datasynth"}) {
    const std::string e = error_of([&] {
      g.generate(real, options_for(which, {{"epsilon", 0.05}}, 10));
    });
    EXPECT_NE(e.find("cannot be learnt privately"), std::string::npos) << which << ": " << e;
    EXPECT_NE(e.find("bounds"), std::string::npos) << e;
    // With public bounds the same budget works.
    const Json bounds = {{"age", {0, 100}}, {"income", {0, 3000}}};
    EXPECT_EQ(g.generate(real, options_for(which, {{"epsilon", 0.05}, {"bounds", bounds}}, 10))
                  .num_rows(),
              10u);
  }
}
