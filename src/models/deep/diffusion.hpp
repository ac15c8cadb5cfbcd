// `diffusion`: TabDDPM of Kotelnikov, Baranchuk, Rubachev & Babenko (2023), "TabDDPM: Modelling
// Tabular Data with Diffusion Models", ICML. Numeric columns are quantile-transformed to normal
// scores and diffused with Gaussian noise (Ho, Jain & Abbeel 2020, "Denoising Diffusion
// Probabilistic Models"); categorical and boolean columns with multinomial diffusion (Hoogeboom et
// al. 2021, "Argmax Flows and Multinomial Diffusion"); one MLP denoiser (MLPDiffusion) predicts the
// Gaussian noise and the categorical x_0 logits at once, trained with AdamW (lr annealed linearly
// to 0) on uniform timesteps of a cosine schedule (Nichol & Dhariwal 2021).
// With a discrete target_col the model is class-conditional (the label's embedding is added to
// the timestep embedding); sampling then apportions the labels to the requested shares (the
// training frequencies when none are requested) and generates every row conditioned on its label,
// so shares are met exactly without rejection.
// The torch state lives behind a pointer so that this header stays free of torch.
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"
#include "models/deep/deep_params.hpp"

namespace calm {

class DiffusionSynthesizer final : public Synthesizer {
 public:
  DiffusionSynthesizer();
  ~DiffusionSynthesizer() override;

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  // True once fitted with a discrete target column (the class label).
  bool can_condition() const override;
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calm
