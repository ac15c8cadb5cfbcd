// The noise schedule of TabDDPM (Kotelnikov, Baranchuk, Rubachev & Babenko 2023, "TabDDPM:
// Modelling Tabular Data with Diffusion Models", ICML): the cosine schedule of Nichol & Dhariwal
// (2021, "Improved Denoising Diffusion Probabilistic Models", eq. 17, s = 0.008, beta <= 0.999) and
// the coefficients, in double precision, that both processes read per timestep: the Gaussian
// forward marginal, posterior and reverse variance (Ho, Jain & Abbeel 2020, "Denoising Diffusion
// Probabilistic Models"), and the log-space mixing weights of multinomial diffusion (Hoogeboom,
// Nielsen, Jaini, Forre & Welling 2021, "Argmax Flows and Multinomial Diffusion").
// Timesteps are 0-based: t = 0 is the first noising step, t = T - 1 the last.
#pragma once

#include <vector>

namespace calm {

struct DiffusionSchedule {
  // T >= 2 steps (InvalidArgument otherwise).
  explicit DiffusionSchedule(int steps);

  int steps;
  std::vector<double> beta, alpha, alpha_bar, alpha_bar_prev;
  // Gaussian: x_t = sqrt(alpha_bar) x_0 + sqrt(1 - alpha_bar) eps, and the posterior
  // q(x_{t-1} | x_t, x_0) = N(coef_x0 * x_0 + coef_xt * x_t, posterior_variance).
  std::vector<double> sqrt_alpha_bar, sqrt_one_minus_alpha_bar;
  std::vector<double> posterior_variance, coef_x0, coef_xt;
  // The reverse variance TabDDPM samples with: beta_t ("fixed large"), the posterior variance at
  // t = 0 where beta_0 would add noise the data never had.
  std::vector<double> reverse_log_variance;
  // Multinomial: log alpha_t, log(1 - alpha_t), log alpha_bar_t, log(1 - alpha_bar_t).
  std::vector<double> log_alpha, log_one_minus_alpha, log_alpha_bar, log_one_minus_alpha_bar;
};

}  // namespace calm
