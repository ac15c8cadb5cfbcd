// timegan's fitted state and networks, shared by its fit (timegan.cpp) and sampling
// (timegan_sample.cpp). Includes libtorch: plugin files only.
#pragma once

#include "models/deep/sequence_frame.hpp"
#include "models/deep/timegan.hpp"
#include "models/deep/timegan_params.hpp"
#include "models/deep/timegan_windows.hpp"
#include "models/deep/torch_common.hpp"

namespace calm {

// One of TimeGAN's five networks: a GRU stack (batch first) and a linear layer on every step.
struct TimeganRnnImpl : torch::nn::Module {
  TimeganRnnImpl(int64_t in, int64_t hidden, int64_t layers, int64_t out);
  // x: (batch, steps, in) -> (batch, steps, out), before any activation.
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::GRU rnn{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(TimeganRnn);

struct TimeganSynthesizer::Impl {
  Json params;  // as the user gave them, for save()
  TimeganOptions o;
  torch::Device device{torch::kCPU};
  SequenceFrame frame;
  size_t window = 1;  // steps per window
  // Null when no column varies (the context model alone).
  mutable TimeganRnn generator{nullptr}, supervisor{nullptr}, recovery{nullptr};
  TimeganCalibration calibration;

  int64_t features() const { return static_cast<int64_t>(frame.steps.features()); }
  int64_t conditions() const;
  void build_sampling_networks();
  // The recovery's activation per step block: sigmoid on numbers' u and indicators, softmax on
  // a category's levels.
  torch::Tensor activate(const torch::Tensor& raw) const;
  // Latents of the generator path: supervisor(generator(noise, c), c), both sigmoid; `e` gets
  // the generator's own latents.
  torch::Tensor generate(const torch::Tensor& noise, const torch::Tensor& c,
                         torch::Tensor* e = nullptr) const;
};

}  // namespace calm
