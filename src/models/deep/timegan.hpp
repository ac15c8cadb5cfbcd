// `timegan`: Time-series Generative Adversarial Networks (Yoon, Jarrett & van der Schaar 2019,
// "Time-series Generative Adversarial Networks", NeurIPS; the authors' code is
// github.com/jsyoon0823/TimeGAN), on libtorch, for whole entities of a sequence_key
// (docs/sequences.md):
//
//  1. Context model (shared with par, models/deep/sequence_frame.hpp): a Gaussian copula over one
//     row per entity — its context columns, sequence length, start and time span, and its level of
//     each step number and share of missing cells. The paper's extension conditions on static
//     features; here every network is conditioned on the entity's latent copula scores (levels
//     included), so a synthetic entity's steps follow its drawn context and level.
//  2. Step networks (timegan_windows.hpp for the features): embedder e(x, c) -> h and recovery
//     r(h) -> x (the autoencoder: sigmoid latents; recovery emits u in (0, 1) for numbers,
//     probabilities for indicators and softmax for categories), generator g(noise, c) -> latent,
//     supervisor s(h, c) -> next latent, discriminator d(h, c) -> logit; each a GRU stack of
//     num_layers (the supervisor one fewer) and a linear layer. c holds the entity's scores, the
//     step before the window and the step's place in the entity.
//  3. Training in the paper's three phases (as the authors' code: Adam, each phase `epochs`
//     iterations): (1) autoencoder, 10 sqrt(MSE(x, r(e(x)))); (2) supervised, MSE(h_{t+1},
//     s(h)_t) on real latents, over generator and supervisor; (3) joint, per iteration twice a
//     generator+supervisor step on BCE(d(s(g)), 1) + BCE(d(g), 1) + 100 sqrt(supervised) + 100
//     (|sd_hat - sd| + |mean_hat - mean|) (the moment loss) and an embedder+recovery step on the
//     reconstruction + 0.1 supervised, then the discriminator's step on BCE(real, 1) +
//     BCE(s(g), 0) + BCE(g, 0), taken only when that loss exceeds 0.15. Losses are averaged over
//     the valid steps of windows of seq_len steps (shorter entities are masked, not padded with
//     repeated rows), the reconstruction and the moments over observed cells only (a missing
//     number's placeholder is not a value). Two additions, measured on pbc_longitudinal (docs/
//     sequences.md): the moment loss also matches each feature's within-window standard deviation
//     and mean step (without it the generator, conditioned on the entity's scores, met the
//     paper's across-batch moments with flat series), and after training the generated numbers
//     are quantile-mapped per window step from the generator's distribution over the training
//     windows onto the real one (timegan_windows.hpp: ranks, hence dynamics and dependence, kept).
//  4. Sampling: recovery(supervisor(generator(noise, c))) window after window; an entity longer
//     than seq_len is generated as consecutive windows, each conditioned on the last drawn step
//     of the one before (as training conditioned each real window on the real step before it),
//     with fresh noise. Indicators and categories are drawn from the recovered probabilities with
//     one uniform per entity and column, so a category changes only when its probabilities move.
//     Time, keys and bounds as par's (sequence_frame.hpp).
//
// n_samples counts entities. Entity chunks of kSampleChunk draw from Philox streams of their own,
// and torch runs one thread: the output does not depend on the thread count.
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"

namespace calm {

class TimeganSynthesizer final : public Synthesizer {
 public:
  TimeganSynthesizer();
  ~TimeganSynthesizer() override;

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  // The params, the frame (layout, context copula, step models) and the generator, supervisor
  // and recovery weights (what sampling needs).
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

  struct Impl;  // the fitted state and networks (timegan_impl.hpp, with libtorch)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace calm
