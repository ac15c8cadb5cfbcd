// The model_params of `timegan` (Yoon, Jarrett & van der Schaar 2019; the model is described in
// timegan.hpp), declared once, and their validated, typed form. Engine side: no libtorch.
#pragma once

#include <optional>
#include <string>

#include "calm/core/params.hpp"
#include "core/sequence_table.hpp"
#include "transform/marginals.hpp"

namespace calm {

struct TimeganOptions {
  SequenceColumns columns;
  size_t seq_len = 24;  // steps per window
  int epochs = 200;     // iterations of each of the three phases (the authors: 50000)
  int hidden_dim = 24;
  int num_layers = 3;
  int batch_size = 128;  // windows per optimiser step
  double learning_rate = 1e-3;
  bool verbose = false;
  std::string device = "cpu";
  std::optional<MarginalFamily> family;  // context and step marginals (nullopt: KS choice)
};

ParamSpec timegan_param_spec();
// Resolves and validates the user's params (InvalidArgument naming the bad one).
TimeganOptions timegan_options(const Json& user);

}  // namespace calm
