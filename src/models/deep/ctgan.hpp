// `ctgan` and `copulagan`: the conditional tabular GAN of Xu, Skoularidou, Cuesta-Infante &
// Veeramachaneni (2019), "Modeling Tabular Data using Conditional GAN", NeurIPS. Mode-specific
// normalisation (DeepTable), a conditional generator trained by sampling (a discrete column drawn
// uniformly, its level by log-frequency, a real row holding it), a residual generator with
// Gumbel-softmax one-hots (tau 0.2), a PacGAN discriminator (Lin et al. 2018) with the WGAN-GP loss
// (Gulrajani et al. 2017, lambda 10) and the generator's cross-entropy on the conditioned column.
// copulagan (SDV's CopulaGAN) first maps every numeric column to normal scores through its fitted
// marginal CDF and inverts that after sampling.
// Sampling draws the condition from the real frequencies of a uniformly chosen discrete column
// (the reference draws it from the flattened log-frequencies); with requested shares on a discrete
// column it generates each value's rows with that condition set and that value written.
// The torch state lives behind a pointer so that this header stays free of torch.
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"
#include "models/deep/deep_params.hpp"

namespace calm {

class CtganSynthesizer final : public Synthesizer {
 public:
  explicit CtganSynthesizer(bool copula = false);
  ~CtganSynthesizer() override;

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  // The params, the DeepTable's inputs and the trained network (torch::save bytes).
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;
  bool can_condition() const override { return true; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool copula_;
};

}  // namespace calm
