// `gmm`: log-likelihood against scikit-learn's GaussianMixture (fixture made by
// tests/fixtures/make_gmm_fixtures.py), mixed data (categories stay categories, missing values),
// BIC selection, output shape, determinism across thread counts, and quality on penguins.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "calm/calm.hpp"
#include "calm/eval/quality.hpp"
#include "models/mixture/gmm_synthesizer.hpp"

using namespace calm;

namespace {

const Logger& quiet() {
  static Logger log(LogLevel::quiet, nullptr);
  return log;
}

std::unique_ptr<GaussianMixtureSynthesizer> fit_gmm(const Table& data, const Json& params,
                                                    uint64_t seed = 7) {
  const Schema schema = infer_schema(data);
  auto g = std::make_unique<GaussianMixtureSynthesizer>();
  FitContext ctx{schema, std::nullopt, Params(params), seed, 1, quiet()};
  g->fit(data, ctx);
  return g;
}

Table blobs() {
  return read_csv(std::string(CALM_SOURCE_DIR) + "/tests/data/gmm/blobs.csv");
}

Json sklearn_scores() {
  std::ifstream in(std::string(CALM_SOURCE_DIR) + "/tests/data/gmm/sklearn_scores.json");
  return Json::parse(in);
}

// Two clusters; a categorical that depends on the cluster, a boolean, and missing values.
Table mixed_table(size_t n = 400) {
  Rng rng(11, 0);
  std::vector<double> x(n), y(n);
  std::vector<int32_t> colour(n);
  std::vector<uint8_t> flag(n);
  for (size_t i = 0; i < n; ++i) {
    const bool second = i % 4 == 0;
    x[i] = (second ? 10.0 : 0.0) + rng.normal();
    y[i] = (second ? -5.0 : 5.0) + 2.0 * rng.normal();
    colour[i] = second ? (rng.uniform() < 0.9 ? 2 : 0) : (rng.uniform() < 0.5 ? 0 : 1);
    flag[i] = second ? 1 : 0;
    if (i % 10 == 3) y[i] = std::nan("");
  }
  return Table({Column::float64("x", x), Column::float64("y", y),
                Column::categorical("colour", colour, {"red", "green", "blue"}),
                Column::boolean("flag", flag)});
}

}  // namespace

TEST(Gmm, MatchesSklearnLogLikelihoodForEveryCovarianceType) {
  const Table data = blobs();
  const Json ref = sklearn_scores();
  for (const std::string cov : {"full", "tied", "diag", "spherical"}) {
    const double expected = ref["scores"][cov]["score"].get<double>();
    // On the raw scale the model is scikit-learn's exactly.
    auto raw = fit_gmm(
        data,
        {{"n_components", 3}, {"covariance_type", cov}, {"n_init", 5}, {"standardize", false}});
    EXPECT_TRUE(raw->model().converged) << cov;
    EXPECT_NEAR(raw->mean_log_likelihood(), expected, 0.01 * std::abs(expected)) << cov;
    // Standardising leaves full/tied/diag models equivalent (affine equivariance per axis), and
    // the reported likelihood is on the data's scale.
    if (cov != "spherical") {
      auto std_fit = fit_gmm(data, {{"n_components", 3}, {"covariance_type", cov}, {"n_init", 5}});
      EXPECT_NEAR(std_fit->mean_log_likelihood(), expected, 0.01 * std::abs(expected)) << cov;
    }
  }
}

TEST(Gmm, ComponentsRecoverWeightsOfSeparatedClusters) {
  auto g = fit_gmm(blobs(), {{"n_components", 3}, {"n_init", 3}});
  std::vector<double> w(g->model().weights.data(), g->model().weights.data() + 3);
  std::sort(w.begin(), w.end());
  // True shares 80/300, 100/300, 120/300.
  EXPECT_NEAR(w[0], 80.0 / 300, 0.02);
  EXPECT_NEAR(w[1], 100.0 / 300, 0.02);
  EXPECT_NEAR(w[2], 120.0 / 300, 0.02);
}

TEST(Gmm, AutoChoosesComponentsByBic) {
  auto g = fit_gmm(blobs(), {{"n_components", "auto"}, {"covariance_type", "full"}});
  EXPECT_EQ(g->model().components(), 3);
}

TEST(Gmm, RejectsBadComponentCount) {
  EXPECT_THROW(fit_gmm(blobs(), {{"n_components", "many"}}), InvalidArgument);
  EXPECT_THROW(fit_gmm(blobs(), {{"n_components", 0}}), InvalidArgument);
  EXPECT_THROW(fit_gmm(blobs(), {{"covariance_type", "banana"}}), InvalidArgument);
}

TEST(Gmm, MixedDataKeepsCategoriesAndTheirLinkToNumerics) {
  const Table data = mixed_table();
  auto g = fit_gmm(data, {{"n_components", 2}, {"n_init", 2}});
  Logger log(LogLevel::quiet, nullptr);
  const Table out = g->sample(4000, SampleContext{3, 1, log});
  ASSERT_EQ(out.num_columns(), 4u);
  EXPECT_EQ(out.column("colour").type, StorageType::categorical);
  EXPECT_EQ(out.column("flag").type, StorageType::boolean);
  // Categories are only the real ones, and blue goes with the x ~ 10 cluster as in the data.
  size_t blue = 0, blue_high = 0, missing_y = 0, flag_high = 0, flag_set = 0;
  for (size_t i = 0; i < out.num_rows(); ++i) {
    const int32_t c = out.column("colour").codes[i];
    ASSERT_GE(c, 0);
    ASSERT_LT(c, 3);
    const double x = out.column("x").f64[i];
    if (c == 2) {
      ++blue;
      blue_high += x > 5;
    }
    if (out.column("flag").b[i]) {
      ++flag_set;
      flag_high += x > 5;
    }
    missing_y += std::isnan(out.column("y").f64[i]);
  }
  EXPECT_GT(static_cast<double>(blue_high) / static_cast<double>(blue), 0.9);
  EXPECT_GT(static_cast<double>(flag_high) / static_cast<double>(flag_set), 0.95);
  // 10% of y is missing in the data; sampling noise at n = 4000 is about 0.5%.
  EXPECT_NEAR(static_cast<double>(missing_y) / 4000.0, 0.1, 0.02);
}

TEST(Gmm, MissingValuesAreMarginalisedNotZeroFilled) {
  // y is missing in 10% of rows: the fitted component variances of y must stay near the true 4
  // (the cluster SD is 2), which zero- or mean-filling would shrink.
  auto g = fit_gmm(mixed_table(), {{"n_components", 2}, {"n_init", 2}});
  // y is numeric feature 1 on the standardised scale; compare the ratio of the two clusters'
  // variances, which standardisation does not change: both are 4, ratio 1.
  const auto& m = g->model();
  const double v0 = m.covariances[0](1, 1), v1 = m.covariances[1](1, 1);
  EXPECT_NEAR(v0 / v1, 1.0, 0.35);
}

TEST(Gmm, SameSeedSameOutputAnyThreads) {
  const Table data = mixed_table();
  auto g = fit_gmm(data, {{"n_components", 3}});
  Logger log(LogLevel::quiet, nullptr);
  const Table a = g->sample(9000, SampleContext{5, 1, log});
  const Table b = g->sample(9000, SampleContext{5, 2, log});
  for (size_t c = 0; c < a.num_columns(); ++c)
    for (size_t i = 0; i < a.num_rows(); ++i)
      ASSERT_EQ(a.column(c).text(i), b.column(c).text(i)) << c << " " << i;
}

TEST(Gmm, IdsAreFreshKeysAndIntsStayInts) {
  const size_t n = 60;
  std::vector<int32_t> codes(n);
  std::vector<std::string> dict(n);
  std::vector<int64_t> count(n);
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) {
    codes[i] = static_cast<int32_t>(i);
    char key[16];
    std::snprintf(key, sizeof key, "C%zu", 1000 + i);
    dict[i] = key;
    count[i] = static_cast<int64_t>(i * 7 % 41);
    v[i] = std::sin(static_cast<double>(i));
  }
  const Table data({Column::categorical("key", codes, dict), Column::int64("count", count),
                    Column::float64("v", v)});
  auto g = fit_gmm(data, {{"n_components", 2}});
  Logger log(LogLevel::quiet, nullptr);
  const Table out = g->sample(100, SampleContext{1, 1, log});
  EXPECT_EQ(out.column("count").type, StorageType::int64);
  std::set<std::string> keys;
  for (size_t i = 0; i < out.num_rows(); ++i) keys.insert(out.column("key").text(i));
  EXPECT_EQ(keys.size(), 100u);
  EXPECT_EQ(out.column("key").text(0).substr(0, 1), "C");
}

TEST(Gmm, PenguinsQualityThroughTheApi) {
  const std::string path = std::string(CALM_DATASETS_DIR) + "/penguins.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  const Table real = read_csv(path);
  GeneratorSettings s;
  s.random_state = 42;
  s.threads = 1;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  GenerateOptions o;
  o.n_samples = static_cast<int64_t>(real.num_rows());
  o.method = "gmm";
  o.model_params = {{"n_components", "auto"}};
  const Table synth = RealGenerator(s).generate(real, o);
  const QualityReport q = evaluate_quality(real, synth, infer_schema(real));
  ASSERT_TRUE(q.overall.has_value());
  EXPECT_GE(*q.overall, 0.85);
}
