// scgen's fit, latent arithmetic, sampling and persistence (scgen.hpp).
#include "models/deep/scgen.hpp"

#include <cmath>

#include "calm/core/error.hpp"
#include "models/deep/scvi.hpp"
#include "models/deep/single_cell_state.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "scgen";
constexpr size_t kDecodeBatch = 1024;

// Mean posterior of the cells of each cell type in `condition`, averaged over `types` (scGen's
// balancing: every cell type weighs the same whatever its size).
torch::Tensor balanced_mean(const torch::Tensor& z, const CellGroups& type, const CellGroups& cond,
                            int32_t condition, const std::vector<int32_t>& types) {
  auto sum = torch::zeros({z.size(1)}, torch::kDouble);
  for (int32_t t : types) {
    std::vector<int64_t> rows;
    for (size_t i = 0; i < type.code.size(); ++i)
      if (type.code[i] == t && cond.code[i] == condition) rows.push_back(static_cast<int64_t>(i));
    sum += z.index_select(0, torch::tensor(rows, torch::kLong)).to(torch::kDouble).mean(0);
  }
  return (sum / static_cast<double>(types.size())).to(torch::kFloat);
}

}  // namespace

struct ScgenSynthesizer::Impl {
  ScgenOptions o;
  std::string target;
  SingleCellState s;
  // Derived (recomputed after load): the cells drawn from, and for predict the latent shift and
  // a training cell whose condition is `to` (its value labels the output).
  std::vector<int64_t> pool;
  torch::Tensor delta;
  double library_factor = 1;  // balanced mean library ratio of `to` over `from`
  int64_t to_cell = -1;

  void prepare() {
    pool.clear();
    if (!o.predict) {
      for (size_t i = 0; i < s.cells(); ++i) pool.push_back(static_cast<int64_t>(i));
      return;
    }
    const ScgenPredict& p = *o.predict;
    if (target.empty())
      throw InvalidArgument(
          "scgen: model_param 'predict_cell_type' needs target_col (the cell types)");
    const CellGroups type = cell_groups(s.meta(target, kMethod));
    const CellGroups cond = cell_groups(s.meta(o.condition_col, kMethod));
    const int32_t t = type.find(p.cell_type), from = cond.find(p.from), to = cond.find(p.to);
    auto missing = [&](const std::string& what, const std::string& col, const CellGroups& g) {
      std::string valid;
      for (const auto& l : g.labels) valid += (valid.empty() ? "" : ", ") + l;
      throw InvalidArgument("scgen: " + what + " is not a value of '" + col +
                            "' (values: " + valid + ")");
    };
    if (t < 0) missing("predict_cell_type \"" + p.cell_type + "\"", target, type);
    if (from < 0) missing("predict_from \"" + p.from + "\"", o.condition_col, cond);
    if (to < 0) missing("predict_to \"" + p.to + "\"", o.condition_col, cond);
    std::vector<int32_t> both;
    for (int32_t k = 0; k < static_cast<int32_t>(type.size()); ++k) {
      bool in_from = false, in_to = false;
      for (size_t i = 0; i < type.code.size(); ++i)
        if (type.code[i] == k) {
          in_from |= cond.code[i] == from;
          in_to |= cond.code[i] == to;
        }
      if (in_from && in_to) both.push_back(k);
    }
    if (both.empty())
      throw DataError("scgen: no cell type has cells in both conditions \"" + p.from + "\" and \"" +
                      p.to + "\"; the latent delta cannot be estimated");
    delta = balanced_mean(s.z_mean, type, cond, to, both) -
            balanced_mean(s.z_mean, type, cond, from, both);
    // Counts are written back with the donor's library: moved as the latent is, by the balanced
    // difference of mean log-libraries (a response that adds transcripts adds library too).
    const auto log_lib =
        torch::tensor(s.library, torch::kDouble).clamp_min(1e-8).log().unsqueeze(1);
    library_factor = std::exp((balanced_mean(log_lib, type, cond, to, both) -
                               balanced_mean(log_lib, type, cond, from, both))
                                  .item<double>());
    for (size_t i = 0; i < s.cells(); ++i) {
      if (type.code[i] == t && cond.code[i] == from) pool.push_back(static_cast<int64_t>(i));
      if (to_cell < 0 && cond.code[i] == to) to_cell = static_cast<int64_t>(i);
    }
    if (pool.empty())
      throw DataError("scgen: no cell of type \"" + p.cell_type + "\" is in condition \"" + p.from +
                      "\"; there is nothing to predict from");
  }

  // n generated cells' expression and the training cell each takes its metadata from.
  CsrMatrix draw(size_t n, const SampleContext& ctx, std::vector<int64_t>& donor) const;
  // `cells` (the output table, or its obs) with predicted cells' condition: every one carries
  // condition `to`. Unchanged without predict.
  Table with_predicted_condition(const Table& cells) const {
    if (!o.predict) return cells;
    const Column to =
        s.meta(o.condition_col, kMethod).take(std::vector<int64_t>(cells.num_rows(), to_cell));
    std::vector<Column> cols;
    for (size_t c = 0; c < cells.num_columns(); ++c)
      cols.push_back(cells.column(c).name == o.condition_col ? to : cells.column(c));
    return Table(std::move(cols));
  }
};

ScgenSynthesizer::ScgenSynthesizer() = default;
ScgenSynthesizer::~ScgenSynthesizer() = default;

void ScgenSynthesizer::fit(const Table& data, const FitContext& ctx) {
  fit_from(&data, nullptr, ctx);
}

void ScgenSynthesizer::fit_cells(const CellTable& cells, const FitContext& ctx) {
  fit_from(nullptr, &cells, ctx);
}

void ScgenSynthesizer::fit_from(const Table* table, const CellTable* cells, const FitContext& ctx) {
  impl_.reset();
  fallback_.reset();
  const Json& user = ctx.params.json();
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.o = scgen_options(user);
  if (m.o.condition_col.empty()) {
    ctx.log.warning("scgen: no condition_col in model_params; falling back to scvi");
    if (m.o.predict) throw InvalidArgument("scgen: model_param 'predict_from' needs condition_col");
    auto scvi = std::make_unique<ScviSynthesizer>();
    const FitContext inner{
        ctx.schema, ctx.target_col, scvi_param_spec().resolve(scgen_fallback_params(user), "scvi"),
        ctx.seed,   ctx.threads,    ctx.log};
    if (table)
      scvi->fit(*table, inner);
    else
      scvi->fit_cells(*cells, inner);
    fallback_ = std::move(scvi);
    return;
  }
  if (m.o.predict && !ctx.target_col)
    throw InvalidArgument(
        "scgen: model_param 'predict_cell_type' needs target_col (the cell types)");
  m.target = ctx.target_col.value_or("");
  const std::vector<std::string> reserved{m.target, m.o.condition_col, m.o.vae.batch_key};
  auto input = table ? single_cell_input(*table, m.o.vae, reserved, kMethod)
                     : single_cell_input(*cells, m.o.vae, reserved, kMethod);
  // Counts are log-normalised as scGen expects; other values are taken as already normalised.
  const auto transform =
      input.matrix.counts ? ExpressionTransform::cp10k_log1p : ExpressionTransform::none;
  m.s = fit_single_cell(table ? *table : cells->obs, std::move(input), m.o.vae, transform, ctx,
                        kMethod);
  m.prepare();
  impl_ = std::move(impl);
}

Table ScgenSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (fallback_) return fallback_->sample(n, ctx);
  if (!impl_) throw InternalError("scgen: sample() before fit()");
  const Impl& m = *impl_;
  std::vector<int64_t> donor;
  const CsrMatrix genes = m.draw(n, ctx, donor);
  return m.with_predicted_condition(single_cell_output(m.s.layout, genes, m.s.metadata, donor));
}

CellTable ScgenSynthesizer::sample_cells(size_t n, const SampleContext& ctx) const {
  if (fallback_) return fallback_->sample_cells(n, ctx);
  if (!impl_) throw InternalError("scgen: sample() before fit()");
  const Impl& m = *impl_;
  std::vector<int64_t> donor;
  CsrMatrix genes = m.draw(n, ctx, donor);
  CellTable out = single_cell_cells(m.s.layout, std::move(genes), m.s.metadata, donor);
  out.obs = m.with_predicted_condition(out.obs);
  return out;
}

CsrMatrix ScgenSynthesizer::Impl::draw(size_t n, const SampleContext& ctx,
                                       std::vector<int64_t>& donor) const {
  const Impl& m = *this;
  torch::NoGradGuard no_grad;
  set_torch_threads(ctx.threads);
  const size_t G = m.s.layout.genes.size();
  const int64_t L = m.s.z_mean.size(1);
  const bool counts = m.s.transform == ExpressionTransform::cp10k_log1p;
  SparseRowsBuilder genes(G);
  donor.assign(n, 0);
  for (size_t c = 0; c * kSampleChunk < n; ++c) {
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, c));
    at::Generator gen = make_generator(rng);
    const size_t first = c * kSampleChunk, count = std::min(kSampleChunk, n - first);
    std::vector<int64_t> pick(count);
    std::vector<int32_t> batch(count);
    std::vector<float> lib(count);
    for (size_t i = 0; i < count; ++i) {
      pick[i] = m.pool[rng.below(m.pool.size())];
      donor[first + i] = pick[i];
      batch[i] = m.s.batch.code[static_cast<size_t>(pick[i])];
      lib[i] = static_cast<float>(m.s.library[static_cast<size_t>(pick[i])] * m.library_factor);
    }
    auto z = m.s.z_mean.index_select(0, torch::tensor(pick, torch::kLong)) +
             m.o.noise_scale * torch::randn({static_cast<int64_t>(count), L}, gen, torch::kFloat);
    if (m.delta.defined()) z = z + m.delta.unsqueeze(0);
    const auto lib_t = torch::tensor(lib, torch::kFloat).unsqueeze(1);
    const auto onehot = batch_onehot(batch, m.s.model->shape.n_batches, m.s.device);
    for (size_t b = 0; b < count; b += kDecodeBatch) {
      const auto k = static_cast<int64_t>(std::min(kDecodeBatch, count - b));
      const auto at = static_cast<int64_t>(b);
      const auto d = m.s.model->decode(z.narrow(0, at, k).to(m.s.device), onehot.narrow(0, at, k));
      auto x = invert_transform(d.main.cpu(), m.s.transform, lib_t.narrow(0, at, k));
      if (counts) x = torch::round(x);
      x = x.to(torch::kFloat).contiguous();
      genes.append(x.data_ptr<float>(), static_cast<size_t>(k));
    }
  }
  return genes.take();
}

void ScgenSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_ && !fallback_) throw InternalError("scgen: save() before fit()");
  out.tag("scgen-v1");
  out.boolean(fallback_ != nullptr);
  if (fallback_) {
    fallback_->save(out);
    return;
  }
  out.str(impl_->target);
  impl_->s.save(out);
}

void ScgenSynthesizer::load(ArchiveReader& in) {
  in.tag("scgen-v1");
  impl_.reset();
  fallback_.reset();
  if (in.boolean()) {
    auto scvi = std::make_unique<ScviSynthesizer>();
    scvi->load(in);
    fallback_ = std::move(scvi);
    return;
  }
  auto impl = std::make_unique<Impl>();
  impl->target = in.str();
  impl->s.load(in, kMethod);
  impl->o = scgen_options(impl->s.params);
  impl->prepare();
  impl_ = std::move(impl);
}

}  // namespace calm
