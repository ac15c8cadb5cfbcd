// Quality of synthetic single-cell expression (cells x genes counts, docs/single_cell.md): what a
// single-cell analyst checks before trusting synthetic cells, computed on log1p of counts per 10k
// (the usual normalisation, Luecken & Theis 2019, "Current best practices in single-cell RNA-seq
// analysis", Mol. Syst. Biol.):
//  - per-gene mean, variance and dropout rate (share of zero cells): Pearson correlation over the
//    genes between real and synthetic, and the dropout rates' mean absolute difference;
//  - the mean-variance trend of the raw counts: a quadratic fit of log10 variance on log10 mean
//    over the genes of each side; the mean absolute difference of the two fits over the real
//    genes' means (log10 units; 0 = the same overdispersion);
//  - overall sparsity (share of zero entries) of each side;
//  - a real-vs-synthetic classifier (calm/eval/adversarial.hpp, XGBoost, stratified k-fold
//    ROC-AUC) on the top principal components: PCA fitted on the real cells over the most variable
//    genes (standardised by the real cells, clipped at 10, as scanpy's pp.scale);
//  - with cell types: train on synthetic, test on real cell-type accuracy next to train on real
//    (calm/eval/ml_efficacy.hpp on the components).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/sparse_matrix.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct SingleCellMetricsOptions {
  size_t components = 20;       // principal components the classifiers read
  size_t variable_genes = 500;  // genes the PCA reads (highest real variance)
  size_t max_cells = 20000;     // per side, for the PCA and the classifiers (seeded sample)
  int threads = 0;              // 0 = all cores; the result does not depend on it
  uint64_t seed = 0;
};

struct SingleCellReport {
  size_t real_cells = 0, synthetic_cells = 0, genes = 0;
  double mean_correlation = 0, variance_correlation = 0, dropout_correlation = 0;
  double dropout_mae = 0;
  double real_sparsity = 0, synthetic_sparsity = 0;
  std::optional<double> mean_variance_trend_difference;  // nullopt: < 3 expressed genes a side
  std::optional<double> pca_auc;                         // nullopt: too few cells
  std::optional<double> tstr_accuracy, trtr_accuracy;    // with cell types
  bool counts = true;  // both matrices hold whole numbers >= 0 (else the trend is on values)
  // PC1/PC2 of the sampled cells (interleaved x, y) and the variance share of each, for the
  // reports' overlay.
  std::vector<double> real_pc, synthetic_pc;
  double explained[2] = {0, 0};
  Json details;  // the classifier's and ML efficacy's own reports, the trend fits
};

// `real` and `synthetic` are cells x genes over the same genes in the same order. Cell types
// (one per cell, each side) enable the cell-type accuracy; pass empty vectors without them.
// InvalidArgument when the gene counts differ or a cell-type vector has the wrong length;
// DataError for negative values or a side without cells.
SingleCellReport evaluate_single_cell(CsrView real, CsrView synthetic,
                                      const std::vector<std::string>& real_types,
                                      const std::vector<std::string>& synthetic_types,
                                      const SingleCellMetricsOptions& options = {});

// The genes of a table view (io/anndata.hpp's anndata_table, or a CSV of cells) as a sparse
// matrix: the named numeric columns, missing cells read as 0. InvalidArgument for an absent or
// non-numeric column.
CsrMatrix gene_matrix(const Table& t, const std::vector<std::string>& genes);

// The gene columns of a cells table when no list is given: the numeric (int64/float64) columns
// with no negative value, other than `exclude` (cell type, batch, condition columns).
std::vector<std::string> detect_gene_columns(const Table& t,
                                             const std::vector<std::string>& exclude);

Json to_json(const SingleCellReport& report);

}  // namespace calm
