// par's network, training and persistence on libtorch (the model: par.hpp).
#include "models/deep/par.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/parallel.hpp"
#include "core/sequence_table.hpp"
#include "models/deep/par_impl.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "par";
// Fit streams: the context copula's interval scores from 0, the batch order here.
constexpr uint64_t kOrderStream = 1ULL << 30;
constexpr size_t kBucketBatches = 8;

struct Segment {
  size_t entity, begin, end;  // steps [begin, end) of the entity
};

// The indices the loss gathers, per kind of output block.
struct LossIndex {
  torch::Tensor mean, log_sd, gauss_feature, gauss_block;  // Gaussian blocks
  torch::Tensor logit, bern_feature;                       // Bernoulli blocks
  std::vector<StepBlock> categorical;
};

torch::Tensor long_tensor(const std::vector<int64_t>& v, const torch::Device& device) {
  return torch::tensor(v, torch::kLong).to(device);
}

LossIndex loss_index(const StepCodec& codec, const torch::Device& device) {
  std::vector<int64_t> mean, log_sd, gf, gb, logit, bf;
  LossIndex ix;
  for (size_t b = 0; b < codec.blocks().size(); ++b) {
    const StepBlock& s = codec.blocks()[b];
    const auto out = static_cast<int64_t>(s.output), f = static_cast<int64_t>(s.feature);
    switch (s.kind) {
      case StepBlockKind::gaussian:
        mean.push_back(out);
        log_sd.push_back(out + 1);
        gf.push_back(f);
        gb.push_back(static_cast<int64_t>(b));
        break;
      case StepBlockKind::bernoulli:
        logit.push_back(out);
        bf.push_back(f);
        break;
      case StepBlockKind::categorical:
        ix.categorical.push_back(s);
        break;
    }
  }
  ix.mean = long_tensor(mean, device);
  ix.log_sd = long_tensor(log_sd, device);
  ix.gauss_feature = long_tensor(gf, device);
  ix.gauss_block = long_tensor(gb, device);
  ix.logit = long_tensor(logit, device);
  ix.bern_feature = long_tensor(bf, device);
  return ix;
}

// Mean negative log-likelihood per valid step of a batch: out (T, B, outputs), y (T, B,
// features), observed (T, B, blocks), valid (T, B).
torch::Tensor negative_log_likelihood(const LossIndex& ix, const torch::Tensor& out,
                                      const torch::Tensor& y, const torch::Tensor& observed,
                                      const torch::Tensor& valid) {
  torch::Tensor total = torch::zeros({}, out.options());
  const auto v = valid.unsqueeze(2);
  if (ix.mean.numel() > 0) {
    const auto mean = out.index_select(2, ix.mean);
    const auto log_sd = out.index_select(2, ix.log_sd).clamp(kParMinLogSd, kParMaxLogSd);
    const auto target = y.index_select(2, ix.gauss_feature);
    const auto w = observed.index_select(2, ix.gauss_block) * v;
    const auto nll = 0.5 * ((target - mean) * torch::exp(-log_sd)).pow(2) + log_sd;
    total = total + (nll * w).sum();
  }
  if (ix.logit.numel() > 0) {
    const auto logit = out.index_select(2, ix.logit);
    total = total + torch::nn::functional::binary_cross_entropy_with_logits(
                        logit, y.index_select(2, ix.bern_feature),
                        torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions()
                            .weight(v.expand_as(logit))
                            .reduction(torch::kSum));
  }
  for (const StepBlock& s : ix.categorical) {
    const auto w = static_cast<int64_t>(s.width);
    const auto logp = torch::log_softmax(out.narrow(2, static_cast<int64_t>(s.output), w), 2);
    const auto hit = (logp * y.narrow(2, static_cast<int64_t>(s.feature), w)).sum(2);
    total = total - (hit * valid).sum();
  }
  return total / valid.sum().clamp_min(1.0);
}

std::string net_to_bytes(const ParNet& net) {
  std::ostringstream out;
  torch::save(net, out);
  return out.str();
}

void net_from_bytes(ParNet& net, const std::string& bytes, const torch::Device& device) {
  std::istringstream in(bytes);
  try {
    torch::load(net, in, device);
  } catch (const c10::Error& e) {
    throw DataError(std::string(kMethod) + ": the saved network weights cannot be read (" +
                    e.what_without_backtrace() + ")");
  }
  net->to(device);
}

}  // namespace

ParNetImpl::ParNetImpl(int64_t in, int64_t hidden, int64_t out)
    : down(register_module("down", torch::nn::Linear(in, hidden))),
      rnn(register_module("rnn", torch::nn::GRU(torch::nn::GRUOptions(hidden, hidden)))),
      up(register_module("up", torch::nn::Linear(hidden, out))) {}

std::tuple<torch::Tensor, torch::Tensor> ParNetImpl::forward(const torch::Tensor& x,
                                                             const torch::Tensor& h) {
  auto [y, state] = rnn->forward(down(x), h);
  return {up(y), state};
}

void ParSynthesizer::Impl::fill_input(float* x, const float* prev, const float* z, size_t k,
                                      size_t length) const {
  const size_t f = frame.steps.features(), nz = frame.entities.variables();
  if (prev)
    std::copy(prev, prev + f, x);
  else
    std::fill(x, x + f, 0.0f);
  x[f] = k == 0 ? 1.0f : 0.0f;
  std::copy(z, z + nz, x + f + 1);
  const double left = static_cast<double>(length - 1 - std::min(k, length - 1));
  x[f + 1 + nz] = length > 1 ? static_cast<float>(k) / static_cast<float>(length - 1) : 0.0f;
  x[f + 2 + nz] =
      static_cast<float>(std::log1p(left) / std::log1p(static_cast<double>(frame.max_length)));
}

ParSynthesizer::ParSynthesizer() = default;
ParSynthesizer::~ParSynthesizer() = default;

void ParSynthesizer::fit(const Table& data, const FitContext& ctx) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.params = ctx.params.json();
  m.o = par_options(m.params);
  const ParOptions& o = m.o;
  m.device = resolve_device(o.device, kMethod);
  const SequenceFrame::Training train = m.frame.fit(data, ctx, o.columns, o.family, kMethod);
  const SequenceTable& seq = train.seq;
  const SequenceFrame& f = m.frame;
  // One intra-op thread: a step's tensors (a batch of entities x the hidden width) are too small
  // to split, and on a loaded 2-core machine torch's busy-waiting pool made an epoch 10x slower
  // with 2 threads (pbc_longitudinal: 0.1 s against 1.1 s). The result does not depend on it.
  prepare_torch(ctx.seed, 1);
  const size_t entities = seq.entities(), nf = f.steps.features(), nb = f.steps.blocks().size();
  const std::vector<float>& features = train.features;
  const std::vector<float>& observed = train.observed;
  const Eigen::MatrixXd& context_scores = train.scores;

  if (f.steps.outputs() == 0) {  // nothing varies: the context model alone
    impl_ = std::move(impl);
    return;
  }

  // 3. Training tensors, one slot per segment: (steps, segments, width), teacher forcing.
  std::vector<Segment> segments;
  const size_t cut = o.segment_size ? o.segment_size : f.max_length;
  for (size_t e = 0; e < entities; ++e)
    for (size_t b = 0; b < seq.length(e); b += cut)
      segments.push_back({e, b, std::min(seq.length(e), b + cut)});
  size_t steps = 0;
  for (const Segment& s : segments) steps = std::max(steps, s.end - s.begin);
  const size_t ns = segments.size(), in = m.input_width(), nz = f.entities.variables();
  std::vector<float> x(steps * ns * in, 0.0f), y(steps * ns * nf, 0.0f), obs(steps * ns * nb, 0.0f),
      valid(steps * ns, 0.0f), z(nz);
  for (size_t i = 0; i < ns; ++i) {
    const Segment& s = segments[i];
    for (size_t v = 0; v < nz; ++v)
      z[v] = static_cast<float>(
          context_scores(static_cast<Eigen::Index>(s.entity), static_cast<Eigen::Index>(v)));
    for (size_t k = s.begin; k < s.end; ++k) {
      const size_t t = k - s.begin, slot = t * ns + i;
      const auto row = static_cast<size_t>(seq.row(s.entity, k));
      const float* prev =
          k == 0 ? nullptr : features.data() + static_cast<size_t>(seq.row(s.entity, k - 1)) * nf;
      m.fill_input(x.data() + slot * in, prev, z.data(), k, seq.length(s.entity));
      std::copy_n(features.data() + row * nf, nf, y.data() + slot * nf);
      std::copy_n(observed.data() + row * nb, nb, obs.data() + slot * nb);
      valid[slot] = 1.0f;
    }
  }
  auto tensor = [&](std::vector<float>& v, size_t width) {
    return torch::from_blob(
               v.data(),
               {static_cast<int64_t>(steps), static_cast<int64_t>(ns), static_cast<int64_t>(width)},
               torch::kFloat)
        .clone()
        .to(m.device);
  };
  const auto X = tensor(x, in), Y = tensor(y, nf), O = tensor(obs, nb),
             V = tensor(valid, 1).squeeze(2);

  // 4. Maximum likelihood with Adam over batches of segments.
  m.net = ParNet(static_cast<int64_t>(in), o.hidden_size, static_cast<int64_t>(f.steps.outputs()));
  m.net->to(m.device);
  torch::optim::Adam opt(m.net->parameters(), torch::optim::AdamOptions(o.learning_rate));
  const LossIndex ix = loss_index(f.steps, m.device);
  Rng rng(ctx.seed, stream_id(StreamPurpose::fit, kOrderStream));
  std::vector<int64_t> order(ns);
  std::iota(order.begin(), order.end(), 0);
  const auto B = static_cast<size_t>(o.batch_size);
  EpochReporter report(ctx.log, kMethod, o.epochs, o.verbose);
  auto losses = [](double nll) {
    std::ostringstream s;
    s.precision(4);
    s << "nll " << nll;
    return s.str();
  };
  // Batches of segments of similar length, cut to their longest (most entities are shorter than
  // the longest: pbc_longitudinal averages 6 of at most 16 visits): the shuffled order is sorted
  // by length within windows of kBucketBatches batches, and the batches are visited in random
  // order.
  std::vector<size_t> seg_length(ns);
  for (size_t i = 0; i < ns; ++i) seg_length[i] = segments[i].end - segments[i].begin;
  const size_t window = kBucketBatches * B;
  std::vector<size_t> batch_begin;
  for (size_t begin = 0; begin < ns; begin += B) batch_begin.push_back(begin);
  double epoch_nll = 0;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (size_t i = ns; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    for (size_t w = 0; w < ns; w += window)
      std::stable_sort(order.begin() + static_cast<ptrdiff_t>(w),
                       order.begin() + static_cast<ptrdiff_t>(std::min(ns, w + window)),
                       [&](int64_t a, int64_t b) {
                         return seg_length[static_cast<size_t>(a)] >
                                seg_length[static_cast<size_t>(b)];
                       });
    for (size_t i = batch_begin.size(); i > 1; --i)
      std::swap(batch_begin[i - 1], batch_begin[rng.below(i)]);
    double sum = 0;
    for (size_t begin : batch_begin) {
      const size_t count = std::min(B, ns - begin);
      size_t longest = 1;
      for (size_t i = begin; i < begin + count; ++i)
        longest = std::max(longest, seg_length[static_cast<size_t>(order[i])]);
      const auto index =
          torch::from_blob(order.data() + begin, {static_cast<int64_t>(count)}, torch::kLong)
              .clone()
              .to(m.device);
      auto pick = [&](const torch::Tensor& t) {
        return t.narrow(0, 0, static_cast<int64_t>(longest)).index_select(1, index);
      };
      const auto out = std::get<0>(m.net->forward(pick(X), torch::Tensor()));
      const auto loss = negative_log_likelihood(ix, out, pick(Y), pick(O), pick(V));
      opt.zero_grad();
      loss.backward();
      opt.step();
      sum += loss.item<double>();
    }
    epoch_nll = sum / static_cast<double>(batch_begin.size());
    report.epoch_done(losses(epoch_nll));
  }
  report.finish(losses(epoch_nll));
  m.net->eval();
  impl_ = std::move(impl);
}

void ParSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_) throw InternalError("par: save() before fit()");
  const Impl& m = *impl_;
  out.tag("par-v1");
  out.str(m.params.dump());
  m.frame.save(out);
  out.boolean(!m.net.is_empty());
  if (!m.net.is_empty()) out.bytes(net_to_bytes(m.net));
}

void ParSynthesizer::load(ArchiveReader& in) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  in.tag("par-v1");
  m.params = in.json("par params");
  m.o = par_options(m.params);
  m.device = device_for_loading(m.o.device, kMethod);
  m.frame.load(in, kMethod);
  if (in.boolean()) {
    m.net = ParNet(static_cast<int64_t>(m.input_width()), m.o.hidden_size,
                   static_cast<int64_t>(m.frame.steps.outputs()));
    net_from_bytes(m.net, in.bytes(), m.device);
    m.net->eval();
  }
  impl_ = std::move(impl);
}

}  // namespace calm
