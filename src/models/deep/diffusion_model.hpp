// The networks and the two diffusion processes of TabDDPM (Kotelnikov, Baranchuk, Rubachev &
// Babenko 2023, "TabDDPM: Modelling Tabular Data with Diffusion Models", ICML), on libtorch.
//  - Denoiser: the paper's MLPDiffusion. The noisy row is projected to dim_t; a sinusoidal
//    embedding of the timestep (Vaswani et al. 2017) goes through Linear-SiLU-Linear and, for a
//    class-conditional model, the class embedding is added to it; their sum with the projection
//    enters blocks of Linear-ReLU-Dropout and a linear head giving the predicted Gaussian noise of
//    every numeric column followed by the logits of x_0 of every categorical column.
//  - Gaussian diffusion (Ho, Jain & Abbeel 2020) on the numeric columns: the model predicts eps,
//    trained with the mean squared error; DDPM ancestral sampling with the posterior mean and the
//    "fixed large" variance beta_t.
//  - Multinomial diffusion (Hoogeboom et al. 2021, "Argmax Flows and Multinomial Diffusion") on
//    the categorical columns, in log space: q(x_t | x_0) = Cat(alpha_bar_t x_0 + (1 - alpha_bar_t)
//    / K); the model's x_0 logits give p(x_{t-1} | x_t) through the true posterior; the loss is
//    T x KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) for t > 0 and the decoder's negative
//    log-likelihood of x_0 at t = 0 (TabDDPM's vb_stochastic loss, the constant prior term left
//    out), divided by the number of categorical columns.
// The network reads a noisy categorical as its one-hot (TabDDPM feeds log one-hots, 0 and
// log 1e-30: an affine image of the same input, worse conditioned for the first layer).
// Every random draw comes from the CPU generator passed in, so results follow the seed.
#pragma once

#include <torch/torch.h>

#include <utility>
#include <vector>

#include "models/deep/diffusion_schedule.hpp"

namespace calm {

struct DenoiserConfig {
  int64_t input = 0;    // numeric columns + sum of the categorical sizes
  int64_t classes = 0;  // labels of the class-conditional model; 0: unconditional
  int64_t dim_t = 128;
  std::vector<int64_t> dims{256, 256};
  double dropout = 0;
};

struct DenoiserImpl : torch::nn::Module {
  explicit DenoiserImpl(const DenoiserConfig& c);
  // x: B x input, t: B timesteps (long), y: B labels (long; undefined when unconditional).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& y);

  int64_t dim_t;
  torch::nn::Linear proj{nullptr};
  torch::nn::Sequential time_mlp{nullptr}, blocks{nullptr};
  torch::nn::Embedding label{nullptr};
};
TORCH_MODULE(Denoiser);

class TabularDiffusion {
 public:
  TabularDiffusion(const DiffusionSchedule& schedule, int64_t numeric,
                   std::vector<int64_t> categories, const torch::Device& device);

  int64_t input_width() const { return numeric_ + total_categories_; }

  // The Gaussian and the multinomial loss of one batch (x_num: B x numeric float, x_cat: B x
  // categorical columns long codes, y: labels or undefined), timesteps uniform.
  std::pair<torch::Tensor, torch::Tensor> loss(Denoiser& model, const torch::Tensor& x_num,
                                               const torch::Tensor& x_cat, const torch::Tensor& y,
                                               at::Generator& gen) const;

  // n rows by the reverse process: numeric scores (n x numeric) and codes (n x categorical).
  std::pair<torch::Tensor, torch::Tensor> sample(Denoiser& model, int64_t n, const torch::Tensor& y,
                                                 at::Generator& gen) const;

 private:
  // Per-timestep coefficients as B x 1 tensors, in the order of coefs_.
  enum class Coef : size_t {
    sqrt_alpha_bar,
    sqrt_one_minus_alpha_bar,
    log_alpha,
    log_one_minus_alpha,
    log_alpha_bar,
    log_one_minus_alpha_bar
  };
  torch::Tensor coef(Coef c, const torch::Tensor& t) const;
  torch::Tensor log_one_hot(const torch::Tensor& codes) const;
  torch::Tensor one_hot(const torch::Tensor& codes) const;
  torch::Tensor log_softmax_per_column(const torch::Tensor& logits) const;
  torch::Tensor sample_codes(const torch::Tensor& log_probs, at::Generator& gen) const;
  // log q(x_t | x_0) and log q(x_t | x_{t-1}) from log probabilities.
  torch::Tensor q_marginal(const torch::Tensor& log_x0, const torch::Tensor& t) const;
  torch::Tensor q_step(const torch::Tensor& log_x, const torch::Tensor& t) const;
  // log q(x_{t-1} | x_t, x_0); at t = 0 the (re-weighted) x_0 itself.
  torch::Tensor q_posterior(const torch::Tensor& log_x0, const torch::Tensor& log_xt,
                            const torch::Tensor& t) const;
  torch::Tensor randn(std::vector<int64_t> size, at::Generator& gen) const;

  DiffusionSchedule s_;
  int64_t numeric_;
  std::vector<int64_t> categories_;
  int64_t total_categories_ = 0;
  torch::Device device_;
  torch::Tensor log_k_;
  std::vector<torch::Tensor>
      coefs_;  // T-vectors on the device  // 1 x total_categories: log K of each entry's column
};

}  // namespace calm
