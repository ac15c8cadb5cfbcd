// libtorch helpers shared by ctgan and tvae: the device check, seeding and thread count, seeded
// generators per (seed, stream) so that every random draw of fit and sample is reproducible, the
// conversion between encoded rows and tensors, CTGAN's output activation (tanh on scalars,
// Gumbel-softmax on one-hots: Jang, Gu & Poole 2017, "Categorical Reparameterization with
// Gumbel-Softmax") and the per-epoch progress report.
// Only the deep methods' translation units include this header (it pulls in torch).
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "calm/core/log.hpp"
#include "calm/core/rng.hpp"
#include "transform/tabular_encoder.hpp"

namespace calm {

// "cpu", or "cuda" when libtorch has CUDA and a device (InvalidArgument otherwise).
// CTGAN's generator (Xu et al. 2019): residual layers relu(bn(fc(x))) concatenated with x, one
// per width in `dims`, then a linear layer to `out`.
torch::nn::Sequential build_residual_generator(int64_t in, const std::vector<int64_t>& dims,
                                               int64_t out);

torch::Device resolve_device(const std::string& device, const std::string& method);

// The device of a loaded model: the saved one, or the CPU when it was "cuda" and this machine
// has no GPU (weights are stored device-independently).
torch::Device device_for_loading(const std::string& device, const std::string& method);

// Seeds torch's global generator (dropout draws from it) and sets the intra-op thread count.
// Seeds torch and sets its threads (set_torch_threads).
void prepare_torch(uint64_t seed, int threads);
// torch's intra-op threads for training/sampling; OpenBLAS (when libtorch uses it) stays at one.
void set_torch_threads(int threads);

// A CPU generator seeded by the next draw of `rng` (a Philox stream (seed, stream id)): independent
// generators per phase and per sampling batch.
at::Generator make_generator(Rng& rng);

// n x width float tensor of row-major doubles, on `device`.
torch::Tensor rows_to_tensor(const std::vector<double>& rows, size_t n, size_t width,
                             const torch::Device& device);
// The rows of a 2-D tensor as row-major doubles.
std::vector<double> tensor_to_rows(const torch::Tensor& t);

// tanh on tanh spans, Gumbel-softmax with temperature tau on softmax spans; noise drawn on the
// CPU from `gen` and moved to the logits' device.
torch::Tensor activate_gumbel(const torch::Tensor& logits, const std::vector<OutputSpan>& spans,
                              double tau, at::Generator& gen);

// Persistence of trained weights (torch::save / torch::load through a string): the bytes go into
// the model archive with ArchiveWriter::bytes. Loading needs a module of the same architecture;
// corrupt bytes are a DataError.
std::string module_to_bytes(const torch::nn::Sequential& module);
void module_from_bytes(torch::nn::Sequential& module, const std::string& bytes,
                       const torch::Device& device, const std::string& method);
// The same for any module (its parameters and buffers by name).
std::string module_to_bytes(const torch::nn::Module& module);
void module_from_bytes(torch::nn::Module& module, const std::string& bytes,
                       const torch::Device& device, const std::string& method);
std::string tensor_to_bytes(const torch::Tensor& tensor);
torch::Tensor tensor_from_bytes(const std::string& bytes, const torch::Device& device,
                                const std::string& method);

// One report per epoch: a progress bar with the losses when verbose (info lines where no bar can
// be drawn), and a closing info line with the time per epoch.
class EpochReporter {
 public:
  EpochReporter(const Logger& log, std::string method, int epochs, bool verbose);
  void epoch_done(const std::string& losses);
  void finish(const std::string& losses);

 private:
  const Logger& log_;
  std::string method_;
  int epochs_, done_ = 0;
  bool verbose_;
  std::unique_ptr<Progress> bar_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace calm
