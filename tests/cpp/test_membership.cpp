// Membership inference (src/eval/membership.cpp) and its plumbing: the attack on the three
// reference cases (a copier, fresh draws from the generating distribution, noisy copies), the AUC's
// tie rule, determinism, balanced sampling, the JSON, bad input; the report's section with and
// without a hold-out; generate()'s holdout_fraction (range, the split, a copier against a model).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "calm/calm.hpp"
#include "calm/core/error.hpp"
#include "calm/core/log.hpp"
#include "calm/core/rng.hpp"
#include "calm/eval/membership.hpp"
#include "calm/eval/privacy.hpp"
#include "calm/report/reports.hpp"

using namespace calm;
namespace fs = std::filesystem;

namespace {

// Three numerics (two correlated), one 4-level categorical, 2% missing: one known distribution,
// each seed an independent draw from it.
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
  return Table({Column::float64("a", a), Column::float64("b", b), Column::float64("c", c),
                Column::categorical("k", codes, {"w", "x", "y", "z"})});
}

// `t` with Gaussian noise of `sd` (in units of each column's spread) on the numeric columns.
Table noisy_copy(const Table& t, double sd, uint64_t seed) {
  Rng rng(seed, 1);
  std::vector<Column> cols;
  for (const std::string& name : t.column_names()) {
    const Column& c = t.column(name);
    if (c.type != StorageType::float64) {
      cols.push_back(c);
      continue;
    }
    const double spread = name == "b" ? 29.0 : 1.0;  // uniform(0, 100) sd ~ 28.9; normals ~ 1
    std::vector<double> v(c.size());
    for (size_t i = 0; i < v.size(); ++i) v[i] = c.f64[i] + sd * spread * rng.normal();
    cols.push_back(Column::float64(name, v));
  }
  return Table(cols);
}

struct Split {
  Table train, holdout;
};

Split split(size_t n, uint64_t seed) {
  auto [train, holdout] = split_for_privacy(draw_table(n, seed), 0.5, 7);
  return {train, holdout};
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag)
      : path(fs::temp_directory_path() /
             ("calm_membership_" + tag + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

const Logger& quiet() {
  static const Logger log(LogLevel::quiet, [](LogLevel, const std::string&) {});
  return log;
}

}  // namespace

// A "synthetic" table that is the training rows: every member is at distance 0, no hold-out row
// is (continuous columns), so the attack separates them perfectly.
TEST(Membership, CopiesOfTheTrainingRowsAreFound) {
  const Split s = split(5000, 1);
  const MembershipReport r =
      evaluate_membership(s.train, s.holdout, s.train, infer_schema(s.train));
  EXPECT_GT(r.auc, 0.95);
  EXPECT_DOUBLE_EQ(r.distance_train_median, 0.0);
  EXPECT_GT(r.distance_holdout_median, 0.01);
  EXPECT_GT(r.advantage, 0.9);
  EXPECT_GT(r.tpr_at_fpr_10pct, 0.95);
  EXPECT_GT(r.tpr_at_fpr_1pct, 0.95);
  EXPECT_EQ(r.interpretation.rfind("high risk", 0), 0u) << r.interpretation;
}

// Train, hold-out and synthetic rows are three independent draws of one distribution: nothing
// leaks, so the AUC is 0.5 up to sampling noise. 2,000 rows per side give a null standard error of
// sqrt((n1 + n0 + 1) / (12 n1 n0)) = 0.0091 (Hanley & McNeil 1982); the bootstrap SE must agree,
// and the tolerance 0.05 is 5.5 of those standard errors (also asserted: within 4 bootstrap SEs).
TEST(Membership, FreshDrawsAreNotDistinguishable) {
  const Split s = split(4000, 2);
  const Table synthetic = draw_table(4000, 5);
  const MembershipReport r =
      evaluate_membership(s.train, s.holdout, synthetic, infer_schema(s.train));
  ASSERT_EQ(r.distance_train.size(), 2000u);
  EXPECT_NEAR(r.auc_se, 0.0091, 0.003);
  EXPECT_NEAR(r.auc, 0.5, 0.05);
  EXPECT_LT(std::fabs(r.auc - 0.5), 4 * r.auc_se) << r.auc << " +- " << r.auc_se;
  EXPECT_LT(r.advantage, 0.08);
  EXPECT_NEAR(r.tpr_at_fpr_10pct, 0.1, 0.04);
  EXPECT_EQ(r.interpretation.rfind("no measurable risk", 0), 0u) << r.interpretation;
}

// Noisy copies of the training rows: a member's nearest synthetic row is usually its own blurred
// copy, closer than a hold-out row's nearest; the more noise, the weaker the signal.
TEST(Membership, NoisyCopiesFallInBetween) {
  const Split s = split(4000, 3);
  const Schema schema = infer_schema(s.train);
  const double copy = evaluate_membership(s.train, s.holdout, s.train, schema).auc;
  const double little =
      evaluate_membership(s.train, s.holdout, noisy_copy(s.train, 0.05, 1), schema).auc;
  const double much =
      evaluate_membership(s.train, s.holdout, noisy_copy(s.train, 0.15, 1), schema).auc;
  const double fresh = evaluate_membership(s.train, s.holdout, draw_table(2000, 9), schema).auc;
  EXPECT_GT(copy, little);
  EXPECT_GT(little, much);
  EXPECT_GT(much, fresh);
  // Measured: 1, 0.92 (noise 5% of a column's spread), 0.63 (15%), 0.49 (fresh).
  EXPECT_GT(little, 0.8);
  EXPECT_LT(little, 0.97);
  EXPECT_GT(much, 0.55);
  EXPECT_LT(much, 0.75);
}

// Mann-Whitney with ties counted half, hand-counted: of the 4 (member, non-member) pairs, 3 have
// the member strictly closer and one ties.
TEST(Membership, AucCountsTiesHalf) {
  EXPECT_DOUBLE_EQ(membership_auc({0, 1}, {1, 2}), 3.5 / 4);
  EXPECT_DOUBLE_EQ(membership_auc({1, 1, 1}, {1, 1}), 0.5);
  EXPECT_DOUBLE_EQ(membership_auc({0, 0}, {1}), 1.0);
  EXPECT_DOUBLE_EQ(membership_auc({2}, {1, 1}), 0.0);
  EXPECT_THROW(membership_auc({}, {1}), InvalidArgument);
}

// The ROC read-outs on one hand-built case: 1-D numeric, synthetic rows at 0 and 10 (range 10).
// Members at scaled distances 0, 0, 0.1, 0.3; non-members at 0.1, 0.2, 0.4, 0.5. "Member when
// d <= 0": TPR 0.5, FPR 0 -> advantage 0.5; the AUC counts 8 + 4 + 3.5 (tie at 0.1) ... = 13.5/16.
TEST(Membership, AdvantageAndTprAtLowFprOnAHandBuiltCase) {
  const Table synthetic({Column::float64("x", {0, 10})});
  const Table train({Column::float64("x", {0, 10, 1, 7})});
  const Table holdout({Column::float64("x", {1, 2, 6, 5})});
  SchemaOptions numeric;
  numeric.overrides["x"] = SemanticType::numerical;  // two values would read as a category
  const Schema schema = infer_schema(synthetic, numeric);
  MembershipOptions o;
  o.bootstrap_rounds = 0;
  const MembershipReport r = evaluate_membership(train, holdout, synthetic, schema, o);
  // Pairs with the member closer: 0 and 0 beat all four (8), 0.1 beats 0.2, 0.4, 0.5 and ties
  // 0.1 (3.5), 0.3 beats 0.4 and 0.5 (2).
  EXPECT_DOUBLE_EQ(r.auc, 13.5 / 16);
  EXPECT_DOUBLE_EQ(r.advantage, 0.5);
  // FPR 10% lies inside the tied step at 0.1 (FPR 0 -> 25%, TPR 50% -> 75%): 0.5 + 0.25 * 0.4.
  EXPECT_NEAR(r.tpr_at_fpr_10pct, 0.6, 1e-12);
  EXPECT_NEAR(r.tpr_at_fpr_1pct, 0.51, 1e-12);
  EXPECT_DOUBLE_EQ(r.auc_se, 0.0);  // no bootstrap asked for
}

TEST(Membership, DeterministicUnderTheSeedAndTheThreadCount) {
  const Split s = split(6000, 4);
  const Table synthetic = noisy_copy(s.train, 0.1, 2);
  const Schema schema = infer_schema(s.train);
  MembershipOptions o;
  o.seed = 11;
  o.max_query_rows = 1000;  // 3000 rows per side: the queried rows are a seeded sample
  const MembershipReport a = evaluate_membership(s.train, s.holdout, synthetic, schema, o);
  o.threads = 2;
  const MembershipReport b = evaluate_membership(s.train, s.holdout, synthetic, schema, o);
  EXPECT_EQ(a.distance_train, b.distance_train);
  EXPECT_EQ(a.distance_holdout, b.distance_holdout);
  EXPECT_EQ(a.auc, b.auc);
  EXPECT_EQ(a.auc_se, b.auc_se);
  EXPECT_EQ(to_json(a), to_json(b));
  o.seed = 12;
  const MembershipReport c = evaluate_membership(s.train, s.holdout, synthetic, schema, o);
  EXPECT_NE(a.distance_train, c.distance_train) << "another seed queries other rows";
  EXPECT_NEAR(a.auc, c.auc, 0.06);
}

TEST(Membership, ClassesAreBalancedAndTheWorkIsBounded) {
  const Table real = draw_table(3500, 6);
  auto [train, holdout] = split_for_privacy(real, 500.0 / 3500, 1);
  const Table synthetic = draw_table(3000, 7);
  MembershipOptions o;
  o.max_reference_rows = 1000;
  MembershipReport r = evaluate_membership(train, holdout, synthetic, infer_schema(real), o);
  EXPECT_EQ(r.distance_train.size(), 500u);  // the smaller side sets both
  EXPECT_EQ(r.distance_holdout.size(), 500u);
  EXPECT_EQ(r.reference_rows, 1000u);
  EXPECT_EQ(r.train_rows, 3000u);
  o.max_query_rows = 200;
  r = evaluate_membership(train, holdout, synthetic, infer_schema(real), o);
  EXPECT_EQ(r.distance_train.size(), 200u);
  EXPECT_EQ(r.distance_holdout.size(), 200u);
  EXPECT_NE(sampling_text(r).find("200 of 3000 training rows"), std::string::npos)
      << sampling_text(r);
}

TEST(Membership, JsonSpellsOutTheDefinitions) {
  const Split s = split(1000, 8);
  const Json j = membership_metrics(s.train, s.holdout, draw_table(500, 3), infer_schema(s.train));
  for (const char* key : {"definition",
                          "columns",
                          "train_rows",
                          "holdout_rows",
                          "synthetic_rows",
                          "reference_rows",
                          "query_rows_per_side",
                          "sample_seed",
                          "sampling",
                          "auc",
                          "auc_se",
                          "auc_definition",
                          "advantage",
                          "advantage_se",
                          "advantage_definition",
                          "tpr_at_fpr_10pct",
                          "tpr_at_fpr_10pct_se",
                          "tpr_at_fpr_1pct",
                          "tpr_at_fpr_definition",
                          "distance_train_median",
                          "distance_holdout_median",
                          "interpretation"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["columns"], Json({"a", "b", "c", "k"}));
  EXPECT_EQ(j["query_rows_per_side"], 500);
  EXPECT_FALSE(j.contains("distance_train")) << "no per-row vectors in the JSON";
}

TEST(Membership, BadInputIsADataError) {
  const Split s = split(400, 9);
  const Schema schema = infer_schema(s.train);
  const Table empty = s.holdout.take_rows({});
  auto message = [&](const Table& train, const Table& holdout, const Table& syn, const Schema& sc) {
    try {
      evaluate_membership(train, holdout, syn, sc);
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("no DataError");
  };
  EXPECT_NE(message(s.train, empty, s.train, schema).find("hold-out table has no rows"),
            std::string::npos);
  EXPECT_NE(message(empty, s.holdout, s.train, schema).find("training table has no rows"),
            std::string::npos);
  EXPECT_NE(message(s.train, s.holdout, empty, schema).find("synthetic table has no rows"),
            std::string::npos);
  EXPECT_NE(message(s.train, s.holdout.drop("k"), s.train, schema).find("no column 'k'"),
            std::string::npos);
  SchemaOptions ids;
  for (const char* c : {"a", "b", "c", "k"}) ids.overrides[c] = SemanticType::id;
  EXPECT_NE(
      message(s.train, s.holdout, s.train, infer_schema(s.train, ids)).find("no column to compare"),
      std::string::npos);
  // A numeric column that the hold-out holds as text would be compared by category codes.
  const Table text_a = s.holdout.drop("a").with_column(
      Column::categorical("a", std::vector<int32_t>(s.holdout.num_rows(), 0), {"1.5"}), 0);
  EXPECT_NE(message(s.train, text_a, s.train, schema).find("holds text in the hold-out"),
            std::string::npos);
}

// The report: the section and its JSON when a hold-out is given; the reason when not, or when
// the report is minimal.
TEST(MembershipReports, SectionWithAHoldoutAndTheReasonWithout) {
  const Split s = split(1200, 10);
  const Schema schema = infer_schema(s.train);
  for (const bool with_holdout : {true, false}) {
    TempDir dir(with_holdout ? "with" : "without");
    ReportRequest req{
        s.train, s.train, schema, std::nullopt, dir.path.string(), "Membership_test", "copy", false,
        false,   1,       5};
    if (with_holdout) req.holdout = &s.holdout;
    write_reports(req, quiet());
    const Json j = Json::parse(slurp(dir.path / "sdv_quality_report.json"));
    ASSERT_TRUE(j.contains("membership_inference"));
    const Json& m = j["membership_inference"];
    const std::string html = slurp(dir.path / "comparison_report.html");
    EXPECT_NE(html.find("id=\"membership\""), std::string::npos);
    if (with_holdout) {
      EXPECT_GT(m["auc"].get<double>(), 0.95) << "the synthetic rows are the training rows";
      EXPECT_EQ(m["train_rows"], 600);
      EXPECT_EQ(m["holdout_rows"], 600);
      EXPECT_NE(html.find("Distance to the nearest synthetic row"), std::string::npos);
      EXPECT_NE(html.find("high risk"), std::string::npos);
    } else {
      EXPECT_FALSE(m.contains("auc"));
      const std::string note = m["note"].get<std::string>();
      EXPECT_NE(note.find("no hold-out"), std::string::npos) << note;
      EXPECT_NE(note.find("holdout_fraction"), std::string::npos) << note;
      EXPECT_NE(note.find("--holdout"), std::string::npos) << note;
    }
  }
  TempDir dir("minimal");
  ReportRequest req{
      s.train, s.train, schema, std::nullopt, dir.path.string(), "Membership_test", "copy", true,
      false,   1,       5};
  req.holdout = &s.holdout;
  write_reports(req, quiet());
  const Json j = Json::parse(slurp(dir.path / "sdv_quality_report.json"));
  EXPECT_FALSE(j["membership_inference"].contains("auc"));
  EXPECT_NE(j["membership_inference"]["note"].get<std::string>().find("Minimal report"),
            std::string::npos);
}

// A hold-out that lacks a column does not fail the report: the section says why it is missing.
TEST(MembershipReports, AnUnusableHoldoutBecomesANote) {
  const Split s = split(600, 11);
  const Schema schema = infer_schema(s.train);
  TempDir dir("unusable");
  const Table holdout = s.holdout.drop("b");
  ReportRequest req{
      s.train, s.train, schema, std::nullopt, dir.path.string(), "Membership_test", "copy", false,
      false,   1,       5};
  req.holdout = &holdout;
  write_reports(req, quiet());
  const Json j = Json::parse(slurp(dir.path / "sdv_quality_report.json"));
  EXPECT_NE(j["membership_inference"]["note"].get<std::string>().find("no column 'b'"),
            std::string::npos);
}

TEST(MembershipGenerate, HoldoutFractionOutOfRangeIsInvalidArgument) {
  const Table real = draw_table(100, 12);
  for (const double f : {-0.1, 0.95, 1.0, std::nan("")}) {
    GenerateOptions o;
    o.n_samples = 10;
    o.method = "resample";
    o.holdout_fraction = f;
    GeneratorSettings settings;
    settings.random_state = 1;
    settings.logger = std::make_shared<Logger>(LogLevel::quiet, Logger::Sink{});
    RealGenerator g(settings);
    EXPECT_THROW(g.generate(real, o), InvalidArgument) << f;
    EXPECT_FALSE(g.is_fitted()) << "checked before fitting";
  }
  EXPECT_THROW(GenerateOptions::from_json(Json{{"holdout_fraction", "0.2"}}), InvalidArgument);
  EXPECT_EQ(GenerateOptions::from_json(Json{{"holdout_fraction", 0.25}}).holdout_fraction, 0.25);
}

// holdout_fraction 0.2 on 1,000 rows: the model is fitted on 800 (the log and the report say so),
// the report attacks with the other 200, and a copier (resample) leaks where a Gaussian copula
// does not.
TEST(MembershipGenerate, HoldoutFractionFitsOnTheRestAndFeedsTheReport) {
  const Table real = draw_table(1000, 13);
  double auc_resample = 0, auc_copula = 0;
  for (const char* method : {"resample", "gaussian_copula"}) {
    TempDir dir(method);
    std::vector<std::string> lines;
    GeneratorSettings settings;
    settings.random_state = 3;
    settings.threads = 1;
    settings.logger = std::make_shared<Logger>(
        LogLevel::info, [&lines](LogLevel, const std::string& m) { lines.push_back(m); });
    GenerateOptions o = GenerateOptions::from_json(Json{{"n_samples", 800},
                                                        {"method", method},
                                                        {"output_dir", dir.path.string()},
                                                        {"holdout_fraction", 0.2}});
    RealGenerator g(settings);
    const Table synthetic = g.generate(real, o);
    EXPECT_EQ(synthetic.num_rows(), 800u);
    auto logged = [&](const std::string& what) {
      for (const auto& l : lines)
        if (l.find(what) != std::string::npos) return true;
      return false;
    };
    EXPECT_TRUE(logged("200 of 1000 real rows held out of fitting")) << method;
    EXPECT_TRUE(logged("fitted '" + std::string(method) + "' on 800 rows")) << method;
    const Json j = Json::parse(slurp(dir.path / "sdv_quality_report.json"));
    const Json& m = j["membership_inference"];
    ASSERT_TRUE(m.contains("auc")) << m.dump();
    EXPECT_EQ(m["train_rows"], 800);
    EXPECT_EQ(m["holdout_rows"], 200);
    EXPECT_EQ(m["query_rows_per_side"], 200);
    (std::string(method) == "resample" ? auc_resample : auc_copula) = m["auc"].get<double>();
  }
  // resample draws 800 of the 800 training rows with replacement: ~63% of them are copied
  // exactly (distance 0), the rest tie with the hold-out at best: AUC ~ 0.63 + 0.37 / 2 = 0.82.
  // Measured 0.78 and 0.44 (200 rows per side: standard error about 0.03).
  EXPECT_GT(auc_resample, 0.7);
  EXPECT_LT(auc_copula, 0.6);
}

TEST(MembershipGenerate, BlocksAndLoadedModelsDoNotHoldOut) {
  Table real = draw_table(200, 14);
  GenerateOptions o;
  o.n_samples = 20;
  o.method = "resample";
  o.holdout_fraction = 0.2;
  GeneratorSettings settings;
  settings.random_state = 1;
  settings.logger = std::make_shared<Logger>(LogLevel::quiet, Logger::Sink{});
  BlockOptions blocks;
  blocks.block_column = "k";
  EXPECT_THROW(RealBlockGenerator(settings).generate(real, o, blocks), InvalidArgument);
  // A kept model is not refitted: holdout_fraction is ignored there with a warning.
  std::vector<std::string> warnings;
  settings.logger = std::make_shared<Logger>(
      LogLevel::warning, [&](LogLevel, const std::string& m) { warnings.push_back(m); });
  RealGenerator g(settings);
  o.holdout_fraction = 0;
  g.generate(real, o);
  o.holdout_fraction = 0.2;
  EXPECT_EQ(g.sample(o).num_rows(), 20u);
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings.back().find("holdout_fraction is a fit-time option"), std::string::npos);
}
