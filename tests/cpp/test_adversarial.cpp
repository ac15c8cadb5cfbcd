// Adversarial validation: chance-level AUC for a fresh sample of the same distribution, a high
// AUC naming the culprit column when one column is shifted, dictionary-independent encoding,
// subsampling, determinism and argument checks.
#include <gtest/gtest.h>

#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/eval/adversarial.hpp"

using namespace calm;

namespace {

// a ~ N(0,1), b = a + N(0,1), g = a 3-level category depending on a, n = a count, t = a flag.
// `shift` is added to b; `dict_order` reverses the category dictionary (same values).
Table population(size_t rows, uint64_t seed, double shift = 0, bool reverse_dict = false) {
  Rng rng(seed, 3);
  std::vector<double> a(rows), b(rows);
  std::vector<int32_t> g(rows);
  std::vector<int64_t> n(rows);
  std::vector<uint8_t> t(rows);
  for (size_t i = 0; i < rows; ++i) {
    a[i] = rng.normal();
    b[i] = a[i] + rng.normal() + shift;
    const int level = a[i] + 0.5 * rng.normal() > 0.3 ? 2 : rng.uniform() < 0.5 ? 0 : 1;
    g[i] = reverse_dict ? 2 - level : level;
    n[i] = static_cast<int64_t>(rng.below(5));
    t[i] = rng.uniform() < 0.4;
  }
  std::vector<std::string> dict = {"red", "green", "blue"};
  if (reverse_dict) std::reverse(dict.begin(), dict.end());
  return Table({Column::float64("a", a), Column::float64("b", b), Column::categorical("g", g, dict),
                Column::int64("n", n), Column::boolean("t", t)});
}

AdversarialOptions fast() {
  AdversarialOptions o;
  o.folds = 3;
  o.seed = 1;
  o.threads = 2;
  return o;
}

}  // namespace

TEST(Adversarial, SameDistributionIsIndistinguishable) {
  const Table real = population(1200, 1);
  const Table synthetic = population(1200, 2, 0, /*reverse_dict=*/true);
  const Json r = adversarial_validation(real, synthetic, infer_schema(real), fast());
  EXPECT_LT(r["roc_auc"].get<double>(), 0.6) << r.dump(1);
  EXPECT_GT(r["roc_auc"].get<double>(), 0.4);
  EXPECT_EQ(r["folds"], 3);
  EXPECT_EQ(r["fold_roc_auc"].size(), 3u);
  EXPECT_NE(r["interpretation"].get<std::string>().find("indistinguishable"), std::string::npos);
  double total = 0;
  for (const auto& f : r["feature_importance"]) total += f["gain"].get<double>();
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_EQ(r["feature_importance"].size(), 5u);
}

TEST(Adversarial, ShiftedColumnIsFoundAndRankedFirst) {
  const Table real = population(1200, 1);
  const Table synthetic = population(1000, 2, /*shift=*/3.0);
  const Json r = adversarial_validation(real, synthetic, infer_schema(real), fast());
  EXPECT_GT(r["roc_auc"].get<double>(), 0.9) << r.dump(1);
  EXPECT_GT(r["balanced_accuracy"].get<double>(), 0.8);
  EXPECT_EQ(r["feature_importance"][0]["column"], "b");
  EXPECT_GT(r["feature_importance"][0]["gain"].get<double>(), 0.5);
  EXPECT_NE(r["interpretation"].get<std::string>().find("'b'"), std::string::npos);
}

TEST(Adversarial, AnInventedLevelIsCaught) {
  // A fresh sample in which a fifth of the rows hold a category level the real data never has.
  const Table real = population(800, 3);
  Table synthetic = population(800, 4);
  Column g = synthetic.column("g");
  g.dict.push_back("purple");
  for (size_t i = 0; i < g.size(); i += 5) g.codes[i] = 3;
  synthetic = synthetic.with_column(g);  // replaces "g"
  const Json r = adversarial_validation(real, synthetic, infer_schema(real), fast());
  EXPECT_GT(r["roc_auc"].get<double>(), 0.55) << r.dump(1);
  EXPECT_EQ(r["feature_importance"][0]["column"], "g") << r.dump(1);
}

TEST(Adversarial, CopiedRowsScoreBelowChance) {
  // Each held-out real row has its synthetic twin among the training rows with the other label,
  // which pulls its score the wrong way: an AUC well below 0.5 is the signature of copying.
  const Table real = population(800, 5);
  const Json r = adversarial_validation(real, real, infer_schema(real), fast());
  EXPECT_LT(r["roc_auc"].get<double>(), 0.45) << r.dump(1);
  EXPECT_NE(r["interpretation"].get<std::string>().find("cop"), std::string::npos);
}

TEST(Adversarial, SubsamplesAndIsDeterministic) {
  const Table real = population(900, 4), synthetic = population(700, 5);
  AdversarialOptions o = fast();
  o.max_rows_per_side = 300;
  const Json a = adversarial_validation(real, synthetic, infer_schema(real), o);
  EXPECT_EQ(a["rows"]["real"], 300);
  EXPECT_EQ(a["rows"]["synthetic"], 300);
  EXPECT_EQ(a["rows"]["real_total"], 900);
  o.threads = 1;
  const Json b = adversarial_validation(real, synthetic, infer_schema(real), o);
  EXPECT_EQ(a.dump(), b.dump());
}

TEST(Adversarial, RejectsBadArguments) {
  const Table real = population(100, 6);
  const Schema schema = infer_schema(real);
  AdversarialOptions o = fast();
  o.folds = 1;
  EXPECT_THROW(adversarial_validation(real, real, schema, o), InvalidArgument);
  EXPECT_THROW(adversarial_validation(real, real.drop("b"), schema, fast()), DataError);
  EXPECT_THROW(adversarial_validation(real, real.take_rows({0}), schema, fast()), DataError);
}
