// DP-SGD (Abadi, Chu, Goodfellow, McMahan, Mironov, Talwar & Zhang, "Deep Learning with
// Differential Privacy", CCS 2016) for the multilayer critic of the DP GANs: the gradient of each
// real row is clipped to L2 norm C over all parameters, the clipped gradients summed, and Gaussian
// noise of std sigma * C added to the sum.
// Per-example gradients without one backward pass per row: for a Linear layer z = a W^T + b the
// gradient of example i is the outer product delta_i a_i^T (and delta_i for b), where delta_i is
// the backpropagated signal dloss_i / dz_i; so its squared norm is |delta_i|^2 (|a_i|^2 + 1)
// ("ghost" norms: Goodfellow 2015, "Efficient Per-Example Gradient Computations"; Lee & Kifer
// 2021; Li, Tramer, Liang & Hashimoto 2022), and the sum of clipped gradients is one matrix
// product per layer, (c * delta)^T a, with c_i = min(1, C / |g_i|). Nothing per example is
// materialised except the activations and signals (B x width).
// Only the deep methods' translation units include this header (it pulls in torch).
#pragma once

#include <torch/torch.h>

#include <functional>
#include <vector>

namespace calm {

// Linear -> LeakyReLU(0.2) -> Dropout(p) hidden blocks, then a Linear to one logit (CTGAN's
// discriminator without PacGAN). Dropout masks come from the generator passed to forward, so
// training is reproducible; with no generator (or p = 0) there is no dropout.
struct MlpCriticImpl : torch::nn::Module {
  MlpCriticImpl(int64_t in, const std::vector<int64_t>& hidden, double dropout);
  torch::Tensor forward(const torch::Tensor& x, at::Generator* gen = nullptr);
  std::vector<torch::nn::Linear> layers;  // hidden..., output; parameters(): W0, b0, W1, b1, ...
  double dropout;
};
TORCH_MODULE(MlpCritic);

// A forward and backward pass of the critic on rows x, by hand (no autograd), for per-example
// losses loss_i(z_i) of the logits z: dloss maps the logits (B x 1) to dloss_i / dz_i (B x 1).
// inputs[l] is the input of layer l (B x in_l), signals[l] dloss_i / d(output of layer l).
struct CriticBackprop {
  std::vector<torch::Tensor> inputs, signals;
  torch::Tensor logits;
};
CriticBackprop critic_backprop(const MlpCritic& critic, const torch::Tensor& x,
                               const std::function<torch::Tensor(const torch::Tensor&)>& dloss,
                               at::Generator* gen = nullptr);

// Each example's gradient, per parameter in parameters() order: [B, out, in] and [B, out].
std::vector<torch::Tensor> per_example_gradients(const CriticBackprop& pass);
// Each example's gradient norm over all parameters (B), from the ghost norms.
torch::Tensor per_example_norms(const CriticBackprop& pass);
// sum_i min(1, C / |g_i|) g_i per parameter; `norms` (when given) receives |g_i|.
std::vector<torch::Tensor> clipped_gradient_sum(const CriticBackprop& pass, double clip,
                                                torch::Tensor* norms = nullptr);
// Adds N(0, std^2) to every entry (drawn on the CPU from gen).
void add_gaussian_noise(std::vector<torch::Tensor>& grads, double std, at::Generator& gen);

// d BCE-with-logits(z, label) / dz = sigmoid(z) - label.
torch::Tensor bce_logit_gradient(const torch::Tensor& logits, double label);

}  // namespace calm
