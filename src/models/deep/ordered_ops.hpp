// Layers and an optimiser for CPU training whose results do not depend on the thread count, as
// calm's output must not (torch's own BatchNorm1d and bias-gradient sums split a batch's rows
// between threads, and OpenBLAS's threads change the products' rounding), and which are faster
// than torch's on the single-cell VAE (BENCHMARKS.md, "Per epoch after the fused kernels").
// On other devices the layers fall back to torch's.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace calm {

// layer(x), with the products in two halves fixed by the shapes (rows of x for y and dx, rows of
// the weight for dW), on two threads when allowed, and the bias gradient summed in row order.
torch::Tensor ordered_linear(torch::nn::Linear& layer, const torch::Tensor& x);

// bn(x) for a (rows, features) batch; in training mode the statistics are summed in row order
// and the running statistics updated as torch does (momentum, unbiased variance).
torch::Tensor ordered_batch_norm(torch::nn::BatchNorm1d& bn, const torch::Tensor& x);

// Adam (Kingma & Ba 2015) with L2 weight decay, as torch::optim::Adam computes it (decay added to
// the gradient; denominator sqrt(v) / sqrt(1 - beta2^t) + eps; step lr / (1 - beta1^t)), betas
// 0.9 / 0.999, in one pass per parameter instead of torch's eight (1.6 ms of a 12.8 ms step on
// 10k cells x 2k genes). Each value is updated on its own, so any split over threads gives the
// same result. CPU tensors only.
class FusedAdam {
 public:
  FusedAdam(std::vector<torch::Tensor> params, double lr, double eps, double weight_decay);
  void zero_grad();
  void step();

 private:
  std::vector<torch::Tensor> params_, m_, v_;
  double lr_, eps_, decay_;
  int64_t t_ = 0;
};

}  // namespace calm
