// dgan's networks and fitted state, shared by its fit (dgan.cpp), networks (dgan_net.cpp) and
// sampling (dgan_sample.cpp). Includes libtorch: plugin files only.
#pragma once

#include <tuple>
#include <vector>

#include "models/deep/dgan.hpp"
#include "models/deep/dgan_codec.hpp"
#include "models/deep/dgan_params.hpp"
#include "models/deep/sequence_layout.hpp"
#include "models/deep/torch_common.hpp"

namespace calm {

// The generator: attribute MLP, additional-attribute MLP, feature LSTM with sample_len heads.
struct DganGeneratorImpl : torch::nn::Module {
  DganGeneratorImpl(const DganCodec& codec, const DganOptions& o, size_t sample_len);
  // attribute_noise (B, attribute_noise_dim), feature_noise (B, cells, feature_noise_dim) ->
  // attributes (B, attribute_width), additional (B, additional_width), features (B, steps,
  // feature_width), the steps after each entity's last masked to zero.
  // `mask`: false leaves the steps after a "last" flag as generated (lengths=attribute).
  std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> forward(
      const torch::Tensor& attribute_noise, const torch::Tensor& feature_noise, bool mask = true);

  torch::nn::Sequential attribute{nullptr}, additional{nullptr};  // null when nothing to draw
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear head{nullptr};
  std::vector<DganActivation> attribute_act, additional_act, feature_act;
  int64_t attribute_width, additional_width, feature_width, flag, steps, sample_len;
  bool flagged;
};
TORCH_MODULE(DganGenerator);

// gretel's discriminators: `layers` ReLU layers of `units`, one linear output (the critic).
torch::nn::Sequential dgan_discriminator(int64_t in, int layers = 5, int units = 200);

struct DganSynthesizer::Impl : SequenceLayout {
  Json params;  // as the user gave them, for save()
  DganOptions o;
  torch::Device device{torch::kCPU};
  size_t sample_len = 1;
  DganCodec codec;
  mutable DganGenerator generator{nullptr};

  size_t cells() const { return codec.steps() / sample_len; }
};

}  // namespace calm
