// par's fitted state and network, shared by its fit (par.cpp) and sampling (par_sample.cpp).
// Includes libtorch: plugin files only.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "models/deep/par.hpp"
#include "models/deep/par_params.hpp"
#include "models/deep/par_steps.hpp"
#include "models/deep/sequence_layout.hpp"
#include "models/deep/torch_common.hpp"
#include "transform/entity_copula.hpp"

namespace calm {

// deepecho's PARNet: a linear projection of the step input, a one-layer GRU, a linear layer to
// the output distributions' parameters.
struct ParNetImpl : torch::nn::Module {
  ParNetImpl(int64_t in, int64_t hidden, int64_t out);
  // x: (steps, batch, in); h: (1, batch, hidden), or undefined for a zero state. Returns the
  // outputs (steps, batch, out) and the last state.
  std::tuple<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& h);

  torch::nn::Linear down{nullptr};
  torch::nn::GRU rnn{nullptr};
  torch::nn::Linear up{nullptr};
};
TORCH_MODULE(ParNet);

// The layout (key, time, context and varying columns, keys, timing) is the deep sequence
// methods' shared one.
struct ParSynthesizer::Impl : SequenceLayout {
  Json params;  // as the user gave them, for save()
  ParOptions o;
  torch::Device device{torch::kCPU};

  // The context copula: context columns, then length, start (time), span (irregular time).
  EntityCopula entities;
  StepCodec steps;
  mutable ParNet net{nullptr};  // null when no column varies (nothing to learn step by step)

  size_t length_column() const { return context.size(); }
  // The step blocks whose entity level joins the context copula (after the context columns,
  // length, start and span): each number's mean score and each is-missing indicator's share.
  std::vector<size_t> level_blocks() const;
  // The network's input: previous step's features, first-step flag, context scores, position.
  size_t input_width() const { return steps.features() + 1 + entities.variables() + 2; }
  // Fills one input row for step k of an entity of `length` steps (prev: null at k = 0).
  void fill_input(float* x, const float* prev, const float* z, size_t k, size_t length) const;
};

}  // namespace calm
