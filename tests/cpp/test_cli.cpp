// The calm CLI end to end: exit codes, no output left behind on bad input, byte-identical output
// for the same seed whatever the thread count, and the gaussian_copula acceptance on penguins.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "calm/calm.hpp"
#include "calm/eval/privacy.hpp"
#include "cli_test_support.hpp"

namespace fs = std::filesystem;
using namespace calm;
using namespace calm::cli_test;

TEST(Cli, BadInputExitsWithCode2AndLeavesNoOutput) {
  TempDir dir;
  const std::string out = (dir.path / "out").string();
  const std::string header = "a,b\n";
  struct Case {
    std::string name, args, expect;
  };
  std::vector<Case> cases = {
      {"missing file", (dir.path / "nope.csv").string() + " -n 10", "nope.csv"},
      {"empty file", dir.file("empty.csv", "") + " -n 10", "empty"},
      {"header only", dir.file("header.csv", header) + " -n 10", "no rows"},
      {"ragged rows", dir.file("ragged.csv", header + "1,2\n3\n") + " -n 10", "line 3"},
      {"unknown method", kPenguins + " -n 10 -m magic", "valid methods:"},
      {"unknown model_param", kPenguins + " -n 10 -m gaussian_copula --param nope=1",
       "valid parameters:"},
      {"n_samples zero", kPenguins + " -n 0 -m resample", "n_samples"},
      {"n_samples negative", kPenguins + " -n -5 -m resample", "n_samples"},
      {"target not in data", kPenguins + " -n 10 -m resample --target nope", "target_col 'nope'"},
      {"all-missing column", dir.file("allna.csv", header + "1,\n2,\n3,\n") + " -n 10 -m resample",
       "column 'b' has no values"},
      {"non-UTF-8 bytes", dir.file("latin1.csv", header + "1,caf\xe9\n2,x\n") + " -n 10", "UTF-8"},
      {"one-row table", dir.file("one.csv", header + "1,2\n") + " -n 10 -m resample",
       "at least 2 rows"},
      {"unknown option in config",
       kPenguins + " -n 10 --config " + dir.file("cfg.json", "{\"n_sampels\": 3}"),
       "valid options:"},
  };
  for (const auto& c : cases) {
    std::string output;
    int rc = run("generate " + c.args + " -o " + out + " --seed 1", &output);
    EXPECT_EQ(rc, 2) << c.name << ": " << output;
    EXPECT_NE(output.find(c.expect), std::string::npos) << c.name << ": " << output;
    EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << c.name << " left output behind";
  }
}

TEST(Cli, SameSeedGivesByteIdenticalFilesForOneAndTwoThreads) {
  TempDir dir;
  for (const std::string method : {"resample", "gaussian_copula"}) {
    const std::string base = "generate " + kPenguins + " -n 3000 -q -m " + method;
    ASSERT_EQ(run(base + " --seed 5 --threads 1 --name a -o " + dir.path.string()), 0);
    ASSERT_EQ(run(base + " --seed 5 --threads 2 --name b -o " + dir.path.string()), 0);
    ASSERT_EQ(run(base + " --seed 6 --threads 2 --name c -o " + dir.path.string()), 0);
    std::string a = slurp(dir.path / "a_synthetic.csv"), b = slurp(dir.path / "b_synthetic.csv"),
                c = slurp(dir.path / "c_synthetic.csv");
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, b) << method;
    EXPECT_NE(a, c) << method;
  }
}

TEST(Cli, MethodsAndInspectListTheRegistryAndSchema) {
  std::string out;
  ASSERT_EQ(run("methods", &out), 0);
  EXPECT_NE(out.find("gaussian_copula"), std::string::npos);
  // Every method of the seed is built with libtorch; without it the deep ones are listed as
  // planned.
  bool planned = false;
  for (const MethodInfo& m : method_registry().all()) planned = planned || !m.available;
  EXPECT_EQ(out.find("not available yet") != std::string::npos, planned);
  ASSERT_EQ(run("inspect " + kPenguins, &out), 0);
  EXPECT_NE(out.find("344 rows x 8 columns"), std::string::npos);
  EXPECT_EQ(run("--help", &out), 0);
  EXPECT_EQ(run("generate --help", &out), 0);
  EXPECT_NE(out.find("--n-samples"), std::string::npos);
  EXPECT_EQ(run("frobnicate", &out), 2);
}

// The generate() options are declared once: `calm options --json` is that declaration, and every
// flag it names is a flag of `calm generate` whose help is the declared doc.
TEST(Cli, OptionsAreTheDeclarationAndEveryDeclaredFlagExists) {
  std::string out;
  ASSERT_EQ(run("options --json", &out), 0);
  EXPECT_EQ(Json::parse(out), GenerateOptions::declaration_json());
  ASSERT_EQ(run("generate --help", &out), 0);
  int flags = 0;
  for (const GenerateOptionInfo& o : GenerateOptions::declared_options()) {
    if (o.cli_flag.empty()) continue;
    ++flags;
    const std::string flag = o.cli_flag.substr(o.cli_flag.rfind(',') + 1);
    const size_t at = out.find(flag + " ");
    ASSERT_NE(at, std::string::npos) << flag;
    const std::string first_words = o.doc.substr(0, 20);
    EXPECT_NE(out.find(first_words, at), std::string::npos) << flag << ": " << first_words;
  }
  EXPECT_GE(flags, 8);
  ASSERT_EQ(run("options", &out), 0);
  for (const std::string& name : GenerateOptions::option_names())
    EXPECT_NE(out.find(name + "  ("), std::string::npos) << name;
}

// Acceptance: 1000 rows of penguins with the same columns and types, marginals and correlations
// close to the real ones. Tolerances: KS statistic <= 0.1 per numeric column, total variation
// distance <= 0.06 per categorical column, |Pearson(real) - Pearson(synthetic)| <= 0.2 per pair.
// (A Gaussian copula cannot reproduce the species clusters of penguins exactly: categories sit on
// intervals of one axis, so the between-species part of numeric correlations is attenuated; the
// measured worst pair is bill_depth x flipper_length, -0.44 against -0.58.)
TEST(Cli, GaussianCopulaOnPenguinsKeepsTypesMarginalsAndCorrelations) {
  TempDir dir;
  ASSERT_EQ(run("generate " + kPenguins + " -n 1000 -m gaussian_copula --target species -q " +
                "--seed 3 --name p -o " + dir.path.string()),
            0);
  Table real = read_csv(kPenguins);
  Table syn = read_csv((dir.path / "p_synthetic.csv").string());
  ASSERT_EQ(syn.num_rows(), 1000u);
  ASSERT_EQ(syn.column_names(), real.column_names());
  Schema rs = infer_schema(real);
  std::vector<std::string> numeric;
  for (size_t c = 0; c < real.num_columns(); ++c) {
    const Column& r = real.column(c);
    const Column& s = syn.column(c);
    EXPECT_EQ(s.type, r.type) << r.name;
    if (rs[c].semantic == SemanticType::numerical) {
      numeric.push_back(r.name);
      std::vector<double> a, b;
      for (size_t i = 0; i < r.size(); ++i)
        if (!r.is_missing(i)) a.push_back(r.numeric(i));
      for (size_t i = 0; i < s.size(); ++i)
        if (!s.is_missing(i)) b.push_back(s.numeric(i));
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      double d = 0;
      for (double x : a) {
        double fa = double(std::upper_bound(a.begin(), a.end(), x) - a.begin()) / a.size();
        double fb = double(std::upper_bound(b.begin(), b.end(), x) - b.begin()) / b.size();
        d = std::max(d, std::abs(fa - fb));
      }
      EXPECT_LE(d, 0.1) << r.name;
    } else {
      std::map<std::string, double> pr, ps;
      for (size_t i = 0; i < r.size(); ++i) pr[r.text(i)] += 1.0 / r.size();
      for (size_t i = 0; i < s.size(); ++i) ps[s.text(i)] += 1.0 / s.size();
      double tv = 0;
      for (auto& [k, v] : pr) tv += std::abs(v - ps[k]);
      for (auto& [k, v] : ps)
        if (!pr.count(k)) tv += v;
      EXPECT_LE(tv / 2, 0.06) << r.name;
    }
  }
  auto pearson = [](const Column& x, const Column& y) {
    double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      if (x.is_missing(i) || y.is_missing(i)) continue;
      double a = x.numeric(i), b = y.numeric(i);
      n++, sx += a, sy += b, sxx += a * a, syy += b * b, sxy += a * b;
    }
    return (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  };
  for (size_t i = 0; i < numeric.size(); ++i)
    for (size_t j = i + 1; j < numeric.size(); ++j)
      EXPECT_NEAR(pearson(syn.column(numeric[i]), syn.column(numeric[j])),
                  pearson(real.column(numeric[i]), real.column(numeric[j])), 0.2)
          << numeric[i] << " x " << numeric[j];
}

TEST(Cli, EvaluateScoresAPairAndWritesTheReports) {
  TempDir dir;
  ASSERT_EQ(run("generate " + kPenguins +
                " -n 400 -m resample -q --no-report --seed 2 --name r -o " + dir.path.string()),
            0);
  const std::string synth = (dir.path / "r_synthetic.csv").string();
  std::string out;
  ASSERT_EQ(run("evaluate " + kPenguins + " " + synth + " --target species -o " +
                    (dir.path / "rep").string(),
                &out),
            0)
      << out;
  EXPECT_NE(out.find("Overall quality"), std::string::npos);
  for (const char* f : {"sdv_quality_report.json", "comparison_report.html", "quality_report.html",
                        "distribution_plots.png", "correlation_heatmap.png"})
    EXPECT_TRUE(fs::exists(dir.path / "rep" / f)) << f;
  Json report = Json::parse(slurp(dir.path / "rep" / "sdv_quality_report.json"));
  EXPECT_TRUE(report.contains("ml_efficacy")) << "a target adds ML efficacy";
  EXPECT_EQ(run("evaluate " + kPenguins + " " + synth + " --target nope", &out), 2);
  EXPECT_NE(out.find("--target 'nope'"), std::string::npos);
}

// --holdout adds the membership inference attack: to the printed scores, to --json and to the
// reports. A copier (resample) of the training rows is caught; --holdout no longer needs --target.
TEST(Cli, EvaluateWithAHoldoutRunsTheMembershipAttack) {
  TempDir dir;
  const auto [train, holdout] = split_for_privacy(read_csv(kPenguins), 0.3, 1);
  const std::string train_csv = (dir.path / "train.csv").string();
  const std::string hold_csv = (dir.path / "hold.csv").string();
  write_csv(train, train_csv);
  write_csv(holdout, hold_csv);
  ASSERT_EQ(run("generate " + train_csv + " -n 241 -m resample -q --no-report --seed 2 --name r " +
                "-o " + dir.path.string()),
            0);
  const std::string synth = (dir.path / "r_synthetic.csv").string();
  std::string out;
  ASSERT_EQ(run("evaluate " + train_csv + " " + synth + " --holdout " + hold_csv, &out), 0) << out;
  EXPECT_NE(out.find("Membership inference   AUC"), std::string::npos) << out;
  ASSERT_EQ(run("evaluate " + train_csv + " " + synth + " --holdout " + hold_csv + " --json", &out),
            0);
  const Json printed = Json::parse(out);
  ASSERT_TRUE(printed.contains("membership_inference")) << out;
  EXPECT_GT(printed["membership_inference"]["auc"].get<double>(), 0.7);
  EXPECT_EQ(printed["membership_inference"]["holdout_rows"], holdout.num_rows());
  ASSERT_EQ(run("evaluate " + train_csv + " " + synth + " --holdout " + hold_csv + " -o " +
                    (dir.path / "rep").string(),
                &out),
            0)
      << out;
  const Json written = Json::parse(slurp(dir.path / "rep" / "sdv_quality_report.json"));
  EXPECT_EQ(written["membership_inference"]["auc"], printed["membership_inference"]["auc"]);
  // Without it, as before: the report says how to get the attack.
  ASSERT_EQ(run("evaluate " + train_csv + " " + synth + " --json", &out), 0);
  EXPECT_FALSE(Json::parse(out).contains("membership_inference"));
  // A hold-out without the real columns is a data error (exit 2) naming the column.
  write_csv(holdout.drop("island"), hold_csv);
  EXPECT_EQ(run("evaluate " + train_csv + " " + synth + " --holdout " + hold_csv, &out), 2);
  EXPECT_NE(out.find("no column 'island'"), std::string::npos) << out;
}

// generate --holdout-fraction: fitted on the rest, the report attacks with the held-out rows.
TEST(Cli, GenerateWithAHoldoutFractionReportsMembershipInference) {
  TempDir dir;
  std::string out;
  ASSERT_EQ(run("generate " + kPenguins + " -n 300 -m resample --seed 4 --holdout-fraction 0.2 " +
                    "--name h -o " + dir.path.string(),
                &out),
            0)
      << out;
  EXPECT_NE(out.find("69 of 344 real rows held out of fitting"), std::string::npos) << out;
  EXPECT_NE(out.find("on 275 rows"), std::string::npos) << out;
  const Json report = Json::parse(slurp(dir.path / "sdv_quality_report.json"));
  EXPECT_EQ(report["membership_inference"]["train_rows"], 275);
  EXPECT_EQ(report["membership_inference"]["holdout_rows"], 69);
  EXPECT_GT(report["membership_inference"]["auc"].get<double>(), 0.7);
  EXPECT_EQ(
      run("generate " + kPenguins + " -n 10 --holdout-fraction 0.95 -o " + dir.path.string(), &out),
      2);
  EXPECT_NE(out.find("holdout_fraction must be in [0, 0.9]"), std::string::npos) << out;
}

// Every example config in examples/ runs on the bundled penguins with its reports, and every
// standalone drift config runs through `calm drift`: the examples are documentation that must work.
TEST(Cli, EveryExampleConfigRuns) {
  size_t runs = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(CALM_SOURCE_DIR) / "examples")) {
    const fs::path p = entry.path();
    if (p.extension() != ".json") continue;
    TempDir dir;
    std::string out;
    const bool generate = p.filename().string().rfind("run_", 0) == 0;
    const std::string args = generate ? "generate " + kPenguins + " --config " + p.string() +
                                            " -q -o " + dir.path.string()
                                      : "drift " + kPenguins + " --config " + p.string() + " -o " +
                                            (dir.path / "drifted.csv").string();
    EXPECT_EQ(run(args, &out), 0) << p << ": " << out;
    if (generate) {
      EXPECT_TRUE(fs::exists(dir.path / "comparison_report.html")) << p;
      EXPECT_TRUE(fs::exists(dir.path / "RealGenerator_synthetic.csv")) << p;
    } else {
      EXPECT_TRUE(fs::exists(dir.path / "drifted.csv")) << p;
    }
    ++runs;
  }
  EXPECT_GE(runs, 7u);
}

// The deep methods live in the libcalm_deep.so plugin: the calm binary itself does not link
// libtorch, so commands that use no deep method start without loading it.
TEST(Cli, BinaryDoesNotLinkLibtorch) {
  const std::string log = (fs::temp_directory_path() / "calm_cli_ldd.txt").string();
  ASSERT_EQ(std::system(("ldd " + kCli + " > " + log).c_str()), 0);
  const std::string libs = slurp(log);
  fs::remove(log);
  EXPECT_NE(libs.find("libc.so"), std::string::npos) << libs;
  EXPECT_EQ(libs.find("libtorch"), std::string::npos) << libs;
}

// issue 15: the DP methods from the command line: a bad privacy parameter is exit 2 with nothing
// written; a good run writes the synthetic table and the report's guarantee.
TEST(Cli, DpMethodsRejectBadBudgetsAndReportTheGuarantee) {
  TempDir dir;
  const std::string out = " -o " + dir.path.string();
  std::string msg;
  for (const std::string bad :
       {"-m dp --param synth_type=mst --param epsilon=0",
        "-m dp --param synth_type=mwem --param "
        "delta=0.5",
        "-m dp --param synth_type=gan", "-m datasynth --param epsilonn=1"}) {
    EXPECT_EQ(run("generate " + kPenguins + " -n 50 " + bad + out, &msg), 2) << bad << "\n" << msg;
    EXPECT_TRUE(fs::is_empty(dir.path)) << bad;
  }
  run("generate " + kPenguins + " -n 50 -m dp --param synth_type=gan" + out, &msg);
  for (const char* valid : {"mst", "aim", "mwem", "pate_ctgan", "dpctgan"})
    EXPECT_NE(msg.find(valid), std::string::npos) << msg;
  // 344 rows cannot pay for private ranges and categories at small budgets: public ones given.
  const std::string pub =
      " --param 'bounds={\"bill_length_mm\": [30, 60], \"bill_depth_mm\": [13, 22], "
      "\"flipper_length_mm\": [170, 235], \"body_mass_g\": [2500, 6500]}' --param "
      "'domain={\"species\": [\"Adelie\", \"Chinstrap\", \"Gentoo\"], \"island\": "
      "[\"Biscoe\", \"Dream\", \"Torgersen\"], \"sex\": [\"female\", \"male\"], "
      "\"year\": [\"2007\", \"2008\", \"2009\"]}'";
  EXPECT_EQ(run("generate " + kPenguins + " -n 50 -m dp --param synth_type=mwem" + out, &msg), 2);
  EXPECT_NE(msg.find("give it public bounds"), std::string::npos) << msg;
  EXPECT_TRUE(fs::is_empty(dir.path));
  for (const std::string m : {"-m dp --param synth_type=mwem", "-m datasynth --param k=2"}) {
    TempDir ok;
    ASSERT_EQ(run("generate " + kPenguins + " -n 200 --seed 3 -q " + m + pub +
                      " --param epsilon=2 -o " + ok.path.string(),
                  &msg),
              0)
        << msg;
    const Json report = Json::parse(slurp(ok.path / "sdv_quality_report.json"));
    ASSERT_TRUE(report.contains("differential_privacy")) << m;
    EXPECT_DOUBLE_EQ(report["differential_privacy"]["epsilon"].get<double>(), 2.0);
    EXPECT_NE(slurp(ok.path / "comparison_report.html").find("ifferential privacy"),
              std::string::npos)
        << m;
  }
}
