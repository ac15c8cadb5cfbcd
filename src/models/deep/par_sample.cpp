// par's sampling: entity chunks of kSampleChunk, one after the other. Chunk c draws its entities
// (context, length, start, span) from the context copula with Philox stream (seed, sample + c) and
// their steps from the network with stream (seed, sample + kStepStream + c); the rows are then
// decoded through the column models and assembled entity by entity, in time order.
#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/par_impl.hpp"

namespace calm {
namespace {

constexpr uint64_t kStepStream = 1ULL << 40;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The steps of `count` entities of `length[i]` steps with context scores `z` (count x variables):
// sample_size candidates each, the most likely one's uniforms appended to `u` entity by entity.
void draw_steps(const ParSynthesizer::Impl& m, const Eigen::MatrixXd& z,
                const std::vector<size_t>& length, Rng& rng, std::vector<double>& u) {
  const size_t count = length.size(), S = static_cast<size_t>(m.o.sample_size), B = count * S;
  const size_t in = m.input_width(), nf = m.steps.features(), nb = m.steps.blocks().size(),
               no = m.steps.outputs(), nz = m.entities.variables();
  const size_t steps = *std::max_element(length.begin(), length.end());
  std::vector<float> zf(count * nz), x(B * in), features(B * nf, 0.0f);
  for (size_t i = 0; i < count; ++i)
    for (size_t v = 0; v < nz; ++v)
      zf[i * nz + v] =
          static_cast<float>(z(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(v)));
  std::vector<double> candidate_u(B * steps * nb, 0.5), loglik(B, 0.0);
  torch::Tensor h;
  for (size_t k = 0; k < steps; ++k) {
    for (size_t r = 0; r < B; ++r) {
      const size_t i = r / S;
      m.fill_input(x.data() + r * in, k == 0 ? nullptr : features.data() + r * nf,
                   zf.data() + i * nz, k, length[i]);
    }
    const auto input =
        torch::from_blob(x.data(), {1, static_cast<int64_t>(B), static_cast<int64_t>(in)},
                         torch::kFloat)
            .to(m.device);
    auto [out, state] = m.net->forward(input, h);
    h = state;
    const auto o = out.squeeze(0).to(torch::kCPU).contiguous();
    const float* po = o.data_ptr<float>();
    for (size_t r = 0; r < B; ++r) {
      if (k >= length[r / S]) continue;
      loglik[r] += m.steps.draw(po + r * no, k == 0, rng, features.data() + r * nf,
                                candidate_u.data() + (r * steps + k) * nb);
    }
  }
  for (size_t i = 0; i < count; ++i) {
    size_t best = i * S;
    for (size_t r = i * S + 1; r < (i + 1) * S; ++r)
      if (loglik[r] > loglik[best]) best = r;
    const double* from = candidate_u.data() + best * steps * nb;
    u.insert(u.end(), from, from + length[i] * nb);
  }
}

}  // namespace

Table ParSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("par: sample() before fit()");
  const Impl& m = *impl_;
  torch::NoGradGuard no_grad;
  set_torch_threads(ctx.threads);
  const size_t nc = m.context.size(), nb = m.steps.blocks().size();
  const bool irregular = m.irregular();
  SequenceDraws d;
  std::vector<double> u;  // rows x blocks: the steps' uniforms
  d.context.resize(nc);
  for (size_t c = 0; c * kSampleChunk < n; ++c) {
    const size_t count = std::min(kSampleChunk, n - c * kSampleChunk), first = c * kSampleChunk;
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, c));
    const EntityCopula::Draws e = m.entities.draw(count, rng);
    for (size_t i = 0; i < count; ++i)
      d.length.push_back(static_cast<size_t>(std::clamp<double>(
          std::llround(e.values[m.length_column()][i]), 1.0, static_cast<double>(m.max_length))));
    // Context values as the output will hold them: the time bounds read them.
    for (size_t j = 0; j < nc; ++j)
      for (size_t i = 0; i < count; ++i)
        d.context[j].push_back(shaped_like_output(e.values[j][i], m.context_shape[j]));
    if (m.timing)
      for (size_t i = 0; i < count; ++i)
        d.add_time(m, first + i, e.values[nc + 1][i], irregular ? e.values[nc + 2][i] : kNaN);
    if (!m.net.is_empty()) {
      Rng step_rng(ctx.seed, stream_id(StreamPurpose::sample, kStepStream + c));
      const std::vector<size_t> length(d.length.begin() + static_cast<ptrdiff_t>(first),
                                       d.length.end());
      draw_steps(m, e.z, length, step_rng, u);
    }
  }
  size_t rows = 0;
  for (size_t l : d.length) rows += l;
  if (m.net.is_empty()) u.assign(rows * nb, 0.5);
  std::vector<const ColumnModel*> varying_models, context_models;
  for (size_t v = 0; v < m.varying.size(); ++v) {
    d.varying.push_back(m.steps.decode(v, u, rows));
    varying_models.push_back(&m.steps.models()[v]);
  }
  if (irregular) d.deltas = m.steps.decode(m.steps.models().size() - 1, u, rows);
  for (size_t j = 0; j < nc; ++j) context_models.push_back(&m.entities.models()[j]);
  return assemble_sequences(m, d, varying_models, context_models);
}

}  // namespace calm
