// ML efficacy (TSTR vs TRTR) and the metrics behind it: rank AUC with ties, macro F1, R^2,
// stratified folds; TSTR near TRTR for data of the same distribution, near chance for shuffled
// labels, for a binary, a multiclass and a regression target.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/eval/ml_efficacy.hpp"
#include "eval/ml_efficacy_metrics.hpp"

using namespace calm;

namespace {

// u, v ~ N(0,1), c a category; label = 1 when u + v + noise > 0 ("yes"/"no"); grade = 3 classes
// by u; price = 10 + 4u - 2v + 3*[c == "x"] + noise.
Table population(size_t rows, uint64_t seed) {
  Rng rng(seed, 5);
  std::vector<double> u(rows), v(rows), price(rows);
  std::vector<int32_t> c(rows), label(rows), grade(rows);
  for (size_t i = 0; i < rows; ++i) {
    u[i] = rng.normal();
    v[i] = rng.normal();
    c[i] = static_cast<int32_t>(rng.below(3));
    label[i] = u[i] + v[i] + 0.5 * rng.normal() > 0 ? 1 : 0;
    grade[i] = u[i] < -0.5 ? 0 : u[i] < 0.5 ? 1 : 2;
    price[i] = 10 + 4 * u[i] - 2 * v[i] + 3 * (c[i] == 0) + 0.5 * rng.normal();
  }
  return Table({Column::float64("u", u), Column::float64("v", v),
                Column::categorical("c", c, {"x", "y", "z"}),
                Column::categorical("label", label, {"no", "yes"}),
                Column::categorical("grade", grade, {"g0", "g1", "g2"}),
                Column::float64("price", price)});
}

// `t` with the values of `name` permuted (seeded): the column keeps its marginal, loses its link.
Table shuffled(const Table& t, const std::string& name) {
  std::vector<int64_t> perm(t.num_rows());
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int64_t>(i);
  Rng rng(99, 0);
  for (size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
  return t.with_column(t.column(name).take(perm));
}

MlEfficacyOptions opts() {
  MlEfficacyOptions o;
  o.seed = 3;
  o.threads = 2;
  return o;
}

}  // namespace

TEST(MlMetrics, RankAucCountsTiesHalf) {
  // Pairs (pos, neg): 0.8>0.1, 0.8>0.4, 0.4=0.4 (half), 0.4>0.1 -> (3 + 0.5) / 4.
  EXPECT_DOUBLE_EQ(*eval::roc_auc({0.8f, 0.4f, 0.4f, 0.1f}, {1, 1, 0, 0}), 3.5 / 4);
  EXPECT_DOUBLE_EQ(*eval::roc_auc({0.1f, 0.2f, 0.3f}, {1, 1, 0}), 0.0);
  EXPECT_FALSE(eval::roc_auc({0.1f, 0.2f}, {1, 1}).has_value());
}

TEST(MlMetrics, MacroF1AccuracyAndR2) {
  // Class 0: tp 1, fn 1 -> F1 2/3; class 1: tp 1, fp 1 -> 2/3; class 2: tp 1 -> 1.
  const std::vector<int> truth = {0, 0, 1, 2}, pred = {0, 1, 1, 2};
  EXPECT_NEAR(eval::macro_f1(pred, truth), (2.0 / 3 + 2.0 / 3 + 1) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(eval::accuracy(pred, truth), 0.75);
  EXPECT_DOUBLE_EQ(*eval::r2({1, 2, 3}, {1, 2, 3}), 1.0);
  EXPECT_DOUBLE_EQ(*eval::r2({2, 2, 2}, {1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(eval::mae({2, 2, 2}, {1, 2, 3}), 2.0 / 3);
}

TEST(MlMetrics, StratifiedFoldsBalanceEachClass) {
  std::vector<int> cls(100, 0);
  for (size_t i = 0; i < 20; ++i) cls[i] = 1;
  const std::vector<int> fold = eval::stratified_folds(cls, 5, 1, 0);
  std::map<std::pair<int, int>, int> count;
  for (size_t i = 0; i < cls.size(); ++i) ++count[{fold[i], cls[i]}];
  for (int f = 0; f < 5; ++f) {
    EXPECT_EQ((count[{f, 1}]), 4);
    EXPECT_EQ((count[{f, 0}]), 16);
  }
}

TEST(MlEfficacy, BinaryTargetSameDistributionVersusShuffledLabels) {
  const Table real = population(1500, 1), fresh = population(1500, 2);
  const Schema schema = infer_schema(real);
  const Json good = ml_efficacy(real, fresh, schema, "label", opts());
  EXPECT_EQ(good["task"], "classification");
  EXPECT_EQ(good["rows"]["holdout"], 450);
  EXPECT_GT(good["trtr"]["roc_auc"].get<double>(), 0.85) << good.dump(1);
  EXPECT_NEAR(good["ratio"]["roc_auc"].get<double>(), 1.0, 0.05) << good.dump(1);
  EXPECT_NEAR(good["ratio"]["accuracy"].get<double>(), 1.0, 0.08);
  const Json copy = ml_efficacy(real, real, schema, "label", opts());
  EXPECT_GT(copy["ratio"]["roc_auc"].get<double>(), 0.97);
  const Json bad = ml_efficacy(real, shuffled(fresh, "label"), schema, "label", opts());
  EXPECT_NEAR(bad["tstr"]["roc_auc"].get<double>(), 0.5, 0.1) << bad.dump(1);
  EXPECT_LT(bad["ratio"]["roc_auc"].get<double>(), 0.7);
}

TEST(MlEfficacy, MulticlassTarget) {
  const Table real = population(1200, 3), fresh = population(1200, 4);
  const Schema schema = infer_schema(real);
  const Json good = ml_efficacy(real, fresh, schema, "grade", opts());
  EXPECT_EQ(good["classes"], 3);
  EXPECT_GT(good["tstr"]["accuracy"].get<double>(), 0.9) << good.dump(1);
  EXPECT_GT(good["tstr"]["f1"].get<double>(), 0.9);
  const Json bad = ml_efficacy(real, shuffled(fresh, "grade"), schema, "grade", opts());
  EXPECT_LT(bad["tstr"]["accuracy"].get<double>(), 0.5);
  EXPECT_NEAR(bad["tstr"]["roc_auc"].get<double>(), 0.5, 0.1);
}

TEST(MlEfficacy, RegressionTargetAndDeterminism) {
  const Table real = population(1200, 5), fresh = population(1200, 6);
  const Schema schema = infer_schema(real);
  const Json good = ml_efficacy(real, fresh, schema, "price", opts());
  EXPECT_EQ(good["task"], "regression");
  EXPECT_GT(good["trtr"]["r2"].get<double>(), 0.9) << good.dump(1);
  EXPECT_NEAR(good["ratio"]["r2"].get<double>(), 1.0, 0.05);
  EXPECT_NEAR(good["ratio"]["mae"].get<double>(), 1.0, 0.2);
  const Json bad = ml_efficacy(real, shuffled(fresh, "price"), schema, "price", opts());
  EXPECT_LT(bad["tstr"]["r2"].get<double>(), 0.1);
  MlEfficacyOptions one = opts();
  one.threads = 1;
  EXPECT_EQ(ml_efficacy(real, fresh, schema, "price", one).dump(), good.dump());
}

TEST(MlEfficacy, RejectsBadTargets) {
  const Table real = population(200, 7);
  const Schema schema = infer_schema(real);
  EXPECT_THROW(ml_efficacy(real, real, schema, "nope", opts()), InvalidArgument);
  MlEfficacyOptions o = opts();
  o.holdout_fraction = 1.0;
  EXPECT_THROW(ml_efficacy(real, real, schema, "label", o), InvalidArgument);
  EXPECT_THROW(ml_efficacy(real, real.drop("u"), schema, "label", opts()), DataError);
}

// A synthesizer that copies its training rows looks better than real data when the hold-out is
// cut from rows it saw (the leak); a separate hold-out removes that: TSTR equals TRTR there.
TEST(MlEfficacy, SeparateHoldoutRemovesTheLeak) {
  const Table real = population(1500, 1), unseen = population(800, 7);
  const Schema schema = infer_schema(real);
  const Json leaky = ml_efficacy(real, real, schema, "label", opts());
  EXPECT_GT(leaky["tstr"]["accuracy"].get<double>(), leaky["trtr"]["accuracy"].get<double>() + 0.03)
      << leaky.dump(1);
  MlEfficacyOptions o = opts();
  o.holdout = &unseen;
  const Json clean = ml_efficacy(real, real, schema, "label", o);
  EXPECT_EQ(clean["rows"]["train"], 1500);
  EXPECT_EQ(clean["rows"]["holdout"], 800);
  EXPECT_NEAR(clean["tstr"]["accuracy"].get<double>(), clean["trtr"]["accuracy"].get<double>(),
              0.02)
      << clean.dump(1);
  const Table no_target = unseen.drop("label");
  o.holdout = &no_target;
  EXPECT_THROW(ml_efficacy(real, real, schema, "label", o), DataError);
}
