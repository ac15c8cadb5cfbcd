// Renyi differential privacy (Mironov, CSF 2017) of the Poisson-subsampled Gaussian mechanism,
// the accountant of DP-SGD: per-step RDP by Mironov, Talwar & Zhang, "Renyi Differential Privacy
// of the Sampled Gaussian Mechanism" (2019, Section 3.3: the integer-order closed form and the
// fractional-order series), composed over steps, converted to (epsilon, delta) with the
// conversion of Balle et al., "Hypothesis Testing Interpretations and Renyi Differential
// Privacy" (AISTATS 2020, Theorem 21) as Opacus does, minimised over the orders.
#pragma once

#include <cstdint>
#include <vector>

namespace calm::privacy {

// Opacus's default orders: 1 + x/10 for x in 1..99, then 12..63.
std::vector<double> default_rdp_orders();

// RDP at order alpha (> 1) of one step: sampling rate q in [0, 1], noise multiplier sigma > 0
// (noise std / clipping norm).
double sampled_gaussian_rdp(double q, double sigma, double alpha);

// (epsilon, best order) after `steps` steps at (q, sigma), for the given delta in (0, 1).
struct RdpEpsilon {
  double epsilon;
  double order;
};
RdpEpsilon dpsgd_epsilon(double q, double sigma, int64_t steps, double delta,
                         const std::vector<double>& orders = default_rdp_orders());
// The smallest noise multiplier (to 1e-4 relative) with dpsgd_epsilon(...) <= epsilon.
// Throws InvalidArgument when epsilon <= 0, delta outside (0, 1), q outside (0, 1] or steps < 1.
double dpsgd_noise_multiplier(double q, int64_t steps, double epsilon, double delta,
                              const std::vector<double>& orders = default_rdp_orders());

// epsilon of an RDP curve (values at `orders`) for delta, by the Balle et al. conversion.
RdpEpsilon rdp_to_epsilon(const std::vector<double>& orders, const std::vector<double>& rdp,
                          double delta);

}  // namespace calm::privacy
