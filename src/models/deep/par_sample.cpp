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

// The steps of `count` entities of `length[i]` steps with context scores `z` (count x variables):
// sample_size candidates each, the most likely one's uniforms appended to `u` entity by entity.
void draw_steps(const ParSynthesizer::Impl& m, const Eigen::MatrixXd& z,
                const std::vector<size_t>& length, Rng& rng, std::vector<double>& u) {
  const size_t count = length.size(), S = static_cast<size_t>(m.o.sample_size), B = count * S;
  const SequenceFrame& f = m.frame;
  const size_t in = m.input_width(), nf = f.steps.features(), nb = f.steps.blocks().size(),
               no = f.steps.outputs(), nz = f.entities.variables();
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
      loglik[r] += f.steps.draw(po + r * no, k == 0, rng, features.data() + r * nf,
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
  SequenceFrame::Drawn d;
  std::vector<size_t> length;
  for (size_t c = 0; c * kSampleChunk < n; ++c) {
    const size_t count = std::min(kSampleChunk, n - c * kSampleChunk);
    const Eigen::MatrixXd z = m.frame.draw_entities(c, count, ctx.seed, d, length);
    if (!m.net.is_empty()) {
      Rng step_rng(ctx.seed, stream_id(StreamPurpose::sample, kStepStream + c));
      draw_steps(m, z, length, step_rng, d.u);
    }
  }
  return m.frame.assemble(d);
}

}  // namespace calm
