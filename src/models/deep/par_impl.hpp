// par's fitted state and network, shared by its fit (par.cpp) and sampling (par_sample.cpp).
// Includes libtorch: plugin files only.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "calm/core/schema.hpp"
#include "models/deep/par.hpp"
#include "models/deep/par_params.hpp"
#include "models/deep/par_steps.hpp"
#include "models/deep/torch_common.hpp"
#include "transform/entity_copula.hpp"
#include "transform/entity_keys.hpp"
#include "transform/sequence_time.hpp"

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

struct ParSynthesizer::Impl {
  Json params;  // as the user gave them, for save()
  ParOptions o;
  torch::Device device{torch::kCPU};

  // Output layout.
  std::vector<Column> prototypes;  // every column of the fitted table, no cells
  size_t key = 0;
  std::optional<size_t> time;
  std::vector<size_t> varying;  // generated step by step (time-determined columns excluded)
  std::vector<size_t> context;  // table columns of the context copula's first columns
  Schema context_shape;         // the context columns as the output will hold them
  EntityKeys keys;
  std::optional<SequenceTime> timing;
  bool span_as_share = false;  // the span variable is a share of the room under the upper bound
  size_t max_length = 1;

  // The context copula: context columns, then length, start (time), span (irregular time).
  EntityCopula entities;
  StepCodec steps;
  mutable ParNet net{nullptr};  // null when no column varies (nothing to learn step by step)

  size_t length_column() const { return context.size(); }
  // The step blocks whose entity level joins the context copula (after the context columns,
  // length, start and span): each number's mean score and each is-missing indicator's share.
  std::vector<size_t> level_blocks() const;
  bool irregular() const { return timing && !timing->spacing.regular; }
  // The network's input: previous step's features, first-step flag, context scores, position.
  size_t input_width() const { return steps.features() + 1 + entities.variables() + 2; }
  // Fills one input row for step k of an entity of `length` steps (prev: null at k = 0).
  void fill_input(float* x, const float* prev, const float* z, size_t k, size_t length) const;
  // The context bounds of an entity's stamps (coordinates, NaN = none); `value(j)` is the entity's
  // value of table column j.
  template <typename Value>
  void time_bounds(const Value& value, double& lo, double& hi) const {
    lo = hi = std::numeric_limits<double>::quiet_NaN();
    if (!timing) return;
    for (const TimeBound& b : timing->bounds) {
      const double x = timing->axis.coordinate(value(b.column));
      if (std::isnan(x)) continue;
      double& bound = b.upper ? hi : lo;
      bound = std::isnan(bound) ? x : b.upper ? std::min(bound, x) : std::max(bound, x);
    }
  }
};

}  // namespace calm
