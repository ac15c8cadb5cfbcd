// What scvi and scgen learn from a table and keep for sampling: the column layout, the training
// cells' metadata (re-attached to the generated cells they seed), libraries and batches, the
// trained VAE and every training cell's posterior. Fitting checks the input for the likelihood;
// cells with zero total counts are left out of training (with a warning) where a library is
// needed, all-zero genes are kept (their learnt rate goes to ~0).
#pragma once

#include <string>
#include <vector>

#include "calm/core/synthesizer.hpp"
#include "models/deep/single_cell_data.hpp"
#include "models/deep/single_cell_vae.hpp"

namespace calm {

struct SingleCellState {
  Json params;
  SingleCellLayout layout;
  Table metadata;  // the training cells' metadata columns, in layout order
  ExpressionTransform transform = ExpressionTransform::none;
  std::vector<double> library;  // per training cell
  CellGroups batch;             // per training cell; one group when there is no batch_key
  torch::Device device{torch::kCPU};
  mutable SingleCellVae model{nullptr};  // forward() is not const in libtorch
  torch::Tensor z_mean, z_var;           // training cells' posteriors (CPU)
  int epochs_run = 0;

  size_t cells() const { return library.size(); }
  // The metadata column named `name` (DataError naming `method` when it is a gene or absent).
  const Column& meta(const std::string& name, const std::string& method) const;

  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in, const std::string& method);
};

// Fits the layout, checks and the VAE. `reserved` are the label columns (target/condition/
// batch), `transform` is chosen by the caller from the matrix (cell_matrix) it is handed first.
struct SingleCellInput {
  SingleCellLayout layout;
  CellMatrix matrix;
};
SingleCellInput single_cell_input(const Table& data, const SingleCellVaeOptions& o,
                                  const std::vector<std::string>& reserved,
                                  const std::string& method);
// The same from cells given as a matrix and their metadata (SingleCellLayout::of(CellTable)).
SingleCellInput single_cell_input(const CellTable& cells, const SingleCellVaeOptions& o,
                                  const std::vector<std::string>& reserved,
                                  const std::string& method);
// `data`: the table whose rows are the cells and which holds the layout's metadata columns (the
// input table, or a CellTable's obs).
SingleCellState fit_single_cell(const Table& data, SingleCellInput input,
                                const SingleCellVaeOptions& o, ExpressionTransform transform,
                                const FitContext& ctx, const std::string& method);

// A Gaussian per group fitted to its cells' posteriors (moment-matched aggregate posterior:
// covariance of the means plus the mean variance), for drawing latent codes.
struct LatentGaussians {
  torch::Tensor mean;  // groups x L
  torch::Tensor chol;  // groups x L x L (lower Cholesky factors)
  static LatentGaussians fit(const torch::Tensor& z_mean, const torch::Tensor& z_var,
                             const std::vector<int32_t>& group, size_t groups);
  // z = mean[g] + chol[g] eps for eps (cells x L), g per cell.
  torch::Tensor draw(const torch::Tensor& eps, const std::vector<int32_t>& group) const;
};

// Per cell of `z` (CPU, cells x L), the training cell with the nearest posterior mean, among
// those whose group equals the cell's `group` entry (all cells when `group` is empty).
std::vector<int64_t> nearest_cells(const torch::Tensor& z, const torch::Tensor& z_mean,
                                   const std::vector<int32_t>& group,
                                   const std::vector<int32_t>& cell_group);

}  // namespace calm
