// Networks, training loop and sampling of tvae on libtorch.
#include "models/deep/tvae.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/deep_table.hpp"
#include "models/deep/torch_common.hpp"

namespace calm {
namespace {

constexpr double kSigmaMin = 0.01, kSigmaMax = 1.0, kSigmaInit = 0.1;

torch::nn::Sequential build_mlp(int64_t in, const std::vector<int64_t>& dims,
                                std::optional<int64_t> out) {
  torch::nn::Sequential seq;
  int64_t dim = in;
  for (int64_t d : dims) {
    seq->push_back(torch::nn::Linear(dim, d));
    seq->push_back(torch::nn::ReLU());
    dim = d;
  }
  if (out) seq->push_back(torch::nn::Linear(dim, *out));
  return seq;
}

// The encoder: an MLP whose last hidden layer gives the latent mean and log-variance.
struct EncoderImpl : torch::nn::Module {
  EncoderImpl(int64_t data_dim, const std::vector<int64_t>& dims, int64_t latent)
      : seq(register_module("seq", build_mlp(data_dim, dims, std::nullopt))),
        mu(register_module("mu", torch::nn::Linear(dims.empty() ? data_dim : dims.back(), latent))),
        logvar(register_module("logvar",
                               torch::nn::Linear(dims.empty() ? data_dim : dims.back(), latent))) {}
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x) {
    const auto h = seq->forward(x);
    return {mu(h), logvar(h)};
  }
  torch::nn::Sequential seq;
  torch::nn::Linear mu, logvar;
};
TORCH_MODULE(Encoder);

}  // namespace

struct TvaeSynthesizer::Impl {
  Json params;  // as resolved, for save()
  TvaeOptions o;
  torch::Device device{torch::kCPU};
  DeepTable table;
  mutable torch::nn::Sequential decoder{nullptr};  // forward() is not const in libtorch
  torch::Tensor sigma;  // learned noise of every output (used on the continuous scalars)
  size_t width = 0;
};

TvaeSynthesizer::TvaeSynthesizer() = default;
TvaeSynthesizer::~TvaeSynthesizer() = default;

void TvaeSynthesizer::fit(const Table& data, const FitContext& ctx) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.params = ctx.params.json();
  m.o = tvae_options(m.params);
  const TvaeOptions& o = m.o;
  m.device = resolve_device(o.device, "tvae");
  const size_t n = data.num_rows();
  if (n == 0) throw DataError("tvae needs at least one row to fit");
  prepare_torch(ctx.seed, ctx.threads);

  m.table.fit(data, ctx.schema, {});
  m.width = m.table.width();
  if (m.width == 0) {  // only id columns: nothing to learn, sampling writes fresh keys
    impl_ = std::move(impl);
    return;
  }
  Rng rng(ctx.seed, stream_id(StreamPurpose::fit, 0));
  const auto train = rows_to_tensor(m.table.encode(data, rng), n, m.width, m.device);
  const auto W = static_cast<int64_t>(m.width);

  Encoder encoder(W, o.compress_dims, o.embedding_dim);
  m.decoder = build_mlp(o.embedding_dim, o.decompress_dims, W);
  m.sigma = torch::full({W}, kSigmaInit, torch::kFloat).to(m.device).requires_grad_(true);
  encoder->to(m.device);
  m.decoder->to(m.device);
  std::vector<torch::Tensor> params = encoder->parameters();
  for (const auto& p : m.decoder->parameters()) params.push_back(p);
  params.push_back(m.sigma);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3).weight_decay(o.l2scale));
  at::Generator gen = make_generator(rng);

  // The reconstruction terms, per span: Gaussian negative log-likelihood of each scalar under
  // tanh(output) with the learned sigma, cross-entropy of each one-hot.
  const auto& spans = m.table.encoder().spans();
  auto reconstruction = [&](const torch::Tensor& rec, const torch::Tensor& x) {
    torch::Tensor loss = torch::zeros({}, torch::TensorOptions().device(m.device));
    for (const auto& s : spans) {
      const auto st = static_cast<int64_t>(s.offset);
      if (s.activation == SpanActivation::tanh) {
        const auto std_ = m.sigma[st];
        const auto diff = x.select(1, st) - torch::tanh(rec.select(1, st));
        loss = loss + (diff.pow(2) / 2 / std_.pow(2)).sum() + torch::log(std_) * x.size(0);
      } else {
        const auto w = static_cast<int64_t>(s.width);
        loss = loss + torch::nn::functional::cross_entropy(
                          rec.narrow(1, st, w), x.narrow(1, st, w).argmax(1),
                          torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
      }
    }
    return loss;
  };

  const auto B = static_cast<size_t>(o.batch_size);
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  EpochReporter report(ctx.log, "tvae", o.epochs, o.verbose);
  double last = 0;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    for (size_t begin = 0; begin < n; begin += B) {
      const size_t count = std::min(B, n - begin);
      const auto index =
          torch::from_blob(order.data() + begin, {static_cast<int64_t>(count)}, torch::kLong)
              .clone()
              .to(m.device);
      const auto real = train.index_select(0, index);
      const auto [mu, logvar] = encoder->forward(real);
      const auto eps = torch::randn(mu.sizes(), gen).to(m.device);
      const auto rec = m.decoder->forward(eps * torch::exp(0.5 * logvar) + mu);
      const auto batch = static_cast<double>(count);
      const auto kld = -0.5 * torch::sum(1 + logvar - mu.pow(2) - logvar.exp());
      const auto loss = reconstruction(rec, real) * o.loss_factor / batch + kld / batch;
      opt.zero_grad();
      loss.backward();
      opt.step();
      {
        torch::NoGradGuard no_grad;
        m.sigma.clamp_(kSigmaMin, kSigmaMax);
      }
      last = loss.item<double>();
    }
    std::ostringstream s;
    s.precision(4);
    s << "loss " << last;
    report.epoch_done(s.str());
  }
  std::ostringstream s;
  s.precision(4);
  s << "loss " << last;
  report.finish(s.str());
  m.decoder->eval();
  impl_ = std::move(impl);
}

Table TvaeSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("tvae: sample() before fit()");
  const Impl& m = *impl_;
  torch::NoGradGuard no_grad;
  set_torch_threads(ctx.threads);
  const auto B = static_cast<size_t>(m.o.batch_size);
  std::vector<double> rows(n * m.width);
  if (m.width == 0) return m.table.decode(rows, n);
  const auto sigma = tensor_to_rows(m.sigma.unsqueeze(0));
  const auto& spans = m.table.encoder().spans();
  for (size_t b = 0; b * B < n; ++b) {
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, b));
    at::Generator gen = make_generator(rng);
    const size_t count = std::min(B, n - b * B);
    const auto z = torch::randn({static_cast<int64_t>(B), m.o.embedding_dim}, gen).to(m.device);
    const auto out = tensor_to_rows(torch::tanh(m.decoder->forward(z)));
    double* dst = rows.data() + b * B * m.width;
    std::copy(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(count * m.width), dst);
    // The decoder's Gaussian noise on every continuous scalar.
    for (const auto& s : spans)
      if (s.activation == SpanActivation::tanh)
        for (size_t i = 0; i < count; ++i)
          dst[i * m.width + s.offset] += sigma[s.offset] * rng.normal();
  }
  return m.table.decode(rows, n);
}

void TvaeSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_) throw InternalError("tvae: save() before fit()");
  const Impl& m = *impl_;
  out.tag("tvae-v1");
  out.str(m.params.dump());
  m.table.save(out);
  out.u64(m.width);
  if (m.width == 0) return;
  out.bytes(module_to_bytes(m.decoder));
  out.bytes(tensor_to_bytes(m.sigma));
}

void TvaeSynthesizer::load(ArchiveReader& in) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  in.tag("tvae-v1");
  m.params = in.json("tvae params");
  m.o = tvae_options(m.params);
  m.device = device_for_loading(m.o.device, "tvae");
  m.table.load(in, {});
  m.width = in.u64();
  if (m.width != m.table.width())
    throw DataError("tvae: the saved network does not fit the table's encoding");
  if (m.width > 0) {
    m.decoder = build_mlp(m.o.embedding_dim, m.o.decompress_dims, static_cast<int64_t>(m.width));
    module_from_bytes(m.decoder, in.bytes(), m.device, "tvae");
    m.sigma = tensor_from_bytes(in.bytes(), m.device, "tvae");
    if (m.sigma.dim() != 1 || m.sigma.size(0) != static_cast<int64_t>(m.width))
      throw DataError("tvae: the saved noise scales do not fit the table's encoding");
  }
  impl_ = std::move(impl);
}

}  // namespace calm
