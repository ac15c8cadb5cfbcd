// The cosine schedule and per-timestep coefficients of TabDDPM's Gaussian and multinomial
// diffusion (Kotelnikov et al. 2023; Nichol & Dhariwal 2021; Hoogeboom et al. 2021).
#include "models/deep/diffusion_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "calm/core/error.hpp"

namespace calm {
namespace {

// alpha_bar(u) of the cosine schedule at u = t / T in [0, 1].
double cosine_alpha_bar(double u) {
  const double c = std::cos((u + 0.008) / 1.008 * std::numbers::pi / 2);
  return c * c;
}

}  // namespace

DiffusionSchedule::DiffusionSchedule(int steps_) : steps(steps_) {
  if (steps < 2)
    throw InvalidArgument("diffusion needs at least 2 diffusion_steps, got " +
                          std::to_string(steps));
  const auto T = static_cast<size_t>(steps);
  const double Td = static_cast<double>(steps);
  for (size_t t = 0; t < T; ++t) {
    const double u0 = static_cast<double>(t) / Td, u1 = static_cast<double>(t + 1) / Td;
    // beta capped below 1 so that the last step keeps a trace of the data (Nichol & Dhariwal).
    beta.push_back(std::min(1.0 - cosine_alpha_bar(u1) / cosine_alpha_bar(u0), 0.999));
    alpha.push_back(1.0 - beta.back());
    alpha_bar.push_back((t == 0 ? 1.0 : alpha_bar.back()) * alpha.back());
    alpha_bar_prev.push_back(t == 0 ? 1.0 : alpha_bar[t - 1]);
  }
  for (size_t t = 0; t < T; ++t) {
    sqrt_alpha_bar.push_back(std::sqrt(alpha_bar[t]));
    sqrt_one_minus_alpha_bar.push_back(std::sqrt(1.0 - alpha_bar[t]));
    posterior_variance.push_back(beta[t] * (1.0 - alpha_bar_prev[t]) / (1.0 - alpha_bar[t]));
    coef_x0.push_back(beta[t] * std::sqrt(alpha_bar_prev[t]) / (1.0 - alpha_bar[t]));
    coef_xt.push_back((1.0 - alpha_bar_prev[t]) * std::sqrt(alpha[t]) / (1.0 - alpha_bar[t]));
    log_alpha.push_back(std::log(alpha[t]));
    log_one_minus_alpha.push_back(std::log(beta[t]));
    log_alpha_bar.push_back(std::log(alpha_bar[t]));
    log_one_minus_alpha_bar.push_back(std::log1p(-alpha_bar[t]));
  }
  for (size_t t = 0; t < T; ++t)
    reverse_log_variance.push_back(std::log(t == 0 ? posterior_variance[1] : beta[t]));
}

}  // namespace calm
