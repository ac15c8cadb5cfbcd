// timegan's sampling: entity chunks of kSampleChunk, one after the other. Chunk c draws its
// entities (context, length, time) from the context copula with Philox stream (seed, sample + c)
// (sequence_frame.hpp), then their steps window by window — noise and the indicator and category
// draws from stream (seed, sample + kStepStream + c) — through recovery(supervisor(generator)).
#include <algorithm>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/timegan_impl.hpp"
#include "models/deep/timegan_windows.hpp"

namespace calm {
namespace {

constexpr uint64_t kStepStream = 1ULL << 40;

// The steps of `count` entities of `length[i]` steps with latent scores `z`, their uniforms
// appended to `u` entity by entity. Window w of every entity that reaches it runs as one batch,
// conditioned on the entity's last drawn step.
void draw_steps(const TimeganSynthesizer::Impl& m, const Eigen::MatrixXd& z,
                const std::vector<size_t>& length, Rng& rng, std::vector<double>& u) {
  const SequenceFrame& f = m.frame;
  const size_t count = length.size(), nf = f.steps.features(), nb = f.steps.blocks().size(),
               nz = f.entities.variables(), nc = static_cast<size_t>(m.conditions()), T = m.window;
  at::Generator gen = make_generator(rng);
  std::vector<float> zf(count * nz), last(count * nf, 0.0f);
  for (size_t i = 0; i < count; ++i)
    for (size_t v = 0; v < nz; ++v)
      zf[i * nz + v] =
          static_cast<float>(z(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(v)));
  std::vector<std::vector<double>> own(count);
  std::vector<double> draws(count * nb);
  for (size_t i = 0; i < count; ++i) own[i].resize(length[i] * nb);
  for (double& v : draws) v = rng.uniform();
  const size_t longest = *std::max_element(length.begin(), length.end());
  std::vector<size_t> active;
  std::vector<float> c;
  for (size_t begin = 0; begin < longest; begin += T) {
    active.clear();
    for (size_t i = 0; i < count; ++i)
      if (length[i] > begin) active.push_back(i);
    const auto A = static_cast<int64_t>(active.size());
    c.assign(active.size() * T * nc, 0.0f);
    for (size_t a = 0; a < active.size(); ++a) {
      const size_t i = active[a];
      timegan_conditions(f, zf.data() + i * nz, begin > 0 ? last.data() + i * nf : nullptr, begin,
                         T, length[i], c.data() + a * T * nc);
    }
    const auto cond =
        torch::from_blob(c.data(), {A, static_cast<int64_t>(T), m.conditions()}, torch::kFloat)
            .to(m.device);
    const auto noise =
        torch::rand({A, static_cast<int64_t>(T), m.features()}, gen, torch::kFloat).to(m.device);
    const auto x =
        m.activate(m.recovery->forward(m.generate(noise, cond))).to(torch::kCPU).contiguous();
    const float* px = x.data_ptr<float>();
    for (size_t a = 0; a < active.size(); ++a) {
      const size_t i = active[a];
      for (size_t k = begin; k < std::min(length[i], begin + T); ++k)
        timegan_draw_step(f.steps, m.calibration, k - begin, px + (a * T + (k - begin)) * nf,
                          k == 0, draws.data() + i * nb, own[i].data() + k * nb,
                          last.data() + i * nf);
    }
  }
  for (size_t i = 0; i < count; ++i) u.insert(u.end(), own[i].begin(), own[i].end());
}

}  // namespace

Table TimeganSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("timegan: sample() before fit()");
  const Impl& m = *impl_;
  torch::NoGradGuard no_grad;
  // One thread, as in training: the same rows for any thread count.
  set_torch_threads(1);
  SequenceFrame::Drawn d;
  std::vector<size_t> length;
  for (size_t c = 0; c * kSampleChunk < n; ++c) {
    const size_t count = std::min(kSampleChunk, n - c * kSampleChunk);
    const Eigen::MatrixXd z = m.frame.draw_entities(c, count, ctx.seed, d, length);
    if (!m.generator.is_empty()) {
      Rng step_rng(ctx.seed, stream_id(StreamPurpose::sample, kStepStream + c));
      draw_steps(m, z, length, step_rng, d.u);
    }
  }
  return m.frame.assemble(d);
}

}  // namespace calm
