// The model_params of `par` (SDV's PARSynthesizer; the model is described in par.hpp), declared
// once, and their validated, typed form. Engine side: no libtorch.
#pragma once

#include <optional>
#include <string>

#include "calm/core/params.hpp"
#include "core/sequence_table.hpp"
#include "transform/marginals.hpp"

namespace calm {

struct ParOptions {
  SequenceColumns columns;
  int epochs = 100;
  int sample_size = 1;
  size_t segment_size = 0;  // 0: whole sequences
  int batch_size = 32;      // entities (segments) per optimiser step
  int hidden_size = 64;
  double learning_rate = 5e-3;
  bool verbose = false;
  std::string device = "cpu";
  std::optional<MarginalFamily> family;  // context and step marginals (nullopt: KS choice)
};

ParamSpec par_param_spec();
// Resolves and validates the user's params (InvalidArgument naming the bad one).
ParOptions par_options(const Json& user);

}  // namespace calm
