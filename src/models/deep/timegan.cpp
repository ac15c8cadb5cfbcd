// timegan's networks, three-phase training and persistence on libtorch (the model: timegan.hpp).
#include "models/deep/timegan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/timegan_impl.hpp"
#include "models/deep/timegan_windows.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "timegan";
// Fit streams: the context copula's interval scores from 0, the batches and noise here.
constexpr uint64_t kBatchStream = 1ULL << 30;
// The authors' weights of the generator's and embedder's loss terms, and the discriminator's
// threshold: it trains only while it still tells real from synthetic (loss above 0.15).
// The calibration's knots per (number, window step), and the values a step needs for its own.
constexpr size_t kCalibrationKnots = 256, kCalibrationMinCount = 40;
constexpr double kGamma = 1.0, kSupervisedWeight = 100.0, kMomentWeight = 100.0,
                 kReconstructionWeight = 10.0, kEmbedderSupervised = 0.1,
                 kDiscriminatorFloor = 0.15;

// Mean squared error over the valid cells: a, b (B, T, F), w (B, T, 1) or (B, T, F).
torch::Tensor masked_mse(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& w) {
  return ((a - b).pow(2) * w).sum() / w.expand_as(a).sum().clamp_min(1.0);
}

// The supervised loss: the supervisor's prediction at t against the latent at t + 1.
torch::Tensor supervised_loss(const torch::Tensor& h, const torch::Tensor& predicted,
                              const torch::Tensor& m) {
  const int64_t T = h.size(1);
  if (T < 2) return torch::zeros({}, h.options());
  return masked_mse(h.narrow(1, 1, T - 1), predicted.narrow(1, 0, T - 1), m.narrow(1, 1, T - 1));
}

// Binary cross-entropy of logits against `target` over the valid steps.
torch::Tensor masked_bce(const torch::Tensor& logits, double target, const torch::Tensor& m) {
  const auto t = torch::full_like(logits, target);
  return torch::nn::functional::binary_cross_entropy_with_logits(
             logits, t,
             torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions().weight(m).reduction(
                 torch::kSum)) /
         m.sum().clamp_min(1.0);
}

// The moment loss: mean |sd_hat - sd| + mean |mean_hat - mean| per (step, feature) over the
// batch's observed cells, o (B, T, F).
torch::Tensor moment_loss(const torch::Tensor& x_hat, const torch::Tensor& x,
                          const torch::Tensor& o) {
  const auto& m = o;
  const auto n = m.sum(0).clamp_min(1.0);  // (T, F)
  auto moments = [&](const torch::Tensor& v) {
    const auto mean = (v * m).sum(0) / n;
    const auto var = ((v - mean).pow(2) * m).sum(0) / n;
    return std::make_pair(mean, torch::sqrt(var + 1e-6));
  };
  const auto [mean_hat, sd_hat] = moments(x_hat);
  const auto [mean, sd] = moments(x);
  const auto seen = (m.sum(0) > 0).to(x.dtype());  // cells some window of the batch observes
  const auto cells = seen.sum().clamp_min(1.0);
  return (((sd_hat - sd).abs() + (mean_hat - mean).abs()) * seen).sum() / cells;
}

// The within-window moments: per feature, the mean over windows of the standard deviation over a
// window's steps, and the mean absolute change between consecutive steps. The paper's moments
// (per step, across the batch) are met by differences between entities alone: conditioned on the
// entity's scores, the generator could ignore its noise and draw flat series.
torch::Tensor temporal_moment_loss(const torch::Tensor& x_hat, const torch::Tensor& x,
                                   const torch::Tensor& o) {
  const auto& m = o;
  const int64_t T = x.size(1);
  if (T < 2) return torch::zeros({}, x.options());
  const auto n = m.sum(1);  // (B, F)
  const auto several = (n > 1).to(x.dtype());
  const auto pair = m.narrow(1, 1, T - 1) * m.narrow(1, 0, T - 1);
  auto stats = [&](const torch::Tensor& v) {
    const auto mean = (v * m).sum(1) / n.clamp_min(1.0);  // (B, F)
    const auto sd =
        torch::sqrt(((v - mean.unsqueeze(1)).pow(2) * m).sum(1) / n.clamp_min(1.0) + 1e-6);
    const auto sd_mean = (sd * several).sum(0) / several.sum(0).clamp_min(1.0);
    const auto step =
        ((v.narrow(1, 1, T - 1) - v.narrow(1, 0, T - 1)).abs() * pair).sum(at::IntArrayRef{0, 1}) /
        pair.sum().clamp_min(1.0);
    return std::make_pair(sd_mean, step);
  };
  const auto [sd_hat, step_hat] = stats(x_hat);
  const auto [sd, step] = stats(x);
  return (sd_hat - sd).abs().mean() + (step_hat - step).abs().mean();
}

template <typename Net>
std::string net_to_bytes(const Net& net) {
  std::ostringstream out;
  torch::save(net, out);
  return out.str();
}

template <typename Net>
void net_from_bytes(Net& net, const std::string& bytes, const torch::Device& device) {
  std::istringstream in(bytes);
  try {
    torch::load(net, in, device);
  } catch (const c10::Error& e) {
    throw DataError(std::string(kMethod) + ": the saved network weights cannot be read (" +
                    e.what_without_backtrace() + ")");
  }
  net->to(device);
}

std::vector<torch::Tensor> parameters_of(std::initializer_list<torch::nn::Module*> modules) {
  std::vector<torch::Tensor> out;
  for (torch::nn::Module* m : modules)
    for (const auto& p : m->parameters()) out.push_back(p);
  return out;
}

}  // namespace

TimeganRnnImpl::TimeganRnnImpl(int64_t in, int64_t hidden, int64_t layers, int64_t out)
    : rnn(register_module(
          "rnn",
          torch::nn::GRU(torch::nn::GRUOptions(in, hidden).num_layers(layers).batch_first(true)))),
      head(register_module("head", torch::nn::Linear(hidden, out))) {}

torch::Tensor TimeganRnnImpl::forward(const torch::Tensor& x) {
  return head(std::get<0>(rnn->forward(x)));
}

int64_t TimeganSynthesizer::Impl::conditions() const {
  return static_cast<int64_t>(timegan_condition_width(frame));
}

void TimeganSynthesizer::Impl::build_sampling_networks() {
  const int64_t H = o.hidden_dim, L = o.num_layers, F = features(), C = conditions();
  generator = TimeganRnn(F + C, H, L, H);
  supervisor = TimeganRnn(H + C, H, std::max<int64_t>(1, L - 1), H);
  recovery = TimeganRnn(H, H, L, F);
  generator->to(device);
  supervisor->to(device);
  recovery->to(device);
}

torch::Tensor TimeganSynthesizer::Impl::activate(const torch::Tensor& raw) const {
  std::vector<torch::Tensor> parts;
  for (const StepBlock& b : frame.steps.blocks()) {
    const auto x = raw.narrow(2, static_cast<int64_t>(b.feature), static_cast<int64_t>(b.width));
    parts.push_back(b.kind == StepBlockKind::categorical ? torch::softmax(x, 2)
                                                         : torch::sigmoid(x));
  }
  return torch::cat(parts, 2);
}

torch::Tensor TimeganSynthesizer::Impl::generate(const torch::Tensor& noise, const torch::Tensor& c,
                                                 torch::Tensor* e) const {
  const auto latent = torch::sigmoid(generator->forward(torch::cat({noise, c}, 2)));
  if (e) *e = latent;
  return torch::sigmoid(supervisor->forward(torch::cat({latent, c}, 2)));
}

TimeganSynthesizer::TimeganSynthesizer() = default;
TimeganSynthesizer::~TimeganSynthesizer() = default;

void TimeganSynthesizer::fit(const Table& data, const FitContext& ctx) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.params = ctx.params.json();
  m.o = timegan_options(m.params);
  const TimeganOptions& o = m.o;
  m.device = resolve_device(o.device, kMethod);
  const SequenceFrame::Training train = m.frame.fit(data, ctx, o.columns, o.family, kMethod);
  m.window = timegan_window_steps(m.frame, o.seq_len);
  if (m.frame.steps.features() == 0) {  // nothing varies: the context model alone
    impl_ = std::move(impl);
    return;
  }
  // One intra-op thread: the tensors (a batch of windows x the hidden width) are too small to
  // split, and the output must not depend on the thread count.
  prepare_torch(ctx.seed, 1);
  const TimeganWindows w = timegan_windows(m.frame, train, m.window);
  const auto N = static_cast<int64_t>(w.count), T = static_cast<int64_t>(w.steps),
             F = static_cast<int64_t>(w.features), C = static_cast<int64_t>(w.conditions);
  auto tensor = [&](const std::vector<float>& v, int64_t width) {
    return torch::from_blob(const_cast<float*>(v.data()), {N, T, width}, torch::kFloat)
        .clone()
        .to(m.device);
  };
  const auto X = tensor(w.x, F), Cond = tensor(w.c, C), Mask = tensor(w.mask, 1),
             Observed = tensor(w.observed, F);

  const int64_t H = o.hidden_dim, L = o.num_layers;
  m.build_sampling_networks();
  TimeganRnn embedder(F + C, H, L, H), discriminator(H + C, H, L, 1);
  embedder->to(m.device);
  discriminator->to(m.device);
  auto embed = [&](const torch::Tensor& x, const torch::Tensor& c) {
    return torch::sigmoid(embedder->forward(torch::cat({x, c}, 2)));
  };
  auto recover = [&](const torch::Tensor& h) { return m.activate(m.recovery->forward(h)); };
  auto supervise = [&](const torch::Tensor& h, const torch::Tensor& c) {
    return torch::sigmoid(m.supervisor->forward(torch::cat({h, c}, 2)));
  };
  auto judge = [&](const torch::Tensor& h, const torch::Tensor& c) {
    return discriminator->forward(torch::cat({h, c}, 2));
  };
  const auto adam = torch::optim::AdamOptions(o.learning_rate);
  const auto er_params = parameters_of({embedder.get(), m.recovery.get()});
  const auto gs_params = parameters_of({m.generator.get(), m.supervisor.get()});
  torch::optim::Adam opt_autoencoder(er_params, adam), opt_supervised(gs_params, adam),
      opt_generator(gs_params, adam), opt_embedder(er_params, adam),
      opt_discriminator(discriminator->parameters(), adam);
  auto zero_all = [&] {
    for (TimeganRnnImpl* net : {embedder.get(), m.recovery.get(), m.generator.get(),
                                m.supervisor.get(), discriminator.get()})
      for (auto& p : net->parameters())
        if (p.grad().defined()) p.grad().zero_();
  };

  // Batches: windows drawn without replacement (the authors' random permutation's first
  // batch_size), noise uniform on [0, 1) as theirs.
  Rng rng(ctx.seed, stream_id(StreamPurpose::fit, kBatchStream));
  at::Generator gen = make_generator(rng);
  std::vector<int64_t> order(static_cast<size_t>(N));
  std::iota(order.begin(), order.end(), 0);
  const size_t B = std::min(static_cast<size_t>(o.batch_size), order.size());
  struct Batch {
    torch::Tensor x, c, m, o;
  };
  auto batch = [&] {
    for (size_t i = 0; i < B; ++i) std::swap(order[i], order[i + rng.below(order.size() - i)]);
    std::vector<int64_t> pick(order.begin(), order.begin() + static_cast<ptrdiff_t>(B));
    std::sort(pick.begin(), pick.end());
    const auto index = torch::tensor(pick, torch::kLong).to(m.device);
    return Batch{X.index_select(0, index), Cond.index_select(0, index), Mask.index_select(0, index),
                 Observed.index_select(0, index)};
  };
  auto noise = [&](const Batch& b) {
    return torch::rand({b.x.size(0), T, F}, gen, torch::kFloat).to(m.device);
  };

  EpochReporter report(ctx.log, kMethod, 3 * o.epochs, o.verbose);
  auto losses = [](const char* phase, std::initializer_list<std::pair<const char*, double>> ls) {
    std::ostringstream s;
    s.precision(4);
    s << phase;
    for (const auto& [name, v] : ls) s << ' ' << name << ' ' << v;
    return s.str();
  };
  std::string last;

  // Phase 1: the autoencoder.
  for (int it = 0; it < o.epochs; ++it) {
    const Batch b = batch();
    const auto loss = masked_mse(recover(embed(b.x, b.c)), b.x, b.o);
    zero_all();
    (kReconstructionWeight * torch::sqrt(loss)).backward();
    opt_autoencoder.step();
    last = losses("autoencoder", {{"recon", loss.item<double>()}});
    report.epoch_done(last);
  }
  // Phase 2: the supervisor on real latents (over generator and supervisor, as the authors').
  for (int it = 0; it < o.epochs; ++it) {
    const Batch b = batch();
    torch::Tensor h;
    {
      torch::NoGradGuard no_grad;
      h = embed(b.x, b.c);
    }
    const auto loss = supervised_loss(h, supervise(h, b.c), b.m);
    zero_all();
    loss.backward();
    opt_supervised.step();
    last = losses("supervised", {{"sup", loss.item<double>()}});
    report.epoch_done(last);
  }
  // Phase 3: joint training.
  for (int it = 0; it < o.epochs; ++it) {
    double g_adv = 0, g_sup = 0, g_mom = 0, recon = 0, d_loss = 0;
    for (int k = 0; k < 2; ++k) {
      const Batch b = batch();
      // Generator and supervisor.
      torch::Tensor e_hat;
      const auto h_hat = m.generate(noise(b), b.c, &e_hat);
      const auto x_hat = recover(h_hat);
      const auto h = embed(b.x, b.c);
      const auto adversarial = masked_bce(judge(h_hat, b.c), 1.0, b.m) +
                               kGamma * masked_bce(judge(e_hat, b.c), 1.0, b.m);
      const auto sup = supervised_loss(h, supervise(h, b.c), b.m);
      const auto moments = moment_loss(x_hat, b.x, b.o) + temporal_moment_loss(x_hat, b.x, b.o);
      const auto g_loss =
          adversarial + kSupervisedWeight * torch::sqrt(sup + 1e-12) + kMomentWeight * moments;
      zero_all();
      g_loss.backward();
      opt_generator.step();
      // Embedder and recovery.
      const auto h2 = embed(b.x, b.c);
      const auto rec = masked_mse(recover(h2), b.x, b.o);
      const auto e_loss = kReconstructionWeight * torch::sqrt(rec) +
                          kEmbedderSupervised * supervised_loss(h2, supervise(h2, b.c), b.m);
      zero_all();
      e_loss.backward();
      opt_embedder.step();
      g_adv = adversarial.item<double>();
      g_sup = sup.item<double>();
      g_mom = moments.item<double>();
      recon = rec.item<double>();
    }
    // Discriminator, only while it still tells them apart.
    const Batch b = batch();
    torch::Tensor h, e_hat, h_hat;
    {
      torch::NoGradGuard no_grad;
      h = embed(b.x, b.c);
      h_hat = m.generate(noise(b), b.c, &e_hat);
    }
    const auto loss = masked_bce(judge(h, b.c), 1.0, b.m) +
                      masked_bce(judge(h_hat, b.c), 0.0, b.m) +
                      kGamma * masked_bce(judge(e_hat, b.c), 0.0, b.m);
    d_loss = loss.item<double>();
    if (d_loss > kDiscriminatorFloor) {
      zero_all();
      loss.backward();
      opt_discriminator.step();
    }
    last = losses(
        "joint",
        {{"g_adv", g_adv}, {"sup", g_sup}, {"moment", g_mom}, {"recon", recon}, {"d", d_loss}});
    report.epoch_done(last);
  }
  report.finish(last);
  m.generator->eval();
  m.supervisor->eval();
  m.recovery->eval();

  // The calibration: the u the generator and the real windows give each number at each step.
  {
    torch::NoGradGuard no_grad;
    const auto x_hat =
        m.activate(m.recovery->forward(
                       m.generate(torch::rand({N, T, F}, gen, torch::kFloat).to(m.device), Cond)))
            .to(torch::kCPU)
            .contiguous();
    const float* px = x_hat.data_ptr<float>();
    const size_t nb = m.frame.steps.blocks().size(), steps = w.steps;
    TimeganCalibration::Knots generated(nb), real(nb);
    for (size_t b = 0; b < nb; ++b) {
      const StepBlock& block = m.frame.steps.blocks()[b];
      if (block.kind != StepBlockKind::gaussian) continue;
      generated[b].resize(steps);
      real[b].resize(steps);
      for (size_t slot = 0; slot < w.mask.size(); ++slot) {
        const size_t cell = slot * w.features + block.feature;
        if (w.observed[cell] == 0) continue;
        generated[b][slot % steps].push_back(px[cell]);
        real[b][slot % steps].push_back(w.x[cell]);
      }
    }
    m.calibration = TimeganCalibration::fit(std::move(generated), std::move(real),
                                            kCalibrationKnots, kCalibrationMinCount);
  }
  impl_ = std::move(impl);
}

void TimeganSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_) throw InternalError("timegan: save() before fit()");
  const Impl& m = *impl_;
  out.tag("timegan-v1");
  out.str(m.params.dump());
  m.frame.save(out);
  out.u64(m.window);
  out.boolean(!m.generator.is_empty());
  if (!m.generator.is_empty()) {
    out.bytes(net_to_bytes(m.generator));
    out.bytes(net_to_bytes(m.supervisor));
    out.bytes(net_to_bytes(m.recovery));
    m.calibration.save(out);
  }
}

void TimeganSynthesizer::load(ArchiveReader& in) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  in.tag("timegan-v1");
  m.params = in.json("timegan params");
  m.o = timegan_options(m.params);
  m.device = device_for_loading(m.o.device, kMethod);
  m.frame.load(in, kMethod);
  m.window = in.u64();
  if (m.window == 0 || m.window > m.o.seq_len) throw DataError("timegan: bad window length");
  if (in.boolean()) {
    m.build_sampling_networks();
    net_from_bytes(m.generator, in.bytes(), m.device);
    net_from_bytes(m.supervisor, in.bytes(), m.device);
    net_from_bytes(m.recovery, in.bytes(), m.device);
    m.calibration = TimeganCalibration::load(in, m.frame.steps.blocks().size());
    m.generator->eval();
    m.supervisor->eval();
    m.recovery->eval();
  }
  impl_ = std::move(impl);
}

}  // namespace calm
