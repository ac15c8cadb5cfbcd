// scvi's fit, sampling and persistence (scvi.hpp).
#include "models/deep/scvi.hpp"

#include <cmath>

#include "calm/core/error.hpp"
#include "models/deep/single_cell_state.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "scvi";
constexpr size_t kDecodeBatch = 1024;  // cells decoded at once (bounds the dense gene blocks)

}  // namespace

struct ScviSynthesizer::Impl {
  SingleCellVaeOptions o;
  std::string target;  // "" when no target_col
  SingleCellState s;
  // Derived from s (recomputed after load): the sampling groups, their latent Gaussians and
  // log-library normals.
  CellGroups group;
  LatentGaussians latent;
  std::vector<double> lib_mean, lib_sd;

  void prepare() {
    group = !target.empty() ? cell_groups(s.meta(target, kMethod)) : s.batch;
    latent = LatentGaussians::fit(s.z_mean, s.z_var, group.code, group.size());
    lib_mean.assign(group.size(), 0);
    lib_sd.assign(group.size(), 0);
    std::vector<double> sq(group.size(), 0), count(group.size(), 0);
    for (size_t i = 0; i < s.cells(); ++i) {
      const auto g = static_cast<size_t>(group.code[i]);
      const double l = std::log(std::max(s.library[i], 1e-8));
      lib_mean[g] += l;
      sq[g] += l * l;
      count[g] += 1;
    }
    for (size_t g = 0; g < group.size(); ++g) {
      if (count[g] == 0) continue;
      lib_mean[g] /= count[g];
      lib_sd[g] = std::sqrt(std::max(0.0, sq[g] / count[g] - lib_mean[g] * lib_mean[g]));
    }
  }

  // n generated cells' expression (cells in order, one decoded block at a time) and the
  // training cell each takes its metadata from.
  CsrMatrix draw(size_t n, const SampleContext& ctx, std::vector<int64_t>& donor) const;
};

ScviSynthesizer::ScviSynthesizer() = default;
ScviSynthesizer::~ScviSynthesizer() = default;

void ScviSynthesizer::fit(const Table& data, const FitContext& ctx) {
  fit_from(&data, nullptr, ctx);
}

void ScviSynthesizer::fit_cells(const CellTable& cells, const FitContext& ctx) {
  fit_from(nullptr, &cells, ctx);
}

void ScviSynthesizer::fit_from(const Table* table, const CellTable* cells, const FitContext& ctx) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.o = scvi_options(ctx.params.json());
  m.target = ctx.target_col.value_or("");
  const std::vector<std::string> reserved{m.target, m.o.batch_key};
  auto input = table ? single_cell_input(*table, m.o, reserved, kMethod)
                     : single_cell_input(*cells, m.o, reserved, kMethod);
  ExpressionTransform transform = ExpressionTransform::none;
  if (m.o.likelihood == GeneLikelihood::normal) {
    transform = input.matrix.negative ? ExpressionTransform::none : ExpressionTransform::log1p;
  } else if (input.matrix.negative) {
    throw DataError(std::string(kMethod) +
                    ": the expression values include negative numbers "
                    "(scaled or centred data?); gene_likelihood=\"" +
                    to_string(m.o.likelihood) +
                    "\" needs raw counts. Pass the raw counts, or model_params "
                    "{\"gene_likelihood\": \"normal\"} to model the values with a Gaussian");
  } else if (!input.matrix.counts) {
    throw DataError(std::string(kMethod) +
                    ": the expression values are not whole numbers "
                    "(log-normalised, TPM or FPKM data?); gene_likelihood=\"" +
                    to_string(m.o.likelihood) +
                    "\" needs raw counts. Pass the raw counts (e.g. "
                    "layers[\"counts\"]), or model_params {\"gene_likelihood\": \"normal\"} to "
                    "model log1p of the values with a Gaussian");
  }
  m.s =
      fit_single_cell(table ? *table : cells->obs, std::move(input), m.o, transform, ctx, kMethod);
  m.prepare();
  impl_ = std::move(impl);
}

Table ScviSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("scvi: sample() before fit()");
  std::vector<int64_t> donor;
  const CsrMatrix genes = impl_->draw(n, ctx, donor);
  return single_cell_output(impl_->s.layout, genes, impl_->s.metadata, donor);
}

CellTable ScviSynthesizer::sample_cells(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("scvi: sample() before fit()");
  std::vector<int64_t> donor;
  CsrMatrix genes = impl_->draw(n, ctx, donor);
  return single_cell_cells(impl_->s.layout, std::move(genes), impl_->s.metadata, donor);
}

CsrMatrix ScviSynthesizer::Impl::draw(size_t n, const SampleContext& ctx,
                                      std::vector<int64_t>& donor) const {
  const Impl& m = *this;
  torch::NoGradGuard no_grad;
  set_torch_threads(ctx.threads);
  const size_t G = m.s.layout.genes.size(), cells = m.s.cells();
  const int64_t L = m.s.z_mean.size(1);
  const bool counts = m.o.likelihood != GeneLikelihood::normal;
  SparseRowsBuilder genes(G);
  donor.assign(n, 0);
  for (size_t c = 0; c * kSampleChunk < n; ++c) {
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, c));
    at::Generator gen = make_generator(rng);
    const size_t first = c * kSampleChunk, count = std::min(kSampleChunk, n - first);
    // The group of each cell with the training cells' shares.
    std::vector<int32_t> g(count);
    for (auto& v : g) v = m.group.code[rng.below(cells)];
    const auto eps = torch::randn({static_cast<int64_t>(count), L}, gen, torch::kFloat);
    const auto z = m.o.sample_from_prior ? eps : m.latent.draw(eps, g);
    const auto near = nearest_cells(
        z, m.s.z_mean, m.o.sample_from_prior ? std::vector<int32_t>{} : g, m.group.code);
    std::vector<int32_t> batch(count);
    std::vector<float> log_lib(count);
    for (size_t i = 0; i < count; ++i) {
      const auto d = static_cast<size_t>(near[i]);
      donor[first + i] = near[i];
      batch[i] = m.s.batch.code[d];
      const auto k = static_cast<size_t>(m.group.code[d]);
      log_lib[i] = static_cast<float>(m.lib_mean[k] + m.lib_sd[k] * rng.normal());
    }
    const auto lib_t = torch::tensor(log_lib, torch::kFloat).unsqueeze(1);
    const auto onehot = batch_onehot(batch, m.s.model->shape.n_batches, m.s.device);
    for (size_t b = 0; b < count; b += kDecodeBatch) {
      const auto k = static_cast<int64_t>(std::min(kDecodeBatch, count - b));
      const auto at = static_cast<int64_t>(b);
      const auto d = m.s.model->decode(z.narrow(0, at, k).to(m.s.device), onehot.narrow(0, at, k));
      const auto ll = lib_t.narrow(0, at, k).to(m.s.device);
      auto x = m.s.model->draw(d, ll, gen);
      if (!counts) x = invert_transform(x, m.s.transform, torch::exp(ll));
      x = x.to(torch::kCPU, torch::kFloat).contiguous();
      genes.append(x.data_ptr<float>(), static_cast<size_t>(k));
    }
  }
  return genes.take();
}

void ScviSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_) throw InternalError("scvi: save() before fit()");
  out.tag("scvi-v1");
  out.str(impl_->target);
  impl_->s.save(out);
}

void ScviSynthesizer::load(ArchiveReader& in) {
  auto impl = std::make_unique<Impl>();
  in.tag("scvi-v1");
  impl->target = in.str();
  impl->s.load(in, kMethod);
  impl->o = scvi_options(impl->s.params);
  impl->prepare();
  impl_ = std::move(impl);
}

}  // namespace calm
