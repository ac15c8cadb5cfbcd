// Training loop, conditional sampling and persistence of `diffusion` (TabDDPM, Kotelnikov et al.
// 2023) on libtorch.
#include "models/deep/diffusion.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/diffusion_data.hpp"
#include "models/deep/diffusion_model.hpp"
#include "models/deep/torch_common.hpp"

namespace calm {
namespace {

// Rows generated per reverse-process batch; fixed so that output does not depend on batch_size.
constexpr size_t kSampleBatch = 4096;

std::string format_loss(double gauss, double multi) {
  std::ostringstream s;
  s.precision(4);
  s << "loss " << gauss + multi << " (gaussian " << gauss << ", multinomial " << multi << ")";
  return s.str();
}

}  // namespace

struct DiffusionSynthesizer::Impl {
  DiffusionOptions o;
  torch::Device device{torch::kCPU};
  DiffusionData data;
  DenoiserConfig config;
  std::unique_ptr<TabularDiffusion> process;
  mutable Denoiser model{nullptr};  // forward() is not const in libtorch

  void build() {
    process = std::make_unique<TabularDiffusion>(DiffusionSchedule(o.diffusion_steps),
                                                 data.numeric(), data.categories(), device);
    config.input = process->input_width();
    config.classes = data.classes();
    config.dim_t = o.time_embedding_dim;
    config.dims = o.mlp_dims;
    config.dropout = o.dropout;
    if (config.input > 0) {
      model = Denoiser(config);
      model->to(device);
    }
  }

  void train(const DiffusionRows& rows, uint64_t seed, const Logger& log);
};

DiffusionSynthesizer::DiffusionSynthesizer() = default;
DiffusionSynthesizer::~DiffusionSynthesizer() = default;

bool DiffusionSynthesizer::can_condition() const {
  return impl_ && impl_->data.classes() > 0;
}

void DiffusionSynthesizer::fit(const Table& data, const FitContext& ctx) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.o = diffusion_options(ctx.params.json());
  m.device = resolve_device(m.o.device, "diffusion");
  if (data.num_rows() == 0) throw DataError("diffusion needs at least one row to fit");
  prepare_torch(ctx.seed, ctx.threads);
  m.data.fit(data, ctx.schema, ctx.target_col);
  m.build();
  if (m.model) m.train(m.data.encode(data), ctx.seed, ctx.log);
  impl_ = std::move(impl);
}

void DiffusionSynthesizer::Impl::train(const DiffusionRows& rows, uint64_t seed,
                                       const Logger& log) {
  const size_t n = rows.n;
  const int64_t p = data.numeric(), c = static_cast<int64_t>(data.categories().size());
  const auto N = static_cast<int64_t>(n);
  const auto x_num =
      torch::from_blob(const_cast<float*>(rows.numeric.data()), {N, p}, torch::kFloat)
          .clone()
          .to(device);
  const auto x_cat = torch::from_blob(const_cast<int64_t*>(rows.codes.data()), {N, c}, torch::kLong)
                         .clone()
                         .to(device);
  torch::Tensor y;
  if (!rows.labels.empty())
    y = torch::from_blob(const_cast<int64_t*>(rows.labels.data()), {N}, torch::kLong)
            .clone()
            .to(device);

  model->train();
  torch::optim::AdamW opt(model->parameters(),
                          torch::optim::AdamWOptions(o.lr).weight_decay(o.weight_decay));
  Rng rng(seed, stream_id(StreamPurpose::fit, 0));
  at::Generator gen = make_generator(rng);
  const size_t B = std::min(static_cast<size_t>(o.batch_size), n);
  const size_t per_epoch = (n + B - 1) / B;
  const double total = static_cast<double>(per_epoch) * o.epochs;
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  EpochReporter report(log, "diffusion", o.epochs, o.verbose);
  double gauss_sum = 0, multi_sum = 0;
  size_t step = 0;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    gauss_sum = multi_sum = 0;
    for (size_t begin = 0; begin < n; begin += B, ++step) {
      const size_t count = std::min(B, n - begin);
      const auto index =
          torch::from_blob(order.data() + begin, {static_cast<int64_t>(count)}, torch::kLong)
              .clone()
              .to(device);
      // TabDDPM anneals the learning rate linearly to 0 over training.
      for (auto& group : opt.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options())
            .lr(o.lr * (1.0 - static_cast<double>(step) / total));
      const auto [gauss, multi] =
          process->loss(model, p > 0 ? x_num.index_select(0, index) : torch::Tensor(),
                        c > 0 ? x_cat.index_select(0, index) : torch::Tensor(),
                        y.defined() ? y.index_select(0, index) : torch::Tensor(), gen);
      opt.zero_grad();
      (gauss + multi).backward();
      opt.step();
      gauss_sum += gauss.item<double>();
      multi_sum += multi.item<double>();
    }
    report.epoch_done(format_loss(gauss_sum / per_epoch, multi_sum / per_epoch));
  }
  report.finish(format_loss(gauss_sum / per_epoch, multi_sum / per_epoch));
  model->eval();
}

Table DiffusionSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("diffusion: sample() before fit()");
  const Impl& m = *impl_;
  torch::NoGradGuard no_grad;
  set_torch_threads(ctx.threads);
  DiffusionRows rows;
  rows.n = n;
  const size_t p = static_cast<size_t>(m.data.numeric()), c = m.data.categories().size();
  rows.numeric.resize(n * p);
  rows.codes.resize(n * c);

  if (ctx.shares && ctx.shares->column != m.data.label_column())
    throw NotAvailable("diffusion conditions only on its discrete target column" +
                       (m.data.classes() > 0 ? " '" + m.data.label_column() + "'"
                                             : std::string(" (none was given at fit)")) +
                       ", not on '" + ctx.shares->column + "'");
  if (m.data.classes() > 0) {
    // Labels apportioned to the shares, then shuffled: the shares hold exactly.
    std::vector<double> weights = m.data.label_counts();
    if (ctx.shares) {
      std::fill(weights.begin(), weights.end(), 0.0);
      for (size_t k = 0; k < ctx.shares->values.size(); ++k) {
        const int label = m.data.label_of(ctx.shares->values[k]);
        if (label < 0 && ctx.shares->shares[k] > 0)
          throw DataError("diffusion cannot produce a value of '" + ctx.shares->column +
                          "' that does not occur in the data");
        if (label >= 0) weights[static_cast<size_t>(label)] += ctx.shares->shares[k];
      }
    }
    const std::vector<size_t> counts = largest_remainder(n, weights);
    for (size_t k = 0; k < counts.size(); ++k)
      rows.labels.insert(rows.labels.end(), counts[k], static_cast<int64_t>(k));
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, 0));
    for (size_t i = n; i > 1; --i) std::swap(rows.labels[i - 1], rows.labels[rng.below(i)]);
  }
  if (!m.model) return m.data.decode(rows);

  for (size_t b = 0; b * kSampleBatch < n; ++b) {
    const size_t begin = b * kSampleBatch, count = std::min(kSampleBatch, n - begin);
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, b + 1));
    at::Generator gen = make_generator(rng);
    torch::Tensor y;
    if (!rows.labels.empty())
      y = torch::from_blob(rows.labels.data() + begin, {static_cast<int64_t>(count)}, torch::kLong)
              .clone()
              .to(m.device);
    const auto [x, codes] = m.process->sample(m.model, static_cast<int64_t>(count), y, gen);
    if (p > 0) {
      const auto xs = x.to(torch::kCPU).contiguous();
      std::copy_n(xs.data_ptr<float>(), count * p,
                  rows.numeric.begin() + static_cast<std::ptrdiff_t>(begin * p));
    }
    if (c > 0) {
      const auto cs = codes.to(torch::kCPU, torch::kLong).contiguous();
      std::copy_n(cs.data_ptr<int64_t>(), count * c,
                  rows.codes.begin() + static_cast<std::ptrdiff_t>(begin * c));
    }
  }
  return m.data.decode(rows);
}

// What fit() learnt: the architecture the weights need, the column layout and transforms, and the
// weights themselves (torch's archive format as one opaque blob).
void DiffusionSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_) throw InternalError("diffusion: save() before fit()");
  const Impl& m = *impl_;
  out.tag("diffusion-v1");
  out.i64(m.o.diffusion_steps);
  out.i64(m.o.time_embedding_dim);
  out.i64s(m.o.mlp_dims);
  out.str(m.o.device);
  m.data.save(out);
  out.boolean(static_cast<bool>(m.model));
  if (m.model) {
    torch::serialize::OutputArchive archive;
    m.model->save(archive);
    std::ostringstream weights;
    archive.save_to(weights);
    out.bytes(weights.str());
  }
}

void DiffusionSynthesizer::load(ArchiveReader& in) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  in.tag("diffusion-v1");
  m.o.diffusion_steps = static_cast<int>(in.i64());
  m.o.time_embedding_dim = static_cast<int>(in.i64());
  m.o.mlp_dims = in.i64s();
  m.o.device = in.str();
  m.device = resolve_device(m.o.device, "diffusion");
  m.data.load(in);
  m.build();
  if (in.boolean() != static_cast<bool>(m.model))
    throw DataError("diffusion: the model file's network does not match its columns");
  if (m.model) {
    std::istringstream weights(in.bytes());
    torch::serialize::InputArchive archive;
    archive.load_from(weights, m.device);
    m.model->load(archive);
    m.model->eval();
  }
  impl_ = std::move(impl);
}

}  // namespace calm
