// `tvae`: the tabular variational autoencoder of Xu et al. (2019), "Modeling Tabular Data using
// Conditional GAN", NeurIPS (section 5, the TVAE baseline; Kingma & Welling 2014 for the VAE).
// The rows are encoded as for CTGAN (DeepTable); an MLP encoder gives the latent Gaussian, an MLP
// decoder the reconstruction: a Gaussian with a learned per-output sigma (clamped to [0.01, 1])
// for each continuous scalar, a softmax for every one-hot, trained on loss_factor x reconstruction
// + KL divergence with Adam. Sampling decodes standard-normal codes, adds the learned noise to the
// scalars and takes the largest entry of each one-hot. It cannot condition on a column.
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"
#include "models/deep/deep_params.hpp"

namespace calm {

class TvaeSynthesizer final : public Synthesizer {
 public:
  TvaeSynthesizer();
  ~TvaeSynthesizer() override;

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  // The params, the DeepTable's inputs and the trained network (torch::save bytes).
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calm
