// The single-cell metrics (calm/eval/single_cell_metrics.hpp) on cases with a known answer: a
// matrix against itself, against its counts scaled (normalisation hides the depth, the raw
// mean-variance trend does not), against cells whose genes were shuffled independently (every
// gene's distribution kept, the cells' programs broken: the classifier notices), and through
// `calm evaluate` on pbmc_small.h5ad; errors for mismatched genes and negative values.
#include <gtest/gtest.h>

#include <algorithm>

#include "calm/calm.hpp"
#include "calm/eval/single_cell_metrics.hpp"
#include "calm/io/anndata.hpp"
#include "cli_test_support.hpp"
#include "csr_test_support.hpp"

using namespace calm;

namespace {

const std::string kPbmc = std::string(CALM_DATASETS_DIR) + "/pbmc_small.h5ad";

using test::dense;

std::vector<std::string> types_of(const AnnData& a) {
  std::vector<std::string> t;
  const Column& c = a.obs.column("cell_type");
  for (size_t i = 0; i < c.size(); ++i) t.push_back(c.text(i));
  return t;
}

}  // namespace

TEST(SingleCellMetrics, CellsAgainstThemselvesScorePerfectly) {
  const AnnData a = read_h5ad(kPbmc);
  const std::vector<std::string> types = types_of(a);
  const SingleCellReport r = evaluate_single_cell(a.x, a.x, types, types);
  EXPECT_EQ(r.genes, a.x.cols);
  EXPECT_NEAR(r.mean_correlation, 1.0, 1e-12);
  EXPECT_NEAR(r.variance_correlation, 1.0, 1e-12);
  EXPECT_NEAR(r.dropout_correlation, 1.0, 1e-12);
  EXPECT_NEAR(r.dropout_mae, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.real_sparsity, r.synthetic_sparsity);
  ASSERT_TRUE(r.mean_variance_trend_difference);
  EXPECT_NEAR(*r.mean_variance_trend_difference, 0.0, 1e-9);
  ASSERT_TRUE(r.pca_auc && r.tstr_accuracy);
  EXPECT_LT(*r.pca_auc, 0.6);
  // The "synthetic" cells include the real test cells: train-on-synthetic is at least as good.
  EXPECT_GE(*r.tstr_accuracy, *r.trtr_accuracy);
  EXPECT_TRUE(r.counts);
}

TEST(SingleCellMetrics, DepthIsNormalisedAwayButTheRawTrendSeesIt) {
  const AnnData a = read_h5ad(kPbmc);
  std::vector<float> d = dense(a.x);
  for (float& v : d) v *= 3;
  const CsrMatrix deeper = CsrMatrix::from_dense(a.x.rows, a.x.cols, d);
  const SingleCellReport r = evaluate_single_cell(a.x, deeper, {}, {});
  EXPECT_NEAR(r.mean_correlation, 1.0, 1e-9);  // CP10k removes the depth
  EXPECT_NEAR(r.dropout_mae, 0.0, 1e-12);
  // var x9 at mean x3: at a fixed mean the fitted trend moves by log10(9) - slope * log10(3),
  // 0.18 here (slope about 1.6; Poisson counts, slope 1, would move 0.48).
  ASSERT_TRUE(r.mean_variance_trend_difference);
  EXPECT_GT(*r.mean_variance_trend_difference, 0.1);
  EXPECT_FALSE(r.tstr_accuracy);  // no cell types given
}

TEST(SingleCellMetrics, ShuffledGenesKeepMarginalsButNotCellPrograms) {
  const AnnData a = read_h5ad(kPbmc);
  std::vector<float> d = dense(a.x);
  Rng rng(5, 0);
  for (size_t g = 0; g < a.x.cols; ++g)  // each gene's values over the cells, permuted
    for (size_t r = a.x.rows - 1; r > 0; --r)
      std::swap(d[r * a.x.cols + g], d[rng.below(r + 1) * a.x.cols + g]);
  const CsrMatrix shuffled = CsrMatrix::from_dense(a.x.rows, a.x.cols, d);
  const std::vector<std::string> types = types_of(a);
  const SingleCellReport r = evaluate_single_cell(a.x, shuffled, types, types);
  EXPECT_NEAR(r.dropout_mae, 0.0, 1e-12);  // zeros per gene kept
  EXPECT_GT(r.mean_correlation, 0.9);
  EXPECT_DOUBLE_EQ(r.real_sparsity, r.synthetic_sparsity);
  ASSERT_TRUE(r.pca_auc && r.tstr_accuracy);
  EXPECT_GT(*r.pca_auc, 0.8);                           // the co-expression is gone
  EXPECT_LT(*r.tstr_accuracy, *r.trtr_accuracy - 0.2);  // types no longer tell apart
}

TEST(SingleCellMetrics, BadInputIsNamed) {
  const AnnData a = read_h5ad(kPbmc);
  CsrMatrix fewer = CsrMatrix::from_dense(2, 3, std::vector<float>(6, 1.0f));
  EXPECT_THROW(evaluate_single_cell(a.x, fewer, {}, {}), InvalidArgument);
  CsrMatrix negative = CsrMatrix::from_dense(a.x.rows, a.x.cols, dense(a.x));
  negative.data[0] = -1;
  try {
    evaluate_single_cell(a.x, negative, {}, {});
    FAIL() << "negative values accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("negative"), std::string::npos);
  }
  EXPECT_THROW(evaluate_single_cell(a.x, a.x, {"T"}, {}), InvalidArgument);
}

TEST(SingleCellMetrics, GeneColumnsOfATableView) {
  const AnnData a = read_h5ad(kPbmc);
  const Table t = anndata_table(a);
  const std::vector<std::string> genes = detect_gene_columns(t, {});
  EXPECT_EQ(genes, a.var_names);  // the obs columns here are text
  const CsrMatrix m = gene_matrix(t, genes);
  EXPECT_EQ(dense(m), dense(a.x));
  EXPECT_THROW(gene_matrix(t, {"cell_type"}), InvalidArgument);
  EXPECT_THROW(gene_matrix(t, {"NOT_A_GENE"}), InvalidArgument);
}

TEST(SingleCellMetrics, EvaluateCommandScoresCellsAndWritesTheSection) {
  using namespace calm::cli_test;
  TempDir dir;
  std::string out;
  ASSERT_EQ(run("evaluate " + kPbmc + " " + kPbmc + " --target cell_type --json", &out), 0) << out;
  const Json j = Json::parse(out);
  EXPECT_NEAR(j["single_cell"]["gene_mean_correlation"].get<double>(), 1.0, 1e-12);
  // The row-level scores read the obs columns only.
  EXPECT_EQ(j["column_shapes"].size(), 2u);
  ASSERT_EQ(run("evaluate " + kPbmc + " " + kPbmc + " --target cell_type -o " +
                    (dir.path / "rep").string(),
                &out),
            0)
      << out;
  EXPECT_NE(slurp(dir.path / "rep" / "comparison_report.html").find("id=\"single-cell\""),
            std::string::npos);
  EXPECT_EQ(run("evaluate " + kPbmc + " " + kPbmc + " --target nope", &out), 2);
  EXPECT_NE(out.find("nope"), std::string::npos);
}
