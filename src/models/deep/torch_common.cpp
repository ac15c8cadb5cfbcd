// Device, seeding, tensor conversion, Gumbel-softmax activation and epoch reports of the deep
// methods.
#include "models/deep/torch_common.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstring>
#include <mutex>
#include <sstream>

#include "calm/core/error.hpp"

namespace calm {

namespace {

struct ResidualImpl : torch::nn::Module {
  ResidualImpl(int64_t in, int64_t out)
      : fc(register_module("fc", torch::nn::Linear(in, out))),
        bn(register_module("bn", torch::nn::BatchNorm1d(out))) {}
  torch::Tensor forward(const torch::Tensor& x) {
    return torch::cat({torch::relu(bn(fc(x))), x}, 1);
  }
  torch::nn::Linear fc;
  torch::nn::BatchNorm1d bn;
};
TORCH_MODULE(Residual);

}  // namespace

torch::nn::Sequential build_residual_generator(int64_t in, const std::vector<int64_t>& dims,
                                               int64_t out) {
  torch::nn::Sequential seq;
  int64_t dim = in;
  for (int64_t d : dims) {
    seq->push_back(Residual(dim, d));
    dim += d;
  }
  seq->push_back(torch::nn::Linear(dim, out));
  return seq;
}

torch::Device resolve_device(const std::string& device, const std::string& method) {
  if (device == "cpu") return torch::Device(torch::kCPU);
  if (device == "cuda") {
    if (!torch::cuda::is_available())
      throw InvalidArgument("model_param 'device' of method '" + method +
                            "' is \"cuda\", but this libtorch has no CUDA support or sees no GPU; "
                            "use \"cpu\"");
    return torch::Device(torch::kCUDA);
  }
  throw InvalidArgument("model_param 'device' of method '" + method +
                        "' must be one of cpu, cuda; got \"" + device + "\"");
}

// glibc serves allocations of 128 KB and more with mmap and gives a freed heap top back to the OS,
// so the dozens of batch-sized tensors a training step allocates and frees (1 MB each for 128
// cells x 2000 genes) are page-faulted and zeroed again at every step: 18% of scvi's profile was
// in the kernel. Blocks up to 64 MB now stay on the heap, which is trimmed only past 512 MB free.
// scvi, 10k cells x 2k genes, 6 epochs, 2 threads: fit 15.6 s -> 11.1 s, peak RSS 455 -> 477 MB.
void keep_freed_tensors_on_heap() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
  });
#endif
}

void set_torch_threads(int threads) {
  keep_freed_tensors_on_heap();
  // Debian's libtorch runs matrix products in OpenBLAS, whose own pool defaults to every core, and
  // elementwise ops in an OpenMP pool; both busy-wait on the same cores. On 2 cores (telco_churn,
  // s/epoch) torch 2 + OpenBLAS 2 threads gave tvae 0.21 and ctgan 1.1, torch 2 + OpenBLAS 1 gave
  // 0.11 and 0.43. OpenBLAS's thread count also changes the products' rounding, hence the output,
  // so it stays at 1 whatever `threads` is: same seed, same rows on any machine and thread count.
  using SetThreads = void (*)(int);
  static const auto openblas =
      reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (openblas) openblas(1);
  torch::set_num_threads(threads > 0 ? threads : 1);
}

void prepare_torch(uint64_t seed, int threads) {
  torch::manual_seed(seed);
  set_torch_threads(threads);
}

at::Generator make_generator(Rng& rng) {
  return at::detail::createCPUGenerator(rng.next_u64());
}

torch::Tensor rows_to_tensor(const std::vector<double>& rows, size_t n, size_t width,
                             const torch::Device& device) {
  auto t = torch::empty({static_cast<int64_t>(n), static_cast<int64_t>(width)}, torch::kFloat);
  float* dst = t.data_ptr<float>();
  for (size_t i = 0; i < n * width; ++i) dst[i] = static_cast<float>(rows[i]);
  return t.to(device);
}

std::vector<double> tensor_to_rows(const torch::Tensor& t) {
  const auto d = t.detach().to(torch::kCPU, torch::kDouble).contiguous();
  const double* src = d.data_ptr<double>();
  return std::vector<double>(src, src + d.numel());
}

torch::Tensor activate_gumbel(const torch::Tensor& logits, const std::vector<OutputSpan>& spans,
                              double tau, at::Generator& gen) {
  std::vector<torch::Tensor> parts;
  parts.reserve(spans.size());
  for (const auto& s : spans) {
    auto x = logits.narrow(1, static_cast<int64_t>(s.offset), static_cast<int64_t>(s.width));
    if (s.activation == SpanActivation::tanh) {
      parts.push_back(torch::tanh(x));
    } else {
      auto gumbel = torch::empty(x.sizes(), torch::kFloat).exponential_(1, gen).log().neg();
      parts.push_back(torch::softmax((x + gumbel.to(x.device())) / tau, 1));
    }
  }
  return torch::cat(parts, 1);
}

EpochReporter::EpochReporter(const Logger& log, std::string method, int epochs, bool verbose)
    : log_(log),
      method_(std::move(method)),
      epochs_(epochs),
      verbose_(verbose),
      start_(std::chrono::steady_clock::now()) {
  if (verbose_ && log_.progress_enabled())
    bar_ = std::make_unique<Progress>(log_, method_ + " epochs", static_cast<size_t>(epochs));
}

void EpochReporter::epoch_done(const std::string& losses) {
  ++done_;
  if (bar_)
    bar_->advance(1, losses);
  else if (verbose_)
    log_.info(method_ + ": epoch " + std::to_string(done_) + "/" + std::to_string(epochs_) + " " +
              losses);
  else
    log_.debug(method_ + ": epoch " + std::to_string(done_) + "/" + std::to_string(epochs_) + " " +
               losses);
}

void EpochReporter::finish(const std::string& losses) {
  if (bar_) bar_->finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::ostringstream msg;
  msg.precision(3);
  msg << method_ << ": trained " << done_ << " epochs in " << seconds << " s ("
      << seconds / std::max(1, done_) << " s per epoch); " << losses;
  log_.info(msg.str());
}

torch::Device device_for_loading(const std::string& device, const std::string& method) {
  if (device != "cpu" && !torch::cuda::is_available()) return torch::Device(torch::kCPU);
  return resolve_device(device, method);
}

std::string module_to_bytes(const torch::nn::Sequential& module) {
  std::ostringstream out;
  torch::save(module, out);
  return out.str();
}

void module_from_bytes(torch::nn::Sequential& module, const std::string& bytes,
                       const torch::Device& device, const std::string& method) {
  std::istringstream in(bytes);
  try {
    torch::load(module, in, device);
  } catch (const c10::Error& e) {
    throw DataError(method + ": the saved network weights cannot be read (" +
                    std::string(e.what_without_backtrace()) + ")");
  }
  module->to(device);
}

std::string module_to_bytes(const torch::nn::Module& module) {
  torch::serialize::OutputArchive archive;
  module.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

void module_from_bytes(torch::nn::Module& module, const std::string& bytes,
                       const torch::Device& device, const std::string& method) {
  std::istringstream in(bytes);
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(in, device);
    module.load(archive);
  } catch (const c10::Error& e) {
    throw DataError(method + ": the saved network weights cannot be read (" +
                    std::string(e.what_without_backtrace()) + ")");
  }
  module.to(device);
}

std::string tensor_to_bytes(const torch::Tensor& tensor) {
  std::ostringstream out;
  torch::save(tensor.detach().cpu(), out);
  return out.str();
}

torch::Tensor tensor_from_bytes(const std::string& bytes, const torch::Device& device,
                                const std::string& method) {
  std::istringstream in(bytes);
  torch::Tensor t;
  try {
    torch::load(t, in);
  } catch (const c10::Error& e) {
    throw DataError(method + ": a saved tensor cannot be read (" +
                    std::string(e.what_without_backtrace()) + ")");
  }
  return t.to(device);
}

}  // namespace calm
