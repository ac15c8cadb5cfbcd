#include "models/deep/network_memory.hpp"

#include <algorithm>
#include <string>

namespace calm {
namespace {

// Encoded floats per column: up to 10 modes and a scalar per number, one-hot categories (the
// deep tabular methods' budget; generous for the others).
constexpr double kEncodedPerColumn = 11.0;
// Bytes of a float32 parameter with its gradient and Adam's two moments.
constexpr double kParamBytes = 4.0 * 4.0;

double number_or(const Params& params, const char* name, double fallback) {
  const Json& p = params.json();
  return p.contains(name) && p[name].is_number() ? p[name].get<double>() : fallback;
}

// Weights of dense layers input -> hidden[0] -> ... -> output, and the widest of them.
struct Chain {
  double weights = 0, widest = 0;
};
Chain dense_chain(double input, const Json& hidden, double output) {
  Chain c{0, std::max(input, output)};
  double previous = input;
  for (const Json& h : hidden) {
    const double size = h.is_number() ? h.get<double>() : 0;
    c.weights += previous * size;
    previous = size;
    c.widest = std::max(c.widest, size);
  }
  c.weights += previous * output;
  return c;
}

// A GRU stack: three gates of (input + hidden) x hidden per layer.
double gru_weights(double input, double hidden, double layers) {
  return 3 * (input + hidden) * hidden + (layers - 1) * 3 * 2 * hidden * hidden;
}

double table_bytes(size_t rows, size_t columns) {
  return 8.0 * static_cast<double>(rows) * static_cast<double>(columns) * 3;
}

}  // namespace

MemoryEstimate deep_fit_memory(size_t rows, size_t columns, const Params& params) {
  const Json& p = params.json();
  const double width = kEncodedPerColumn * static_cast<double>(columns);
  const double embedding = number_or(params, "embedding_dim", 0);
  const double batch = number_or(params, "batch_size", 500);
  double weights = 0, widest = width;
  std::string named;
  for (const char* list : {"generator_dim", "discriminator_dim", "compress_dims", "decompress_dims",
                           "d_layers", "mlp_dims"}) {
    if (!p.contains(list) || !p[list].is_array()) continue;
    named += (named.empty() ? "" : ", ") + std::string(list);
    Chain c = dense_chain(width + embedding, p[list], width);
    // pate_ctgan trains num_teachers discriminators besides the student (None: rows / 1000 + 1).
    if (std::string(list) == "discriminator_dim" && p.value("synth_type", "") == "pate_ctgan") {
      const double teachers =
          number_or(params, "num_teachers", static_cast<double>(rows / 1000 + 1));
      c.weights *= 1 + teachers;
      named += " x num_teachers";
    }
    weights += c.weights;
    widest = std::max(widest, c.widest);
  }
  const double n = static_cast<double>(rows);
  const double bytes = table_bytes(rows, columns) + 4 * n * width * 2 + kParamBytes * weights +
                       4 * batch * widest * 8;
  return MemoryEstimate{bytes,
                        "rows x encoded columns (about 11 per column) and the layers of " +
                            (named.empty() ? std::string("the networks") : named),
                        named.empty() ? "batch_size" : named + ", batch_size"};
}

MemoryEstimate single_cell_fit_memory(size_t rows, size_t columns, const Params& params) {
  const double genes = static_cast<double>(columns);
  const double hidden = number_or(params, "n_hidden", 128);
  const double layers = number_or(params, "n_layers", 1);
  const double latent = number_or(params, "n_latent", 10);
  const double batch = std::min(number_or(params, "batch_size", 128), static_cast<double>(rows));
  // Encoder genes -> hidden^layers -> (mean, variance); decoder latent -> hidden^layers -> the
  // genes' scale and dropout logits.
  const double weights = 2 * (hidden * (layers - 1) * hidden) + genes * hidden +
                         hidden * 2 * latent + latent * hidden + hidden * genes * 2 + genes;
  const double activations = 4 * batch * (genes * 10 + hidden * layers * 2 * 4);
  return MemoryEstimate{table_bytes(rows, columns) + kParamBytes * weights + activations,
                        "genes x n_hidden, n_layers x n_hidden^2 and batch_size x genes",
                        "n_hidden, n_layers, batch_size"};
}

MemoryEstimate par_fit_memory(size_t rows, size_t columns, const Params& params) {
  const double width = kEncodedPerColumn * static_cast<double>(columns);
  const double hidden = number_or(params, "hidden_size", 64);
  const double weights = width * hidden + gru_weights(hidden, hidden, 1) + hidden * width;
  // Back-propagation keeps every step of a batch; one epoch's batches cover each row once.
  const double activations = 4 * static_cast<double>(rows) * (width * 3 + hidden * 8);
  return MemoryEstimate{table_bytes(rows, columns) + kParamBytes * weights + activations,
                        "hidden_size^2 and rows x (encoded columns + hidden_size)", "hidden_size"};
}

MemoryEstimate timegan_fit_memory(size_t rows, size_t columns, const Params& params) {
  const double width = kEncodedPerColumn * static_cast<double>(columns);
  const double hidden = number_or(params, "hidden_dim", 24);
  const double layers = number_or(params, "num_layers", 3);
  const double seq_len = number_or(params, "seq_len", 24);
  const double n = static_cast<double>(rows);
  const double batch = std::min(number_or(params, "batch_size", 128), n);
  // Embedder, recovery, generator, supervisor, discriminator.
  const double weights =
      5 * gru_weights(std::max(width, hidden), hidden, layers) + 3 * hidden * width;
  const double windows = 4 * n * seq_len * width;
  const double activations = 4 * batch * seq_len * (width * 4 + 5 * layers * hidden * 8);
  return MemoryEstimate{table_bytes(rows, columns) + kParamBytes * weights + windows + activations,
                        "num_layers x hidden_dim^2 in five networks, rows x seq_len windows and "
                        "batch_size x seq_len x num_layers x hidden_dim",
                        "hidden_dim, num_layers, seq_len, batch_size"};
}

MemoryEstimate dgan_fit_memory(size_t rows, size_t columns, const Params& params) {
  const double width = kEncodedPerColumn * static_cast<double>(columns);
  const double n = static_cast<double>(rows);
  const double seq_len = number_or(params, "seq_len", std::min(n, 1000.0));
  // batch_size None: a fifth of the entities, which are at most the rows.
  const double batch = std::min(number_or(params, "batch_size", std::max(1.0, n / 5)), n);
  const double units = 100, critic_units = 200, critic_layers = 5;
  const double critic_input = seq_len * width + width;
  const double weights = 4 * (width + units) * units + units * width + critic_input * critic_units +
                         (critic_layers - 1) * critic_units * critic_units;
  const double activations = 4 * batch * (seq_len * (width * 4 + units * 10) + critic_input * 3);
  return MemoryEstimate{
      table_bytes(rows, columns) + 4 * n * width * 2 + kParamBytes * weights + activations,
      "seq_len x encoded columns (the critic's input) and batch_size x seq_len "
      "steps",
      "seq_len, batch_size"};
}

}  // namespace calm
