// `par`: the probabilistic autoregressive model of SDV's PARSynthesizer (Zhang, Patki &
// Veeramachaneni 2022, "Sequential models in the Synthetic Data Vault", arXiv:2207.14406; the
// deepecho PARModel), on libtorch. Whole entities of a sequence_key (docs/sequences.md):
//
//  1. Context model: a Gaussian copula (transform/entity_copula.hpp) over one row per entity —
//     its context columns, its sequence length and, with a time column, its start and time span
//     (the span as a share of the room left under a context bound such as pbc's futime), and the
//     entity's level of each step number (the mean of its normal scores; a random intercept, as in
//     copula_temporal) and share of missing cells. SDV fits a GaussianCopula to the context table
//     too; here the length joins it, so lengths are learned jointly with the context (drawn, never
//     copied from a real entity), and the levels keep long series at their own level instead of
//     drifting to the population's (tx_housing_monthly, 187 months: column shapes 0.83 without).
//  2. Sequence model: as deepecho's PARNet, a linear projection of [the previous step's features,
//     a first-step flag, the entity's latent context scores, its position k / (L - 1) and the
//     steps left] into a GRU (Cho et al. 2014), and a linear layer to each step feature's output
//     distribution (par_steps.hpp): a Gaussian on the normal score of a number under its marginal,
//     a Bernoulli for its is-missing indicator, a softmax for a category, and irregular time's
//     step as one more number. Trained by maximum likelihood with teacher forcing (Adam, batches
//     of entities, optionally cut into segment_size segments); sampling draws step by step, and
//     with sample_size > 1 keeps each entity's most likely of that many candidates.
//  3. Time, keys, bounds as the other sequence methods (transform/sequence_time.hpp,
//     transform/entity_keys.hpp): regular series on the real grid, irregular ones from the drawn
//     steps scaled to the drawn span, stamps strictly in order and inside the context bounds;
//     fresh keys in the real keys' look; columns that are functions of time looked up.
//
// n_samples counts entities (as SDV's PAR). Entity chunks of kSampleChunk draw from Philox
// streams of their own and run one after the other, so the output does not depend on the thread
// count.
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"

namespace calm {

class ParSynthesizer final : public Synthesizer {
 public:
  ParSynthesizer();
  ~ParSynthesizer() override;

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  // The params, the layout, the context copula, the step models and the network's weights.
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

  struct Impl;  // the fitted state and network (par_impl.hpp, with libtorch)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace calm
