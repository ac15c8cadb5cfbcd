// The model_params of `dgan` (DoppelGANger; the model is described in dgan.hpp), declared once,
// and their validated, typed form. Engine side: no libtorch.
#pragma once

#include <string>

#include "calm/core/params.hpp"
#include "core/sequence_table.hpp"

namespace calm {

// seq_len's default: the longest real entity, at most this many steps.
inline constexpr size_t kDganMaxDefaultSeqLen = 1000;
// sample_len's default: the fewest steps per LSTM cell that keep the LSTM within this many cells.
inline constexpr size_t kDganDefaultCells = 32;

struct DganOptions {
  SequenceColumns columns;
  size_t seq_len = 0;     // 0: the longest real entity, at most kDganMaxDefaultSeqLen
  size_t sample_len = 0;  // 0: ceil(seq_len / kDganDefaultCells)
  int epochs = 400;
  int batch_size = 0;  // 0: dgan_batch_size(entities)
  int attribute_noise_dim = 10;
  int feature_noise_dim = 10;
  int attribute_num_layers = 3;
  int attribute_num_units = 100;
  int feature_num_layers = 1;
  int feature_num_units = 100;
  double generator_learning_rate = 1e-3;
  double discriminator_learning_rate = 1e-3;
  double gradient_penalty_coef = 10.0;
  double attribute_loss_coef = 1.0;
  bool lengths_from_attribute = false;  // lengths=attribute (else the generation flag)
  bool verbose = false;
  std::string device = "cpu";
};

// batch_size's default: gretel's 1024, but at most a fifth of the entities (at least 16), so that
// a small table still takes several optimiser steps per epoch (pbc_longitudinal's 312 entities in
// one batch: length similarity 0.87 after 400 epochs, against 0.93 in batches of 64).
size_t dgan_batch_size(size_t entities);

ParamSpec dgan_param_spec();
// Resolves and validates the user's params (InvalidArgument naming the bad one).
DganOptions dgan_options(const Json& user);

}  // namespace calm
