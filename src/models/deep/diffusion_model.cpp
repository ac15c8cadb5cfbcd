// MLPDiffusion and the Gaussian + multinomial diffusion of TabDDPM (Kotelnikov et al. 2023; Ho et
// al. 2020; Hoogeboom et al. 2021) on libtorch.
#include "models/deep/diffusion_model.hpp"

#include <cmath>

namespace calm {
namespace {

// Probabilities are never exactly 0 in log space (TabDDPM's log(clamp(x, 1e-30))).
constexpr double kLogEps = 1e-30;

// Sinusoidal embedding of integer timesteps: cos and sin at frequencies 10000^(-k / half).
torch::Tensor timestep_embedding(const torch::Tensor& t, int64_t dim) {
  const int64_t half = dim / 2;
  const auto freqs = torch::exp(-std::log(10000.0) *
                                torch::arange(half, torch::TensorOptions().dtype(torch::kFloat)) /
                                static_cast<double>(half))
                         .to(t.device());
  const auto args = t.to(torch::kFloat).unsqueeze(1) * freqs.unsqueeze(0);
  return torch::cat({torch::cos(args), torch::sin(args)}, 1);
}

}  // namespace

DenoiserImpl::DenoiserImpl(const DenoiserConfig& c) : dim_t(c.dim_t) {
  proj = register_module("proj", torch::nn::Linear(c.input, c.dim_t));
  time_mlp = register_module(
      "time_mlp", torch::nn::Sequential(torch::nn::Linear(c.dim_t, c.dim_t), torch::nn::SiLU(),
                                        torch::nn::Linear(c.dim_t, c.dim_t)));
  if (c.classes > 0) label = register_module("label", torch::nn::Embedding(c.classes, c.dim_t));
  torch::nn::Sequential seq;
  int64_t width = c.dim_t;
  for (int64_t d : c.dims) {
    seq->push_back(torch::nn::Linear(width, d));
    seq->push_back(torch::nn::ReLU());
    seq->push_back(torch::nn::Dropout(c.dropout));
    width = d;
  }
  seq->push_back(torch::nn::Linear(width, c.input));
  blocks = register_module("blocks", seq);
}

torch::Tensor DenoiserImpl::forward(const torch::Tensor& x, const torch::Tensor& t,
                                    const torch::Tensor& y) {
  auto emb = time_mlp->forward(timestep_embedding(t, dim_t));
  if (label && y.defined()) emb = emb + label->forward(y);
  return blocks->forward(proj->forward(x) + emb);
}

TabularDiffusion::TabularDiffusion(const DiffusionSchedule& schedule, int64_t numeric,
                                   std::vector<int64_t> categories, const torch::Device& device)
    : s_(schedule), numeric_(numeric), categories_(std::move(categories)), device_(device) {
  std::vector<float> log_k;
  for (int64_t k : categories_) {
    total_categories_ += k;
    log_k.insert(log_k.end(), static_cast<size_t>(k), static_cast<float>(std::log(k)));
  }
  log_k_ = torch::tensor(log_k, torch::kFloat).view({1, total_categories_}).to(device_);
  for (const auto* c : {&s_.sqrt_alpha_bar, &s_.sqrt_one_minus_alpha_bar, &s_.log_alpha,
                        &s_.log_one_minus_alpha, &s_.log_alpha_bar, &s_.log_one_minus_alpha_bar})
    coefs_.push_back(torch::tensor(*c, torch::kDouble).to(torch::kFloat).to(device_));
}

torch::Tensor TabularDiffusion::coef(Coef c, const torch::Tensor& t) const {
  return coefs_[static_cast<size_t>(c)].index_select(0, t).unsqueeze(1);
}

torch::Tensor TabularDiffusion::randn(std::vector<int64_t> size, at::Generator& gen) const {
  return torch::randn(size, gen, torch::kFloat).to(device_);
}

torch::Tensor TabularDiffusion::one_hot(const torch::Tensor& codes) const {
  std::vector<torch::Tensor> parts;
  for (size_t j = 0; j < categories_.size(); ++j)
    parts.push_back(
        torch::nn::functional::one_hot(codes.select(1, static_cast<int64_t>(j)), categories_[j])
            .to(torch::kFloat));
  return torch::cat(parts, 1);
}

torch::Tensor TabularDiffusion::log_one_hot(const torch::Tensor& codes) const {
  return torch::log(one_hot(codes).clamp_min(kLogEps));
}

torch::Tensor TabularDiffusion::log_softmax_per_column(const torch::Tensor& logits) const {
  std::vector<torch::Tensor> parts;
  int64_t offset = 0;
  for (int64_t k : categories_) {
    parts.push_back(torch::log_softmax(logits.narrow(1, offset, k), 1));
    offset += k;
  }
  return torch::cat(parts, 1);
}

// Gumbel-max: argmax(log p + G) is a draw from p, per column.
torch::Tensor TabularDiffusion::sample_codes(const torch::Tensor& log_probs,
                                             at::Generator& gen) const {
  const auto u = torch::rand(log_probs.sizes(), gen, torch::kFloat).to(device_);
  const auto exponential = -torch::log(u.clamp_min(kLogEps));
  const auto gumbel = -torch::log(exponential.clamp_min(kLogEps));
  const auto noisy = log_probs + gumbel;
  std::vector<torch::Tensor> codes;
  int64_t offset = 0;
  for (int64_t k : categories_) {
    codes.push_back(noisy.narrow(1, offset, k).argmax(1));
    offset += k;
  }
  return torch::stack(codes, 1);
}

torch::Tensor TabularDiffusion::q_marginal(const torch::Tensor& log_x0,
                                           const torch::Tensor& t) const {
  return torch::logaddexp(log_x0 + coef(Coef::log_alpha_bar, t),
                          coef(Coef::log_one_minus_alpha_bar, t) - log_k_);
}

torch::Tensor TabularDiffusion::q_step(const torch::Tensor& log_x, const torch::Tensor& t) const {
  return torch::logaddexp(log_x + coef(Coef::log_alpha, t),
                          coef(Coef::log_one_minus_alpha, t) - log_k_);
}

torch::Tensor TabularDiffusion::q_posterior(const torch::Tensor& log_x0,
                                            const torch::Tensor& log_xt,
                                            const torch::Tensor& t) const {
  const auto before =
      torch::where((t == 0).unsqueeze(1), log_x0, q_marginal(log_x0, (t - 1).clamp_min(0)));
  return log_softmax_per_column(before + q_step(log_xt, t));
}

std::pair<torch::Tensor, torch::Tensor> TabularDiffusion::loss(Denoiser& model,
                                                               const torch::Tensor& x_num,
                                                               const torch::Tensor& x_cat,
                                                               const torch::Tensor& y,
                                                               at::Generator& gen) const {
  const int64_t B = x_num.defined() ? x_num.size(0) : x_cat.size(0);
  const auto t = torch::randint(0, s_.steps, {B}, gen, torch::kLong).to(device_);
  std::vector<torch::Tensor> inputs;
  torch::Tensor eps, log_x0, log_xt;
  if (numeric_ > 0) {
    eps = randn({B, numeric_}, gen);
    inputs.push_back(coef(Coef::sqrt_alpha_bar, t) * x_num +
                     coef(Coef::sqrt_one_minus_alpha_bar, t) * eps);
  }
  if (total_categories_ > 0) {
    log_x0 = log_one_hot(x_cat);
    const auto codes_t = sample_codes(q_marginal(log_x0, t), gen);
    inputs.push_back(one_hot(codes_t));
    log_xt = log_one_hot(codes_t);
  }
  const auto out = model->forward(torch::cat(inputs, 1), t, y);
  const auto zero = torch::zeros({}, torch::TensorOptions().device(device_));
  torch::Tensor gauss = zero, multi = zero;
  if (numeric_ > 0) gauss = (out.narrow(1, 0, numeric_) - eps).pow(2).mean();
  if (total_categories_ > 0) {
    const auto log_pred = log_softmax_per_column(out.narrow(1, numeric_, total_categories_));
    const auto log_true = q_posterior(log_x0, log_xt, t);
    const auto log_model = q_posterior(log_pred, log_xt, t);
    const auto kl = (log_true.exp() * (log_true - log_model)).sum(1);
    const auto nll = -(log_x0.exp() * log_model).sum(1);
    // Uniform t: the sum over timesteps of the KL terms is T times their mean (kl / p(t)).
    const auto per_row = torch::where(t == 0, nll, kl * static_cast<double>(s_.steps));
    multi = per_row.mean() / static_cast<double>(categories_.size());
  }
  return {gauss, multi};
}

std::pair<torch::Tensor, torch::Tensor> TabularDiffusion::sample(Denoiser& model, int64_t n,
                                                                 const torch::Tensor& y,
                                                                 at::Generator& gen) const {
  torch::Tensor x, codes;
  if (numeric_ > 0) x = randn({n, numeric_}, gen);
  if (total_categories_ > 0)  // uniform over each column's categories
    codes = sample_codes(torch::zeros({n, total_categories_}, torch::kFloat).to(device_), gen);
  for (int step = s_.steps - 1; step >= 0; --step) {
    const auto k = static_cast<size_t>(step);
    const auto t = torch::full({n}, step, torch::kLong).to(device_);
    std::vector<torch::Tensor> inputs;
    if (numeric_ > 0) inputs.push_back(x);
    if (total_categories_ > 0) inputs.push_back(one_hot(codes));
    const auto out = model->forward(torch::cat(inputs, 1), t, y);
    if (numeric_ > 0) {
      const auto eps = out.narrow(1, 0, numeric_);
      const auto x0 = (x - s_.sqrt_one_minus_alpha_bar[k] * eps) / s_.sqrt_alpha_bar[k];
      const auto mean = s_.coef_x0[k] * x0 + s_.coef_xt[k] * x;
      x = step > 0 ? mean + std::exp(0.5 * s_.reverse_log_variance[k]) * randn({n, numeric_}, gen)
                   : mean;
    }
    if (total_categories_ > 0) {
      const auto log_pred = log_softmax_per_column(out.narrow(1, numeric_, total_categories_));
      codes = sample_codes(q_posterior(log_pred, log_one_hot(codes), t), gen);
    }
  }
  return {x, codes};
}

}  // namespace calm
