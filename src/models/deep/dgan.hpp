// `dgan`: DoppelGANger (Lin, Jain, Wang, Fanti & Sekar 2020, "Using GANs for Sharing Networked
// Time Series Data: Challenges, Initial Promise, and Open Questions", IMC), as gretel-synthetics'
// PyTorch DGAN, on libtorch. Whole entities of a sequence_key (docs/sequences.md):
//
//  - attributes: the context columns, and with a time column the entity's start and time span
//    (as par: the span as a share of the room under a context bound such as pbc's futime), drawn
//    by an MLP from noise (Linear, ReLU, BatchNorm layers; tanh/sigmoid/softmax heads);
//  - additional attributes (auto-normalisation): each number of the steps is scaled per entity by
//    its own midpoint and half-range, which a second MLP draws from [noise, attributes];
//  - features: an LSTM reads [attributes, additional attributes, fresh noise] at every cell and
//    emits sample_len steps per cell; each step carries DoppelGANger's generation flag, and the
//    steps after the one flagged "last" are masked to zero (padding), so lengths come from the
//    flag (dgan_codec.hpp has the layout);
//  - a discriminator on [attributes, additional attributes, all steps] and an auxiliary one on the
//    attributes alone, trained with the Wasserstein loss and gradient penalty (Gulrajani et al.
//    2017, WGAN-GP; per-example gradient norms); Adam with gretel's defaults (lr 1e-3, beta1 0.5).
//
// Keys, time stamps (in order, inside the context bounds, regular grids kept) and columns that are
// functions of time are the deep sequence methods' shared machinery (sequence_layout.hpp).
// n_samples counts entities. Training runs on one intra-op thread with torch's generator seeded
// from the seed; sampling draws its noise from Philox streams per entity chunk, so the output does
// not depend on the thread count.
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"

namespace calm {

class DganSynthesizer final : public Synthesizer {
 public:
  DganSynthesizer();
  ~DganSynthesizer() override;

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  // The params, the layout, the entity codec and the generator's weights.
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

  struct Impl;  // the fitted state and generator (dgan_impl.hpp, with libtorch)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace calm
