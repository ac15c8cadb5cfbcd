// What training a libtorch method allocates (MethodInfo::memory), estimated from the table's shape
// and the resolved params before anything is fitted, so that a run asking for absurd networks
// (generator_dim=[200000, 200000], n_hidden=10^6, timegan's 16 layers of 4096, dgan's seq_len
// of 10^5 feeding a dense critic) fails at once, naming the params that lower it. Every network
// is counted four times over (weights, gradients, Adam's two moments) in float32, plus the
// activations one optimiser step keeps for back-propagation. Rough (within a small factor) by
// design: the guard catches the absurd, not the 10% too big.
#pragma once

#include <cstddef>

#include "calm/core/memory_budget.hpp"
#include "calm/core/params.hpp"

namespace calm {

// The tabular GANs, VAEs and diffusion (ctgan, tvae, copulagan, diffusion, and dp's dpctgan and
// pate_ctgan): the table and its copies, the encoded rows (up to 10 modes and a scalar per
// number, about 11 floats per column), and each network named by the params' layer lists
// (generator_dim, discriminator_dim, compress_dims, decompress_dims, d_layers, mlp_dims) as a
// chain of dense layers from and to the encoded width; pate_ctgan's num_teachers discriminators.
MemoryEstimate deep_fit_memory(size_t rows, size_t columns, const Params& params);

// scvi / scgen: the count matrix, encoder and decoder of n_layers x n_hidden between the genes
// (columns) and n_latent, and a batch of cells' activations at the genes' width.
MemoryEstimate single_cell_fit_memory(size_t rows, size_t columns, const Params& params);

// par: a GRU of hidden_size over the encoded steps; one epoch's activations cover every row.
MemoryEstimate par_fit_memory(size_t rows, size_t columns, const Params& params);

// timegan: five GRU stacks of num_layers x hidden_dim, the training windows (seq_len steps each,
// at most one per row) and a batch of windows' activations through every stack.
MemoryEstimate timegan_fit_memory(size_t rows, size_t columns, const Params& params);

// dgan: the batch's sequences of seq_len steps through the feature LSTM, and the critic, a dense
// network whose input is a whole flattened sequence (seq_len x encoded width).
MemoryEstimate dgan_fit_memory(size_t rows, size_t columns, const Params& params);

}  // namespace calm
