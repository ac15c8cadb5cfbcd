// The `lgbm` synthesizer: marginals, a deterministic X -> Y dependency, a linear X -> W relation
// with missing values, determinism across thread counts, ids, Gibbs rounds and parameter checks;
// early stopping of the boosters (calibrated on the marginal when stopped early).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "calm/api/methods.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/io/csv.hpp"
#include "learn/xgb_booster.hpp"
#include "models/fcs/unique_rows.hpp"

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
  const MethodInfo& info = method_registry().get("lgbm");
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
  const MethodInfo& info = method_registry().get("lgbm");
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

// Persistence: boosters go through XGBoost's UBJSON model buffer; a loaded model samples exactly
// what the saved one does, with and without Gibbs rounds, and a truncated payload fails cleanly.
TEST(Lgbm, SaveLoadRoundTripGivesIdenticalSamples) {
  const Table real = demo_table(1200, 3);
  for (const Json& params : {Json::object(), Json{{"iterations", 1}, {"n_estimators", 10}}}) {
    const Model m = fit(real, params);
    ArchiveWriter w;
    m.synth->save(w);
    const std::string bytes = w.take();
    Model loaded{m.schema, method_registry().get("lgbm").create()};
    ArchiveReader r(bytes, "mem");
    loaded.synth->load(r);
    EXPECT_TRUE(r.at_end());
    const Table a = draw(m, 2500, 2), b = draw(loaded, 2500, 1);
    EXPECT_TRUE(same_table(a, b));
    for (size_t c = 0; c < a.num_columns(); ++c) EXPECT_EQ(a.column(c).type, b.column(c).type);
    ArchiveReader cut(std::string_view(bytes).substr(0, bytes.size() - 100), "cut");
    EXPECT_THROW(method_registry().get("lgbm").create()->load(cut), DataError);
  }
}

// Degenerate inputs each have one defined outcome (the api refuses all-missing columns, 1-row
// tables and infinite CSV cells earlier; the method still behaves on its own).
TEST(Lgbm, DegenerateInputsHaveClearOutcomes) {
  const size_t n = 40;
  Rng rng(5, 0);
  std::vector<double> x(n), x_nan(n), nan_col(n, std::nan("")), five(n, 5.0);
  std::vector<int32_t> t(n), one_class(n, 0), none(n, -1), unique(n);
  std::vector<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    x[i] = rng.normal();
    x_nan[i] = i % 3 == 0 ? std::nan("") : x[i];
    t[i] = static_cast<int32_t>(rng.below(2));
    unique[i] = static_cast<int32_t>(i);
    names.push_back("u");
    names.back() += std::to_string(i);
  }
  const Table real({Column::float64("x", x_nan), Column::categorical("t", t, {"p", "q"}),
                    Column::float64("five", five), Column::categorical("k", one_class, {"k"}),
                    Column::float64("gone", nan_col), Column::categorical("none", none, {"z"}),
                    Column::categorical("many", unique, names),
                    Column::categorical("solo", one_class, {"only"})});
  auto fit_on = [](const Table& data, const std::string& target) {
    SchemaOptions so;
    if (data.has("many")) so.overrides["many"] = SemanticType::categorical;
    Model m{infer_schema(data, so), method_registry().get("lgbm").create()};
    const auto& spec = method_registry().get("lgbm").params;
    FitContext ctx{m.schema, target, spec.resolve({{"n_estimators", 5}}, "lgbm"), 9, 1, quiet()};
    m.synth->fit(data, ctx);
    return m;
  };
  const Table syn = draw(fit_on(real, "solo"), 300);
  size_t x_missing = 0;
  for (size_t i = 0; i < syn.num_rows(); ++i) {
    ASSERT_EQ(syn.column("five").f64[i], 5.0);
    ASSERT_EQ(syn.column("k").text(i), "k");
    ASSERT_TRUE(syn.column("gone").is_missing(i));
    ASSERT_TRUE(syn.column("none").is_missing(i));
    ASSERT_EQ(syn.column("solo").text(i), "only");
    ASSERT_LT(syn.column("many").codes[i], static_cast<int32_t>(n));
    x_missing += syn.column("x").is_missing(i);
  }
  EXPECT_EQ(syn.column("many").dict, names);
  EXPECT_NEAR(static_cast<double>(x_missing) / 300, 14.0 / 40, 0.12);
  const Table one = real.take_rows({7});
  const Table syn1 = draw(fit_on(one, "t"), 20);
  for (size_t i = 0; i < 20; ++i)
    for (size_t c = 0; c < one.num_columns(); ++c)
      ASSERT_EQ(syn1.column(c).text(i), one.column(c).text(0)) << one.column(c).name;
  std::vector<double> with_inf = x;
  with_inf[3] = -std::numeric_limits<double>::infinity();
  try {
    fit_on(Table({Column::float64("x", with_inf), Column::categorical("t", t, {"p", "q"})}), "t");
    FAIL() << "no error for inf";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'x' row 3"), std::string::npos) << e.what();
  }
}

namespace {

// 3000 rows of 3 noise features; labels from `label(x0, u)` with u ~ U(0,1).
template <typename Label>
std::pair<xgb::DenseMatrix, std::vector<float>> booster_data(Label label) {
  Rng rng(17, 0);
  xgb::DenseMatrix x;
  x.rows = 3000, x.cols = 3;
  std::vector<float> y(x.rows);
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t c = 0; c < x.cols; ++c) x.values.push_back(static_cast<float>(rng.normal()));
    y[r] = label(x.values[r * x.cols], rng.uniform());
  }
  return {x, y};
}

}  // namespace

// Early stopping keeps few rounds on a label with no signal, most rounds on a strong one, and a
// multiclass model started from its log priors predicts the priors on average although it stopped
// after a few rounds (from XGBoost's uniform start it would still lean towards 1/3 each).
TEST(Lgbm, EarlyStoppingStopsOnNoiseAndStaysCalibrated) {
  xgb::BoosterParams p;
  p.n_estimators = 60;
  p.learning_rate = 0.3;
  p.early_stopping_rounds = 5;
  p.validation_fraction = 0.2;
  p.seed = 3;

  auto [xs, ys] = booster_data([](float x0, double) { return 2 * x0; });
  xgb::Booster signal;
  signal.train(xs, ys, p);
  EXPECT_GE(signal.rounds(), 25);

  const std::vector<double> prior = {0.6, 0.3, 0.1};
  auto [xn, yn] = booster_data([](float, double u) {
    return u < 0.6 ? 0.0f : u < 0.9 ? 1.0f : 2.0f;
  });
  p.objective = xgb::Objective::multiclass;
  p.num_class = 3;
  std::vector<float> margin;
  for (size_t r = 0; r < xn.rows; ++r)
    for (double q : prior) margin.push_back(static_cast<float>(std::log(q)));
  xgb::Booster noise;
  noise.train(xn, yn, p, {}, margin);
  EXPECT_LT(noise.rounds(), 15) << "signal kept " << signal.rounds();
  const std::vector<float> m = noise.predict(xn.values.data(), xn.rows, true);
  std::vector<double> mean(3, 0.0);
  for (size_t r = 0; r < xn.rows; ++r) {
    double z[3], total = 0;
    for (int c = 0; c < 3; ++c) total += z[c] = std::exp(m[r * 3 + c] + std::log(prior[c]));
    for (int c = 0; c < 3; ++c) mean[c] += z[c] / total / static_cast<double>(xn.rows);
  }
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(mean[c], prior[c], 0.03) << "class " << c;

  p.early_stopping_rounds = 0;  // off: every round is kept
  xgb::Booster full;
  full.train(xn, yn, p, {}, margin);
  EXPECT_EQ(full.rounds(), 60);
}

// shuttle's later columns are near-functions of its first ones, so boosted draws reproduce many
// of its unique rows: redraw_copies (default) must leave far fewer of them, rows and columns kept.
TEST(Lgbm, RedrawsRowsThatReproduceUniqueRealRows) {
  const Table all = read_csv(std::string(CALM_DATASETS_DIR) + "/shuttle.csv");
  std::vector<int64_t> first(3000);
  for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<int64_t>(i);
  const Table real = all.take_rows(first);
  std::vector<size_t> every(real.num_columns());
  for (size_t j = 0; j < every.size(); ++j) every[j] = j;
  const fcs::UniqueRows unique(real, every);
  auto copies_with = [&](bool redraw) {
    const SchemaOptions so;
    const Schema schema = infer_schema(real, so);
    const MethodInfo& info = method_registry().get("lgbm");
    auto synth = info.create();
    FitContext ctx{schema,
                   std::string("Class"),
                   info.params.resolve({{"n_estimators", 25}, {"redraw_copies", redraw}}, "lgbm"),
                   9,
                   1,
                   quiet()};
    synth->fit(real, ctx);
    const Table out = synth->sample(3000, SampleContext{4, 1, quiet()});
    EXPECT_EQ(out.num_rows(), 3000u);
    EXPECT_EQ(out.column_names(), real.column_names());
    return unique.copies(out).size();
  };
  const size_t kept = copies_with(false), redrawn = copies_with(true);
  EXPECT_GT(kept, 20u);  // the problem is there to solve
  EXPECT_LT(redrawn * 4, kept) << kept << " copies without redraws, " << redrawn << " with";
}
