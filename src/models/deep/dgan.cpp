// dgan's training and persistence on libtorch (the model: dgan.hpp).
#include "models/deep/dgan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/sequence_table.hpp"
#include "models/deep/dgan_impl.hpp"
#include "transform/marginals.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "dgan";
constexpr uint64_t kOrderStream = 1ULL << 30;  // the fit's batch order

// WGAN-GP (Gulrajani et al. 2017): the critic's gradient norm at points between real and
// generated rows, pulled towards 1, per example.
torch::Tensor gradient_penalty(torch::nn::Sequential& critic, const torch::Tensor& real,
                               const torch::Tensor& fake) {
  const auto alpha = torch::rand({real.size(0), 1}, real.options());
  const auto between = (alpha * real + (1 - alpha) * fake).requires_grad_(true);
  const auto out = critic->forward(between);
  const auto grad = torch::autograd::grad({out}, {between}, {torch::ones_like(out)},
                                          /*retain_graph=*/true, /*create_graph=*/true)[0];
  return (torch::sqrt(grad.pow(2).sum(1) + 1e-12) - 1).pow(2).mean();
}

torch::Tensor rows_tensor(std::vector<float>& v, std::vector<int64_t> shape,
                          const torch::Device& device) {
  return torch::from_blob(v.data(), shape, torch::kFloat).clone().to(device);
}

}  // namespace

DganSynthesizer::DganSynthesizer() = default;
DganSynthesizer::~DganSynthesizer() = default;

void DganSynthesizer::fit(const Table& data, const FitContext& ctx) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.params = ctx.params.json();
  m.o = dgan_options(m.params);
  const DganOptions& o = m.o;
  m.device = resolve_device(o.device, kMethod);
  if (o.columns.legacy_key_alias)
    ctx.log.warning(std::string(kMethod) + ": sequence_index '" + o.columns.key +
                    "' without sequence_key is read as the entity column (the seed's legacy "
                    "meaning); name it sequence_key, and the time column time_col");
  const SequenceTable seq = SequenceTable::build(data, o.columns);
  if (seq.unsorted_entities())
    ctx.log.warning(std::string(kMethod) + ": the rows of " +
                    std::to_string(seq.unsorted_entities()) + " of " +
                    std::to_string(seq.entities()) + " entities were not in '" +
                    o.columns.time.value_or("") + "' order; they were sorted by it");
  const size_t entities = seq.entities();
  if (entities < 2)
    throw DataError(std::string(kMethod) + ": needs at least 2 entities to train, got " +
                    std::to_string(entities));
  // One intra-op thread, as par: the batches are small, and the result must not depend on it.
  prepare_torch(ctx.seed, 1);
  static_cast<SequenceLayout&>(m) = SequenceLayout::fit(data, seq, ctx.schema);

  // Sequence length: seq_len rounded up to whole LSTM cells of sample_len steps.
  const size_t seq_len = o.seq_len ? o.seq_len : std::min(m.max_length, kDganMaxDefaultSeqLen);
  m.sample_len =
      o.sample_len ? o.sample_len : (seq_len + kDganDefaultCells - 1) / kDganDefaultCells;
  if (m.sample_len > seq_len)
    throw InvalidArgument(std::string(kMethod) + ": sample_len (" + std::to_string(m.sample_len) +
                          ") is longer than seq_len (" + std::to_string(seq_len) + ")");
  const size_t steps = (seq_len + m.sample_len - 1) / m.sample_len * m.sample_len;
  size_t cut = 0;
  for (size_t e = 0; e < entities; ++e) cut += seq.length(e) > seq_len;
  if (cut)
    ctx.log.warning(std::string(kMethod) + ": " + std::to_string(cut) + " of " +
                    std::to_string(entities) + " entities are longer than seq_len " +
                    std::to_string(seq_len) + "; they train on their first " +
                    std::to_string(seq_len) + " steps");
  m.max_length = std::min(m.max_length, seq_len);
  // As gretel's DGAN: no generation flag where every entity has the same length.
  bool varying_lengths = false;
  for (size_t e = 0; e < entities; ++e)
    varying_lengths = varying_lengths || std::min(seq.length(e), seq_len) != m.max_length;

  // The attributes (context columns, start, span) and the step features.
  std::vector<double> starts, spans,
      deltas(data.num_rows(), std::numeric_limits<double>::quiet_NaN());
  if (m.timing) m.span_as_share = m.real_times(data, seq, starts, spans, deltas, seq_len);
  const auto family = MarginalFamily::empirical;
  std::vector<ColumnModel> step_models =
      m.fit_step_models(data, seq, ctx.schema, deltas, family, ctx.threads);
  std::vector<int64_t> first_rows(entities);
  for (size_t e = 0; e < entities; ++e) first_rows[e] = seq.row(e, 0);
  std::vector<Column> attribute_cols;
  std::vector<ColumnModel> attribute_models;
  for (size_t j : m.context) {
    attribute_cols.push_back(data.column(j).take(first_rows));
    attribute_models.push_back(
        fit_column_model(attribute_cols.back(), ctx.schema[data.column(j).name].semantic, family));
  }
  auto add_number = [&](const char* name, const std::vector<double>& v) {
    attribute_cols.push_back(Column::float64(name, v));
    attribute_models.push_back(
        fit_column_model(attribute_cols.back(), SemanticType::numerical, family));
  };
  if (m.timing) add_number("\x01start", starts);
  if (m.irregular()) add_number("\x01span", spans);
  // The length joins the attributes where lengths vary: the LSTM reads it, and with
  // lengths=attribute it is the generated entity's length.
  if (varying_lengths) {
    std::vector<double> lengths(entities);
    for (size_t e = 0; e < entities; ++e)
      lengths[e] = static_cast<double>(std::min(seq.length(e), seq_len));
    add_number("\x01length", lengths);
  }
  m.codec = DganCodec(StepCodec(std::move(attribute_models)),
                      StepCodec(std::move(step_models), m.irregular()), steps, varying_lengths);
  std::vector<const Column*> attribute_ptrs, feature_ptrs;
  for (const Column& c : attribute_cols) attribute_ptrs.push_back(&c);
  for (size_t j : m.varying) feature_ptrs.push_back(&data.column(j));
  DganEncoded real = m.codec.encode(attribute_ptrs, feature_ptrs, deltas, seq, seq_len);

  // Training tensors: the attribute critic's rows [attributes, additional], the critic's rows
  // [attributes, additional, every step's features].
  const auto n = static_cast<int64_t>(entities),
             na = static_cast<int64_t>(m.codec.attribute_width()),
             nadd = static_cast<int64_t>(m.codec.additional_width()),
             flat = static_cast<int64_t>(steps * m.codec.feature_width());
  const auto real_attr = torch::cat({rows_tensor(real.attributes, {n, na}, m.device),
                                     rows_tensor(real.additional, {n, nadd}, m.device)},
                                    1);
  const auto real_full =
      torch::cat({real_attr, rows_tensor(real.features, {n, flat}, m.device)}, 1);
  const bool attribute_critic = na + nadd > 0;

  m.generator = DganGenerator(m.codec, o, m.sample_len);
  m.generator->to(m.device);
  auto critic = dgan_discriminator(na + nadd + flat);
  critic->to(m.device);
  torch::nn::Sequential attr_critic{nullptr};
  const auto adam = [](double lr) { return torch::optim::AdamOptions(lr).betas({0.5, 0.999}); };
  torch::optim::Adam opt_g(m.generator->parameters(), adam(o.generator_learning_rate));
  torch::optim::Adam opt_d(critic->parameters(), adam(o.discriminator_learning_rate));
  std::unique_ptr<torch::optim::Adam> opt_a;
  if (attribute_critic) {
    attr_critic = dgan_discriminator(na + nadd);
    attr_critic->to(m.device);
    opt_a = std::make_unique<torch::optim::Adam>(attr_critic->parameters(),
                                                 adam(o.discriminator_learning_rate));
  }

  Rng rng(ctx.seed, stream_id(StreamPurpose::fit, kOrderStream));
  std::vector<int64_t> order(entities);
  std::iota(order.begin(), order.end(), 0);
  const size_t B = o.batch_size ? static_cast<size_t>(o.batch_size) : dgan_batch_size(entities);
  const auto cells = static_cast<int64_t>(m.cells());
  EpochReporter report(ctx.log, kMethod, o.epochs, o.verbose);
  auto losses = [](double d, double g) {
    std::ostringstream s;
    s.precision(4);
    s << "critic " << d << "  generator " << g;
    return s.str();
  };
  double epoch_d = 0, epoch_g = 0;
  m.generator->train();
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (size_t i = entities; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    double sum_d = 0, sum_g = 0;
    size_t batches = 0;
    for (size_t begin = 0; begin < entities; begin += B) {
      const size_t count = std::min(B, entities - begin);
      if (count < 2) continue;  // batch normalisation needs two rows (gretel drops it too)
      const auto index =
          torch::from_blob(order.data() + begin, {static_cast<int64_t>(count)}, torch::kLong)
              .clone()
              .to(m.device);
      const auto real_a = real_attr.index_select(0, index);
      const auto real_f = real_full.index_select(0, index);
      const auto b = static_cast<int64_t>(count);
      const auto opts = torch::TensorOptions().dtype(torch::kFloat).device(m.device);
      auto [a, add, f] = m.generator->forward(torch::randn({b, o.attribute_noise_dim}, opts),
                                              torch::randn({b, cells, o.feature_noise_dim}, opts));
      const auto fake_a = torch::cat({a, add}, 1);
      const auto fake_f = torch::cat({fake_a, f.reshape({b, flat})}, 1);

      auto loss_d = critic->forward(fake_f.detach()).mean() - critic->forward(real_f).mean() +
                    o.gradient_penalty_coef * gradient_penalty(critic, real_f, fake_f.detach());
      opt_d.zero_grad();
      loss_d.backward();
      opt_d.step();
      if (attribute_critic) {
        auto loss_a =
            attr_critic->forward(fake_a.detach()).mean() - attr_critic->forward(real_a).mean() +
            o.gradient_penalty_coef * gradient_penalty(attr_critic, real_a, fake_a.detach());
        opt_a->zero_grad();
        loss_a.backward();
        opt_a->step();
      }
      auto loss_g = -critic->forward(fake_f).mean();
      if (attribute_critic)
        loss_g = loss_g - o.attribute_loss_coef * attr_critic->forward(fake_a).mean();
      opt_g.zero_grad();
      loss_g.backward();
      opt_g.step();
      sum_d += loss_d.item<double>();
      sum_g += loss_g.item<double>();
      ++batches;
    }
    epoch_d = batches ? sum_d / static_cast<double>(batches) : 0.0;
    epoch_g = batches ? sum_g / static_cast<double>(batches) : 0.0;
    report.epoch_done(losses(epoch_d, epoch_g));
  }
  report.finish(losses(epoch_d, epoch_g));
  m.generator->eval();
  impl_ = std::move(impl);
}

void DganSynthesizer::save(ArchiveWriter& out) const {
  if (!impl_) throw InternalError("dgan: save() before fit()");
  const Impl& m = *impl_;
  out.tag("dgan-v1");
  out.str(m.params.dump());
  m.SequenceLayout::save(out);
  out.u64(m.sample_len);
  m.codec.save(out);
  std::ostringstream bytes;
  torch::save(m.generator, bytes);
  out.bytes(bytes.str());
}

void DganSynthesizer::load(ArchiveReader& in) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  in.tag("dgan-v1");
  m.params = in.json("dgan params");
  m.o = dgan_options(m.params);
  m.device = device_for_loading(m.o.device, kMethod);
  static_cast<SequenceLayout&>(m) = SequenceLayout::load(in, kMethod);
  m.sample_len = in.u64();
  m.codec = DganCodec::load(in);
  if (m.sample_len == 0 || m.codec.steps() % m.sample_len != 0)
    throw DataError("dgan: bad sample_len");
  if (m.codec.attributes().models().size() != m.context.size() + (m.timing ? 1 : 0) +
                                                  (m.irregular() ? 1 : 0) +
                                                  (m.codec.flagged() ? 1 : 0) ||
      m.codec.features().models().size() != m.varying.size() + (m.irregular() ? 1 : 0))
    throw DataError("dgan: the saved models do not match the columns");
  m.generator = DganGenerator(m.codec, m.o, m.sample_len);
  std::istringstream bytes(in.bytes());
  try {
    torch::load(m.generator, bytes, m.device);
  } catch (const c10::Error& e) {
    throw DataError(std::string(kMethod) + ": the saved network weights cannot be read (" +
                    e.what_without_backtrace() + ")");
  }
  m.generator->to(m.device);
  m.generator->eval();
  impl_ = std::move(impl);
}

}  // namespace calm
