// Fitting gaussian_copula from partitions (calm/api/partitioned_fit.hpp): the quantile summary's
// bound and merge symmetry; a partitioned fit gives the single-process schema and column models
// exactly while partitions are small, a correlation within sampling noise of the single-process
// one, and a model file that loads and samples; the merge tree changes nothing beyond rounding;
// bad options and mismatched partitions fail with the valid choices named.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "api/model_file.hpp"
#include "calm/api/partitioned_fit.hpp"
#include "calm/api/real_generator.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/io/csv.hpp"
#include "models/copula/gaussian_copula.hpp"
#include "transform/quantile_summary.hpp"

using namespace calm;
namespace fs = std::filesystem;

namespace {

const Logger& quiet() {
  static Logger log(LogLevel::error, [](LogLevel, const std::string&) {});
  return log;
}

Table dataset(const std::string& name) {
  return read_csv(std::string(CALM_DATASETS_DIR) + "/" + name);
}

// Rows [k n / parts, (k + 1) n / parts) of t.
std::vector<Table> split(const Table& t, size_t parts) {
  std::vector<Table> out;
  for (size_t k = 0; k < parts; ++k) {
    std::vector<int64_t> rows;
    for (size_t i = k * t.num_rows() / parts; i < (k + 1) * t.num_rows() / parts; ++i)
      rows.push_back(static_cast<int64_t>(i));
    out.push_back(t.take_rows(rows));
  }
  return out;
}

// The model file of a partitioned fit, sketches and moments merged left to right, or as a
// balanced tree.
std::string partitioned_model(const std::vector<Table>& parts, const Json& options,
                              bool balanced = false, uint64_t seed = 7) {
  auto reduce = [&](std::vector<std::string> items, auto merge) {
    if (!balanced) {
      std::string acc = items[0];
      for (size_t k = 1; k < items.size(); ++k) acc = merge(acc, items[k]);
      return acc;
    }
    while (items.size() > 1) {
      std::vector<std::string> next;
      for (size_t k = 0; k + 1 < items.size(); k += 2)
        next.push_back(merge(items[k], items[k + 1]));
      if (items.size() % 2) next.push_back(items.back());
      items = std::move(next);
    }
    return items[0];
  };
  std::vector<std::string> sketches, moments;
  for (const auto& p : parts) sketches.push_back(partitioned_fit::sketch(p));
  const std::string plan = partitioned_fit::plan(reduce(sketches, partitioned_fit::merge_sketches),
                                                 options, seed, quiet());
  for (size_t k = 0; k < parts.size(); ++k)
    moments.push_back(partitioned_fit::moments(plan, parts[k], k));
  return partitioned_fit::model_file(plan, reduce(moments, partitioned_fit::merge_moments), "",
                                     quiet());
}

const GaussianCopulaSynthesizer& copula_of(const FittedModel& m) {
  return dynamic_cast<const GaussianCopulaSynthesizer&>(*m.synth);
}

FittedModel single_process_model(const Table& t, const std::string& dir) {
  GeneratorSettings s;
  s.auto_report = false;
  s.random_state = 7;
  s.logger = std::make_shared<Logger>(LogLevel::error, Logger::Sink{});
  RealGenerator g(s);
  GenerateOptions o;
  o.n_samples = 10;
  o.method = "gaussian_copula";
  g.generate(t, o);
  const std::string path = dir + "/single.calm";
  g.save(path);
  return load_model_file(path);
}

// Per copula variable of a describe()d model, in order: whether it is a continuous value (else an
// interval variable: a category, or a numeric column's is-missing indicator).
std::vector<bool> continuous_variables(const Json& described) {
  std::vector<bool> out;
  for (const Json& c : described["columns"]) {
    const std::string model = c.value("model", "");
    if (model == "frequency_intervals") out.push_back(false);
    if (model == "marginal") {
      out.push_back(true);
      if (c.value("missing_share", 0.0) > 0) out.push_back(false);
    }
  }
  return out;
}

std::string temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("calm_pfit_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir.string();
}

}  // namespace

TEST(QuantileSummary, ExactWhileSmallAndBoundedWhenCompressed) {
  Rng rng(3, 0);
  std::vector<double> values(200000);
  for (double& v : values) v = std::exp(rng.normal());
  QuantileSummary small(1000);
  small.add(std::vector<double>(values.begin(), values.begin() + 500));
  EXPECT_TRUE(small.exact());
  std::vector<double> first(values.begin(), values.begin() + 500);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(small.representative(), first);

  // Four partitions merged: the representative values' ranks stay within the stated bound.
  QuantileSummary merged(1000);
  for (size_t k = 0; k < 4; ++k) {
    QuantileSummary part(1000);
    part.add(std::vector<double>(values.begin() + k * 50000, values.begin() + (k + 1) * 50000));
    merged.merge(part);
  }
  EXPECT_FALSE(merged.exact());
  EXPECT_EQ(merged.total(), 200000);
  EXPECT_GT(merged.relative_rank_error(), 0);
  EXPECT_LE(merged.relative_rank_error(), 0.003);
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<double> rep = merged.representative();
  ASSERT_EQ(rep.size(), 1000u);
  double worst = 0;
  for (size_t k = 0; k < rep.size(); ++k) {
    const double wanted = (static_cast<double>(k) + 0.5) / rep.size();
    const double rank = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), rep[k]) -
                                            sorted.begin()) /
                        sorted.size();
    worst = std::max(worst, std::abs(rank - wanted));
  }
  // The compression to 1000 even points adds at most half a step (1/2000).
  EXPECT_LE(worst, merged.relative_rank_error() + 0.5 / 1000 + 1e-9);
}

TEST(QuantileSummary, MergeIsSymmetric) {
  Rng rng(4, 0);
  std::vector<double> a(30000), b(20000);
  for (double& v : a) v = std::floor(rng.normal() * 5);  // ties across both sides
  for (double& v : b) v = std::floor(rng.normal() * 5 + 1);
  QuantileSummary sa(500), sb(500);
  sa.add(a);
  sb.add(b);
  QuantileSummary ab = sa, ba = sb;
  ab.merge(sb);
  ba.merge(sa);
  EXPECT_EQ(ab.representative(), ba.representative());
  EXPECT_EQ(ab.relative_rank_error(), ba.relative_rank_error());
}

TEST(PartitionedFit, SmallPartitionsGiveTheSingleProcessColumnModels) {
  const Table t = dataset("penguins.csv");
  const std::string dir = temp_dir();
  const FittedModel single = single_process_model(t, dir);
  const FittedModel parts = model_from_bytes(
      partitioned_model(split(t, 4), Json{{"method", "gaussian_copula"}}), "partitioned");
  ASSERT_EQ(parts.schema.size(), single.schema.size());
  for (size_t j = 0; j < single.schema.size(); ++j) {
    const ColumnSchema &a = single.schema[j], &b = parts.schema[j];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.semantic, b.semantic) << a.name;
    EXPECT_EQ(a.storage, b.storage) << a.name;
    EXPECT_EQ(a.integer, b.integer) << a.name;
    EXPECT_EQ(a.decimals, b.decimals) << a.name;
    EXPECT_EQ(a.distinct, b.distinct) << a.name;
    EXPECT_EQ(a.missing, b.missing) << a.name;
    EXPECT_EQ(a.min, b.min) << a.name;
    EXPECT_EQ(a.max, b.max) << a.name;
  }
  // Same marginal families and parameters, same category shares (the layout of categories may
  // differ: first appearance against text order breaks ties of equal counts).
  const Json da = copula_of(single).describe(), db = copula_of(parts).describe();
  for (size_t j = 0; j < da["columns"].size(); ++j) {
    const Json &ca = da["columns"][j], &cb = db["columns"][j];
    EXPECT_EQ(ca.value("model", ""), cb.value("model", "")) << ca.dump();
    if (ca.contains("distribution")) {
      EXPECT_EQ(ca["distribution"], cb["distribution"]);
    }
  }
  // Pairs of continuous variables score the same values, so their rank correlations are equal
  // before the blend to a positive-definite matrix, whose weight depends on every pair; pairs with
  // a category draw its scores inside its interval from other streams per partition, so they
  // agree up to that noise (large for the 2-row missing indicators here).
  const std::vector<bool> continuous = continuous_variables(da);
  const Eigen::MatrixXd& ra = copula_of(single).correlation();
  const Eigen::MatrixXd& rb = copula_of(parts).correlation();
  ASSERT_EQ(static_cast<size_t>(ra.rows()), continuous.size());
  ASSERT_EQ(ra.rows(), rb.rows());
  for (Eigen::Index j = 0; j < ra.rows(); ++j)
    for (Eigen::Index k = 0; k < ra.rows(); ++k)
      if (continuous[j] && continuous[k]) {
        EXPECT_NEAR(ra(j, k), rb(j, k), 0.005) << j << "," << k;
      }
  // species and island (variables 0, 1: every category above 50 rows) against each other and the
  // continuous variables.
  for (Eigen::Index j = 0; j < 2; ++j)
    for (Eigen::Index k = 0; k < ra.rows(); ++k)
      if (k < 2 || continuous[k]) {
        EXPECT_NEAR(ra(j, k), rb(j, k), 0.1) << j << "," << k;
      }
  fs::remove_all(dir);
}

TEST(PartitionedFit, LargeTableModelSamplesLikeTheData) {
  const Table t = dataset("diamonds.csv");  // 53,940 rows, 10 columns
  const std::string dir = temp_dir();
  const FittedModel single = single_process_model(t, dir);
  const std::string bytes = partitioned_model(split(t, 6), Json::object());
  const FittedModel parts = model_from_bytes(bytes, "partitioned");
  EXPECT_LT(
      (copula_of(single).correlation() - copula_of(parts).correlation()).cwiseAbs().maxCoeff(),
      0.02);
  // The file loads as any model and samples rows with the data's category shares.
  const std::string path = dir + "/parts.calm";
  { std::ofstream(path, std::ios::binary) << bytes; }
  GeneratorSettings s;
  s.auto_report = false;
  s.random_state = 1;
  s.logger = std::make_shared<Logger>(LogLevel::error, Logger::Sink{});
  RealGenerator g = RealGenerator::load(path, s);
  GenerateOptions o;
  o.n_samples = 20000;
  const Table out = g.sample(o);
  ASSERT_EQ(out.num_rows(), 20000u);
  const Column &real_cut = t.column("cut"), &syn_cut = out.column("cut");
  for (const std::string level : {"Ideal", "Premium", "Fair"}) {
    auto share = [&](const Column& c) {
      size_t k = 0;
      for (size_t i = 0; i < c.size(); ++i) k += c.codes[i] >= 0 && c.dict[c.codes[i]] == level;
      return static_cast<double>(k) / c.size();
    };
    EXPECT_NEAR(share(syn_cut), share(real_cut), 0.015) << level;
  }
  fs::remove_all(dir);
}

TEST(PartitionedFit, MergeTreeAndRepeatsChangeNothingBeyondRounding) {
  const Table t = dataset("credit_card_applications.csv");
  const auto parts = split(t, 5);
  const std::string a = partitioned_model(parts, Json::object(), false);
  EXPECT_EQ(a, partitioned_model(parts, Json::object(), false));  // deterministic
  const FittedModel left = model_from_bytes(a, "left");
  const FittedModel tree = model_from_bytes(partitioned_model(parts, Json::object(), true), "tree");
  EXPECT_EQ(copula_of(left).describe().dump(), copula_of(tree).describe().dump());
  EXPECT_LT((copula_of(left).correlation() - copula_of(tree).correlation()).cwiseAbs().maxCoeff(),
            1e-9);
}

TEST(PartitionedFit, BadOptionsAndPartitionsNameTheProblem) {
  const Table t = dataset("penguins.csv");
  const auto parts = split(t, 2);
  const std::string sketch = partitioned_fit::merge_sketches(partitioned_fit::sketch(parts[0]),
                                                             partitioned_fit::sketch(parts[1]));
  auto message = [&](const Json& options) {
    try {
      partitioned_fit::plan(sketch, options, 1, quiet());
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"method", "cart"}}).find("gaussian_copula can"), std::string::npos);
  EXPECT_NE(message({{"method", "nope"}}).find("gaussian_copula"), std::string::npos);
  EXPECT_NE(message({{"n_rows", 3}}).find("valid options: method, target_col"), std::string::npos);
  EXPECT_NE(message({{"target_col", "colour"}}).find("columns are"), std::string::npos);
  EXPECT_NE(message({{"column_types", {{"species", "numerical"}}}}).find("holds text"),
            std::string::npos);
  EXPECT_NE(message({{"model_params", {{"shrinkage", 3}}}}).find("shrinkage"), std::string::npos);
  // A partition with other columns cannot be merged.
  const std::string other = partitioned_fit::sketch(parts[0].drop("island"));
  EXPECT_THROW(partitioned_fit::merge_sketches(sketch, other), InvalidArgument);
  EXPECT_THROW(partitioned_fit::merge_sketches(sketch, "garbage"), DataError);
}
