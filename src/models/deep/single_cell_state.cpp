// Fitting, persistence and latent helpers shared by scvi and scgen (single_cell_state.hpp).
#include "models/deep/single_cell_state.hpp"

#include <cmath>
#include <limits>

#include "calm/core/error.hpp"

namespace calm {

const Column& SingleCellState::meta(const std::string& name, const std::string& method) const {
  const auto c = metadata.find(name);
  if (!c) throw DataError(method + ": column '" + name + "' is not a metadata column");
  return metadata.column(*c);
}

SingleCellInput single_cell_input(const Table& data, const SingleCellVaeOptions& o,
                                  const std::vector<std::string>& reserved,
                                  const std::string& method) {
  if (data.num_rows() < 2) throw DataError(method + " needs at least two cells to fit");
  SingleCellInput in;
  in.layout = SingleCellLayout::of(data, o.gene_columns, o.obs_columns, reserved, method);
  in.matrix = cell_matrix(data, in.layout, method);
  return in;
}

SingleCellInput single_cell_input(const CellTable& cells, const SingleCellVaeOptions& o,
                                  const std::vector<std::string>& reserved,
                                  const std::string& method) {
  cells.check();
  if (cells.cells() < 2) throw DataError(method + " needs at least two cells to fit");
  SingleCellInput in;
  in.layout = SingleCellLayout::of(cells, o.gene_columns, o.obs_columns, reserved, method);
  in.matrix = cell_matrix(cells.matrix(), method);
  return in;
}

SingleCellState fit_single_cell(const Table& data, SingleCellInput input,
                                const SingleCellVaeOptions& o, ExpressionTransform transform,
                                const FitContext& ctx, const std::string& method) {
  SingleCellState s;
  s.params = ctx.params.json();
  s.layout = std::move(input.layout);
  s.transform = transform;
  s.device = resolve_device(o.device, method);
  const bool needs_library = o.likelihood == GeneLikelihood::zinb ||
                             o.likelihood == GeneLikelihood::nb ||
                             transform == ExpressionTransform::cp10k_log1p;
  CellMatrix& m = input.matrix;
  std::vector<int64_t> keep;
  if (needs_library) {
    keep = cells_with_counts(m, method);
    if (keep.size() < 2) throw DataError(method + ": fewer than two cells have non-zero counts");
    if (keep.size() < m.x.rows) {
      ctx.log.warning(method + ": " + std::to_string(m.x.rows - keep.size()) +
                      " cells with zero total counts are left out of training");
      m.own(take_rows(m.x, keep));
      std::vector<double> lib;
      for (int64_t r : keep) lib.push_back(m.library[static_cast<size_t>(r)]);
      m.library = std::move(lib);
    }
  }
  // (A CellTable's obs may have no columns, and then no rows.)
  const bool every_cell = keep.empty() || keep.size() == data.num_rows();
  const Table cells = every_cell || data.num_columns() == 0 ? data : data.take_rows(keep);
  std::vector<std::string> meta_names;
  for (size_t c : s.layout.metadata) meta_names.push_back(s.layout.names[c]);
  s.metadata = cells.select(meta_names);
  s.library = m.library;
  s.batch = o.batch_key.empty() ? CellGroups{std::vector<int32_t>(m.library.size(), 0), {""}}
                                : cell_groups(cells.column(o.batch_key));

  prepare_torch(ctx.seed, ctx.threads);
  Rng rng(ctx.seed, stream_id(StreamPurpose::fit, 0));
  VaeShape shape;
  shape.genes = static_cast<int64_t>(m.x.cols);
  shape.n_latent = o.n_latent;
  shape.n_hidden = o.n_hidden;
  shape.n_layers = o.n_layers;
  shape.n_batches = static_cast<int64_t>(s.batch.size());
  shape.dropout = o.dropout_rate;
  shape.likelihood = o.likelihood;
  s.model = SingleCellVae(shape);
  const VaeData vd{m.x, transform, s.library, s.batch.code, shape.n_batches};
  s.epochs_run = train_single_cell_vae(s.model, vd, o, s.device, rng, ctx.log, method);
  std::tie(s.z_mean, s.z_var) = posterior(s.model, vd, s.device);
  return s;
}

void SingleCellState::save(ArchiveWriter& out) const {
  out.str(params.dump());
  layout.save(out);
  out.table(metadata);
  out.i64(static_cast<int64_t>(transform));
  out.f64s(library);
  out.i32s(batch.code);
  out.strs(batch.labels);
  const VaeShape& sh = model->shape;
  out.i64s({sh.genes, sh.n_latent, sh.n_hidden, sh.n_layers, sh.n_batches,
            static_cast<int64_t>(sh.likelihood)});
  out.f64(sh.dropout);
  out.bytes(module_to_bytes(*model));
  out.bytes(tensor_to_bytes(z_mean));
  out.bytes(tensor_to_bytes(z_var));
}

void SingleCellState::load(ArchiveReader& in, const std::string& method) {
  params = in.json(method + " params");
  layout = SingleCellLayout::load(in, method);
  metadata = in.table();
  const int64_t t = in.i64();
  if (t < 0 || t > static_cast<int64_t>(ExpressionTransform::cp10k_log1p))
    throw DataError(method + ": the saved expression transform is corrupt");
  transform = static_cast<ExpressionTransform>(t);
  library = in.f64s();
  batch.code = in.i32s();
  batch.labels = in.strs();
  const auto sh = in.i64s();
  if (sh.size() != 6 || sh[5] < 0 || sh[5] > static_cast<int64_t>(GeneLikelihood::mse) ||
      sh[0] != static_cast<int64_t>(layout.genes.size()) || sh[4] < 1 ||
      sh[4] != static_cast<int64_t>(batch.size()) || batch.code.size() != library.size() ||
      metadata.num_columns() != layout.metadata.size() ||
      (metadata.num_columns() > 0 && metadata.num_rows() != library.size()))
    throw DataError(method + ": the saved model is corrupt");
  for (int32_t b : batch.code)
    if (b < 0 || b >= sh[4]) throw DataError(method + ": the saved batches are corrupt");
  VaeShape shape{sh[0], sh[1], sh[2], sh[3], sh[4], in.f64(), static_cast<GeneLikelihood>(sh[5])};
  device = device_for_loading(params.value("device", std::string("cpu")), method);
  model = SingleCellVae(shape);
  module_from_bytes(*model, in.bytes(), device, method);
  model->eval();
  z_mean = tensor_from_bytes(in.bytes(), torch::kCPU, method);
  z_var = tensor_from_bytes(in.bytes(), torch::kCPU, method);
  if (z_mean.dim() != 2 || z_mean.size(0) != static_cast<int64_t>(library.size()) ||
      z_mean.size(1) != shape.n_latent || !z_var.sizes().equals(z_mean.sizes()))
    throw DataError(method + ": the saved posteriors do not fit the model");
}

LatentGaussians LatentGaussians::fit(const torch::Tensor& z_mean, const torch::Tensor& z_var,
                                     const std::vector<int32_t>& group, size_t groups) {
  const int64_t L = z_mean.size(1);
  LatentGaussians g;
  g.mean = torch::zeros({static_cast<int64_t>(groups), L}, torch::kDouble);
  g.chol = torch::zeros({static_cast<int64_t>(groups), L, L}, torch::kDouble);
  const auto m = z_mean.to(torch::kDouble), v = z_var.to(torch::kDouble);
  for (size_t k = 0; k < groups; ++k) {
    std::vector<int64_t> rows;
    for (size_t i = 0; i < group.size(); ++i)
      if (group[i] == static_cast<int32_t>(k)) rows.push_back(static_cast<int64_t>(i));
    if (rows.empty()) {  // a group without cells is never drawn; keep it finite
      g.chol[static_cast<int64_t>(k)] = torch::eye(L, torch::kDouble);
      continue;
    }
    const auto idx = torch::tensor(rows, torch::kLong);
    const auto mk = m.index_select(0, idx), vk = v.index_select(0, idx);
    const auto mu = mk.mean(0);
    const auto centred = mk - mu;
    const auto cov = centred.t().mm(centred) / static_cast<double>(rows.size()) +
                     torch::diag(vk.mean(0)) + 1e-6 * torch::eye(L, torch::kDouble);
    g.mean[static_cast<int64_t>(k)] = mu;
    g.chol[static_cast<int64_t>(k)] = torch::linalg_cholesky(cov);
  }
  g.mean = g.mean.to(torch::kFloat);
  g.chol = g.chol.to(torch::kFloat);
  return g;
}

torch::Tensor LatentGaussians::draw(const torch::Tensor& eps,
                                    const std::vector<int32_t>& group) const {
  std::vector<int64_t> g(group.begin(), group.end());
  const auto idx = torch::tensor(g, torch::kLong);
  return mean.index_select(0, idx) +
         torch::bmm(chol.index_select(0, idx), eps.unsqueeze(2)).squeeze(2);
}

std::vector<int64_t> nearest_cells(const torch::Tensor& z, const torch::Tensor& z_mean,
                                   const std::vector<int32_t>& group,
                                   const std::vector<int32_t>& cell_group) {
  const int64_t n = z.size(0);
  std::vector<int64_t> out(static_cast<size_t>(n));
  const auto cg = torch::tensor(cell_group, torch::kInt);
  const auto norms = z_mean.pow(2).sum(1);
  for (int64_t begin = 0; begin < n; begin += 256) {
    const int64_t count = std::min<int64_t>(256, n - begin);
    const auto q = z.narrow(0, begin, count);
    // Squared distances up to the query's own norm, which does not change the argmin.
    auto d = norms.unsqueeze(0) - 2 * q.mm(z_mean.t());
    if (!group.empty()) {
      const auto qg = torch::tensor(
          std::vector<int32_t>(group.begin() + begin, group.begin() + begin + count), torch::kInt);
      d = d.masked_fill(qg.unsqueeze(1) != cg.unsqueeze(0), std::numeric_limits<float>::infinity());
    }
    const auto best = d.argmin(1);
    const auto* b = best.data_ptr<int64_t>();
    for (int64_t i = 0; i < count; ++i) out[static_cast<size_t>(begin + i)] = b[i];
  }
  return out;
}

}  // namespace calm
