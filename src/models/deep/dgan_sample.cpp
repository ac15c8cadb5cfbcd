// dgan's sampling: entity chunks of kSampleChunk, one after the other. Chunk c draws its noise
// from Philox stream (seed, sample + c); the generator turns it into attributes, additional
// attributes and flagged steps, which are read back through the entity codec (lengths from the
// generation flag) and assembled by the shared sequence layout.
#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/dgan_impl.hpp"
#include "transform/entity_copula.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

torch::Tensor normal_noise(Rng& rng, std::vector<int64_t> shape, const torch::Device& device) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = static_cast<float>(rng.normal());
  return torch::from_blob(v.data(), shape, torch::kFloat).clone().to(device);
}

std::vector<float> to_floats(const torch::Tensor& t) {
  const auto c = t.to(torch::kCPU).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

Table DganSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("dgan: sample() before fit()");
  const Impl& m = *impl_;
  torch::NoGradGuard no_grad;
  // One thread: the generation flag's argmax must not flip with a thread count's rounding.
  set_torch_threads(1);
  const DganCodec& codec = m.codec;
  const size_t nc = m.context.size(), na = codec.attribute_width(), nadd = codec.additional_width(),
               fw = codec.feature_width(), nab = codec.attributes().blocks().size(),
               steps = codec.steps();
  const bool irregular = m.irregular();
  SequenceDraws d;
  d.context.resize(nc);
  std::vector<double> step_u;
  for (size_t c = 0; c * kSampleChunk < n; ++c) {
    const size_t count = std::min(kSampleChunk, n - c * kSampleChunk), first = c * kSampleChunk;
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, c));
    const auto b = static_cast<int64_t>(count);
    const auto za = normal_noise(rng, {b, m.o.attribute_noise_dim}, m.device);
    const auto zf =
        normal_noise(rng, {b, static_cast<int64_t>(m.cells()), m.o.feature_noise_dim}, m.device);
    const bool by_attribute = m.o.lengths_from_attribute && codec.flagged();
    const auto [ta, tadd, tf] = m.generator->forward(za, zf, !by_attribute);
    const std::vector<float> a = to_floats(ta), add = to_floats(tadd), f = to_floats(tf);

    // Attributes: context values (as the output holds them: the time bounds read them), start,
    // span.
    std::vector<double> attribute_u(count * nab);
    for (size_t i = 0; i < count; ++i)
      codec.attribute_uniforms(a.data() + i * na, attribute_u.data() + i * nab);
    std::vector<std::vector<double>> values;
    for (size_t j = 0; j < codec.attributes().models().size(); ++j)
      values.push_back(codec.attributes().decode(j, attribute_u, count));
    for (size_t j = 0; j < nc; ++j)
      for (size_t i = 0; i < count; ++i)
        d.context[j].push_back(shaped_like_output(values[j][i], m.context_shape[j]));
    for (size_t i = 0; i < count; ++i) {
      const float* entity = f.data() + i * steps * fw;
      const double drawn =
          by_attribute ? std::round(values[nc + (m.timing ? 1 : 0) + (irregular ? 1 : 0)][i])
                       : static_cast<double>(codec.length(entity));
      d.length.push_back(
          static_cast<size_t>(std::clamp(drawn, 1.0, static_cast<double>(m.max_length))));
      if (m.timing) d.add_time(m, first + i, values[nc][i], irregular ? values[nc + 1][i] : kNaN);
      codec.step_uniforms(add.data() + i * nadd, entity, d.length[first + i], step_u);
    }
  }
  size_t rows = 0;
  for (size_t l : d.length) rows += l;
  std::vector<const ColumnModel*> varying_models, context_models;
  for (size_t v = 0; v < m.varying.size(); ++v) {
    d.varying.push_back(codec.features().decode(v, step_u, rows));
    varying_models.push_back(&codec.features().models()[v]);
  }
  if (irregular)
    d.deltas = codec.features().decode(codec.features().models().size() - 1, step_u, rows);
  for (size_t j = 0; j < nc; ++j) context_models.push_back(&codec.attributes().models()[j]);
  return assemble_sequences(m, d, varying_models, context_models);
}

}  // namespace calm
