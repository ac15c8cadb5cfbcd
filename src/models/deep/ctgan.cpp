// Networks, training loop and sampling of ctgan / copulagan on libtorch.
#include "models/deep/ctgan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <sstream>

#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/deep_table.hpp"
#include "models/deep/torch_common.hpp"

namespace calm {
namespace {

constexpr int kCtganThreads = 1;  // see CtganSynthesizer::fit

constexpr double kTau = 0.2;             // Gumbel-softmax temperature of the reference
constexpr double kGradientPenalty = 10;  // WGAN-GP lambda
constexpr double kLeakySlope = 0.2;
constexpr double kDropout = 0.5;

// Judges pac rows at once: its input is pac concatenated rows (PacGAN).
torch::nn::Sequential build_discriminator(int64_t in, const std::vector<int64_t>& dims) {
  torch::nn::Sequential seq;
  int64_t dim = in;
  for (int64_t d : dims) {
    seq->push_back(torch::nn::Linear(dim, d));
    seq->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(kLeakySlope)));
    seq->push_back(torch::nn::Dropout(kDropout));
    dim = d;
  }
  seq->push_back(torch::nn::Linear(dim, 1));
  return seq;
}

// Training-by-sampling (CTGAN section 4.3) and the condition vectors of generation: one block per
// discrete column, the cond vector being the concatenation of the one-hots of every block.
class ConditionSampler {
 public:
  ConditionSampler(const TabularEncoder& enc, const std::vector<int32_t>& codes, size_t n,
                   bool log_frequency) {
    const size_t q = enc.discrete_count();
    size_t offset = 0;
    rows_.resize(q);
    train_cum_.resize(q);
    freq_cum_.resize(q);
    for (size_t j = 0; j < q; ++j) {
      const size_t levels = enc.discrete_levels(j);
      offsets_.push_back(offset);
      levels_.push_back(levels);
      offset += levels;
      rows_[j].resize(levels);
      for (size_t i = 0; i < n; ++i) rows_[j][static_cast<size_t>(codes[i * q + j])].push_back(i);
      double train = 0, freq = 0;
      for (size_t l = 0; l < levels; ++l) {
        const double count = static_cast<double>(rows_[j][l].size());
        train_cum_[j].push_back(train += log_frequency ? std::log(count + 1) : count);
        freq_cum_[j].push_back(freq += count);
      }
    }
    width_ = offset;
    n_ = n;
  }

  size_t width() const { return width_; }
  size_t features() const { return levels_.size(); }
  size_t offset(size_t j) const { return offsets_[j]; }
  size_t levels(size_t j) const { return levels_[j]; }

  // A column uniformly, its level by (log-)frequency, for `batch` rows: cond (batch x width())
  // and mask (batch x features()) one-hots, and the drawn (column, level) pairs.
  void training(size_t batch, Rng& rng, float* cond, float* mask, std::vector<size_t>& feature,
                std::vector<size_t>& level) const {
    feature.resize(batch);
    level.resize(batch);
    for (size_t i = 0; i < batch; ++i) {
      const size_t j = rng.below(features());
      const size_t l = rng.categorical(train_cum_[j].data(), levels_[j]);
      feature[i] = j;
      level[i] = l;
      cond[i * width_ + offsets_[j] + l] = 1;
      mask[i * features() + j] = 1;
    }
  }

  // A real row holding level l of column j.
  int64_t real_row(size_t j, size_t l, Rng& rng) const {
    const auto& rows = rows_[j][l];
    return static_cast<int64_t>(rows.empty() ? rng.below(n_) : rows[rng.below(rows.size())]);
  }

  // Generation: a column uniformly, its level by its real frequency.
  void generation(size_t batch, Rng& rng, float* cond) const {
    for (size_t i = 0; i < batch; ++i) {
      const size_t j = rng.below(features());
      cond[i * width_ + offsets_[j] + rng.categorical(freq_cum_[j].data(), levels_[j])] = 1;
    }
  }

 private:
  std::vector<size_t> offsets_, levels_;
  std::vector<std::vector<std::vector<size_t>>> rows_;  // [column][level] -> rows
  std::vector<std::vector<double>> train_cum_, freq_cum_;
  size_t width_ = 0, n_ = 0;
};

torch::Tensor to_float_tensor(const std::vector<float>& v, int64_t rows, int64_t cols,
                              const torch::Device& device) {
  return torch::from_blob(const_cast<float*>(v.data()), {rows, cols}, torch::kFloat)
      .clone()
      .to(device);
}

std::string format_losses(double g, double d) {
  std::ostringstream s;
  s.precision(4);
  s << "G " << g << " D " << d;
  return s.str();
}

}  // namespace

struct CtganSynthesizer::Impl {
  Json params;  // as resolved, for save()
  CtganOptions o;
  std::string method;
  torch::Device device{torch::kCPU};
  DeepTable table;
  std::unique_ptr<ConditionSampler> sampler;
  // Sampling runs it in training mode (batch statistics, as the reference), hence mutable.
  mutable torch::nn::Sequential generator{nullptr};
  size_t width = 0;

  // Cross-entropy of the generator's logits on the conditioned column (CTGAN's L_cond).
  torch::Tensor condition_loss(const torch::Tensor& fake, const torch::Tensor& cond,
                               const torch::Tensor& mask) const {
    std::vector<torch::Tensor> losses;
    const auto& enc = table.encoder();
    for (size_t j = 0; j < sampler->features(); ++j) {
      const auto L = static_cast<int64_t>(sampler->levels(j));
      const auto target = cond.narrow(1, static_cast<int64_t>(sampler->offset(j)), L).argmax(1);
      losses.push_back(torch::nn::functional::cross_entropy(
          fake.narrow(1, static_cast<int64_t>(enc.discrete_offset(j)), L), target,
          torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone)));
    }
    return (torch::stack(losses, 1) * mask).sum() / fake.size(0);
  }

  // Rows [begin, begin + count) of `out` (n x width encoded rows): batches of batch_size rows,
  // batch b drawing from Philox stream (seed, first_batch + b). `fixed`: (column, level) of a
  // condition set on every row, whose one-hot is then written into the rows.
  void generate(std::vector<double>& out, size_t begin, size_t count, uint64_t seed,
                uint64_t first_batch, std::optional<std::pair<size_t, size_t>> fixed) const {
    const auto B = static_cast<size_t>(o.batch_size);
    const size_t cw = sampler->width();
    const auto& spans = table.encoder().spans();
    for (size_t b = 0; b * B < count; ++b) {
      Rng rng(seed, stream_id(StreamPurpose::sample, first_batch + b));
      at::Generator gen = make_generator(rng);
      auto z = torch::randn({static_cast<int64_t>(B), o.embedding_dim}, gen).to(device);
      if (cw > 0) {
        std::vector<float> cond(B * cw, 0.0f);
        if (fixed)
          for (size_t i = 0; i < B; ++i)
            cond[i * cw + sampler->offset(fixed->first) + fixed->second] = 1;
        else
          sampler->generation(B, rng, cond.data());
        z = torch::cat(
            {z, to_float_tensor(cond, static_cast<int64_t>(B), static_cast<int64_t>(cw), device)},
            1);
      }
      const auto rows = tensor_to_rows(activate_gumbel(generator->forward(z), spans, kTau, gen));
      const size_t take = std::min(B, count - b * B);
      std::copy(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(take * width),
                out.begin() + static_cast<std::ptrdiff_t>((begin + b * B) * width));
      if (fixed) {
        const size_t offset = table.encoder().discrete_offset(fixed->first);
        const size_t levels = sampler->levels(fixed->first);
        for (size_t i = 0; i < take; ++i) {
          double* block = out.data() + (begin + b * B + i) * width + offset;
          std::fill(block, block + levels, 0.0);
          block[fixed->second] = 1.0;
        }
      }
    }
  }
};

CtganSynthesizer::CtganSynthesizer(bool copula) : copula_(copula) {}
CtganSynthesizer::~CtganSynthesizer() = default;

void CtganSynthesizer::fit(const Table& data, const FitContext& ctx) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.method = copula_ ? "copulagan" : "ctgan";
  m.params = ctx.params.json();
  m.o = ctgan_options(m.params, m.method, copula_);
  const CtganOptions& o = m.o;
  m.device = resolve_device(o.device, m.method);
  const size_t n = data.num_rows();
  if (n == 0) throw DataError(m.method + " needs at least one row to fit");
  if (m.o.family_by_size) {  // resolved once; the saved params carry the choice for load()
    m.o.family = copulagan_default_family(n, o.batch_size);
    m.o.family_by_size = false;
    m.params["default_distribution"] = to_string(*m.o.family);
  }
  // One intra-op thread whatever ctx.threads: ctgan's reductions (gradient penalty, PacGAN
  // packing) round differently when torch splits them over threads, which would make the rows
  // depend on the thread count; on 2 cores a second thread gave no speed-up anyway (telco_churn
  // 0.44 vs 0.436 s/epoch).
  prepare_torch(ctx.seed, kCtganThreads);

  DeepTableOptions table_options;
  table_options.copula = copula_;
  table_options.family = o.family;
  m.table.fit(data, ctx.schema, table_options);
  m.width = m.table.width();
  if (m.width == 0) {  // only id columns: nothing to learn, sampling writes fresh keys
    impl_ = std::move(impl);
    return;
  }
  Rng rng(ctx.seed, stream_id(StreamPurpose::fit, 0));
  const auto rows = m.table.encode(data, rng);
  m.sampler = std::make_unique<ConditionSampler>(m.table.encoder(), m.table.discrete_codes(data), n,
                                                 o.log_frequency);
  const auto train = rows_to_tensor(rows, n, m.width, m.device);
  const auto W = static_cast<int64_t>(m.width), C = static_cast<int64_t>(m.sampler->width());
  const auto B = static_cast<int64_t>(o.batch_size), pac = static_cast<int64_t>(o.pac);

  m.generator = build_residual_generator(o.embedding_dim + C, o.generator_dim, W);
  auto discriminator = build_discriminator((W + C) * pac, o.discriminator_dim);
  m.generator->to(m.device);
  discriminator->to(m.device);
  torch::optim::Adam opt_g(
      m.generator->parameters(),
      torch::optim::AdamOptions(o.generator_lr).betas({0.5, 0.9}).weight_decay(o.generator_decay));
  torch::optim::Adam opt_d(discriminator->parameters(),
                           torch::optim::AdamOptions(o.discriminator_lr)
                               .betas({0.5, 0.9})
                               .weight_decay(o.discriminator_decay));
  at::Generator gen = make_generator(rng);
  const auto& spans = m.table.encoder().spans();
  const auto pacdim = (W + C) * pac;

  // One batch of noise with its condition vectors: z | cond, cond, mask, and the real rows that
  // training-by-sampling pairs with shuffled copies of those conditions (real | cond[perm]).
  struct Batch {
    torch::Tensor input, cond, mask, real;
  };
  auto draw = [&](bool with_real) {
    Batch b;
    b.input = torch::randn({B, o.embedding_dim}, gen).to(m.device);
    std::vector<int64_t> real_rows(static_cast<size_t>(B));
    if (C > 0) {
      std::vector<float> cond(static_cast<size_t>(B * C), 0.0f);
      std::vector<float> mask(static_cast<size_t>(B) * m.sampler->features(), 0.0f);
      std::vector<size_t> feature, level;
      m.sampler->training(static_cast<size_t>(B), rng, cond.data(), mask.data(), feature, level);
      b.cond = to_float_tensor(cond, B, C, m.device);
      b.mask = to_float_tensor(mask, B, static_cast<int64_t>(m.sampler->features()), m.device);
      b.input = torch::cat({b.input, b.cond}, 1);
      if (with_real) {
        std::vector<int64_t> perm(static_cast<size_t>(B));
        std::iota(perm.begin(), perm.end(), 0);
        for (size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
        for (size_t i = 0; i < perm.size(); ++i) {
          const auto k = static_cast<size_t>(perm[i]);
          real_rows[i] = m.sampler->real_row(feature[k], level[k], rng);
        }
        const auto perm_t = torch::tensor(perm, torch::kLong).to(m.device);
        b.real =
            torch::cat({train.index_select(0, torch::tensor(real_rows, torch::kLong).to(m.device)),
                        b.cond.index_select(0, perm_t)},
                       1);
      }
    } else if (with_real) {
      for (auto& r : real_rows) r = static_cast<int64_t>(rng.below(n));
      b.real = train.index_select(0, torch::tensor(real_rows, torch::kLong).to(m.device));
    }
    return b;
  };
  auto with_cond = [&](const torch::Tensor& x, const Batch& b) {
    return C > 0 ? torch::cat({x, b.cond}, 1) : x;
  };
  auto critic = [&](const torch::Tensor& x) {
    return discriminator->forward(x.view({-1, pacdim}));
  };

  const int steps = std::max(1, static_cast<int>(n / static_cast<size_t>(o.batch_size)));
  const int epochs = o.epochs > 0 ? o.epochs : ctgan_default_epochs(n, o.batch_size);
  const int critic_steps = o.discriminator_steps > 0
                               ? o.discriminator_steps
                               : ctgan_default_discriminator_steps(n, o.batch_size);
  EpochReporter report(ctx.log, m.method, epochs, o.verbose);
  double last_g = 0, last_d = 0;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    for (int step = 0; step < steps; ++step) {
      for (int k = 0; k < critic_steps; ++k) {
        const Batch b = draw(true);
        torch::Tensor fake;
        {
          torch::NoGradGuard no_grad;
          fake = with_cond(activate_gumbel(m.generator->forward(b.input), spans, kTau, gen), b);
        }
        const auto y_fake = critic(fake);
        const auto y_real = critic(b.real);
        // WGAN-GP: the critic's gradient norm on random interpolates of pac-groups, pushed to 1.
        const auto alpha = torch::rand({B / pac, 1, 1}, gen)
                               .repeat({1, pac, W + C})
                               .view({-1, W + C})
                               .to(m.device);
        const auto mixed = (alpha * b.real + (1 - alpha) * fake).detach().requires_grad_(true);
        const auto y_mixed = critic(mixed);
        const auto grad = torch::autograd::grad({y_mixed}, {mixed}, {torch::ones_like(y_mixed)},
                                                /*retain_graph=*/true, /*create_graph=*/true)[0];
        const auto penalty =
            (grad.view({-1, pacdim}).norm(2, 1) - 1).pow(2).mean() * kGradientPenalty;
        const auto loss_d = -(y_real.mean() - y_fake.mean());
        opt_d.zero_grad();
        (penalty + loss_d).backward();
        opt_d.step();
        last_d = loss_d.item<double>();
      }
      const Batch b = draw(false);
      const auto logits = m.generator->forward(b.input);
      const auto y_fake = critic(with_cond(activate_gumbel(logits, spans, kTau, gen), b));
      auto loss_g = -y_fake.mean();
      if (C > 0) loss_g = loss_g + m.condition_loss(logits, b.cond, b.mask);
      opt_g.zero_grad();
      loss_g.backward();
      opt_g.step();
      last_g = loss_g.item<double>();
    }
    report.epoch_done(format_losses(last_g, last_d));
  }
  report.finish(format_losses(last_g, last_d));
  impl_ = std::move(impl);
}

Table CtganSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("ctgan: sample() before fit()");
  const Impl& m = *impl_;
  torch::NoGradGuard no_grad;
  set_torch_threads(kCtganThreads);
  std::vector<double> rows(n * m.width);
  if (m.width == 0) return m.table.decode(rows, n);
  if (!ctx.shares) {
    m.generate(rows, 0, n, ctx.seed, 0, std::nullopt);
    return m.table.decode(rows, n);
  }
  const ColumnShares& s = *ctx.shares;
  const auto feature = m.table.discrete_feature(s.column);
  if (!feature)
    throw NotAvailable(m.method + " conditions only on a discrete column; '" + s.column +
                       "' is modelled as numeric");
  const std::vector<size_t> counts = largest_remainder(n, s.shares);
  const auto B = static_cast<size_t>(m.o.batch_size);
  size_t begin = 0, batches = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] == 0) continue;
    const int level = m.table.level_of(*feature, s.values[k]);
    if (level < 0)
      throw DataError(m.method + " cannot produce a value of '" + s.column +
                      "' that does not occur in the data");
    m.generate(rows, begin, counts[k], ctx.seed, batches,
               std::make_pair(*feature, static_cast<size_t>(level)));
    begin += counts[k];
    batches += (counts[k] + B - 1) / B;
  }
  // The values' rows were generated one value after the other; mix them.
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  Rng rng(ctx.seed, stream_id(StreamPurpose::sample, batches));
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  std::vector<double> mixed(rows.size());
  for (size_t i = 0; i < n; ++i)
    std::copy_n(rows.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(order[i]) * m.width),
                m.width, mixed.begin() + static_cast<std::ptrdiff_t>(i * m.width));
  return m.table.decode(mixed, n);
}

void CtganSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_) throw InternalError("ctgan: save() before fit()");
  const Impl& m = *impl_;
  out.tag(m.method + "-v1");
  out.str(m.params.dump());
  m.table.save(out);
  out.u64(m.width);
  if (m.width > 0) out.bytes(module_to_bytes(m.generator));
}

void CtganSynthesizer::load(ArchiveReader& in) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.method = copula_ ? "copulagan" : "ctgan";
  in.tag(m.method + "-v1");
  m.params = in.json(m.method + " params");
  m.o = ctgan_options(m.params, m.method, copula_);
  m.device = device_for_loading(m.o.device, m.method);
  DeepTableOptions table_options;
  table_options.copula = copula_;
  table_options.family = m.o.family;
  m.table.load(in, table_options);
  m.width = in.u64();
  if (m.width != m.table.width())
    throw DataError(m.method + ": the saved network does not fit the table's encoding");
  if (m.width > 0) {
    const Table& data = m.table.training();
    m.sampler = std::make_unique<ConditionSampler>(m.table.encoder(), m.table.discrete_codes(data),
                                                   data.num_rows(), m.o.log_frequency);
    m.generator =
        build_residual_generator(m.o.embedding_dim + static_cast<int64_t>(m.sampler->width()),
                                 m.o.generator_dim, static_cast<int64_t>(m.width));
    module_from_bytes(m.generator, in.bytes(), m.device, m.method);
  }
  impl_ = std::move(impl);
}

}  // namespace calm
