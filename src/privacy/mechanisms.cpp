// Noisy counts and the exact exponential mechanism (see mechanisms.hpp).
#include "privacy/mechanisms.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "privacy/exact_noise.hpp"

namespace calm::privacy {
namespace {

void check_positive(double v, const char* what) {
  if (!(v > 0) || !std::isfinite(v))
    throw InvalidArgument(std::string(what) + " must be a finite number > 0, got " +
                          format_double(v));
}

}  // namespace

double gaussian_sigma2(double rho, double l2_sensitivity) {
  check_positive(rho, "rho");
  check_positive(l2_sensitivity, "the L2 sensitivity");
  return DiscreteGaussian(l2_sensitivity * l2_sensitivity / (2 * rho)).sigma2();
}

std::vector<double> gaussian_counts(const std::vector<int64_t>& counts, double rho,
                                    double l2_sensitivity, Rng& rng) {
  check_positive(rho, "rho");
  check_positive(l2_sensitivity, "the L2 sensitivity");
  const DiscreteGaussian noise(l2_sensitivity * l2_sensitivity / (2 * rho));
  std::vector<double> out(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) out[i] = static_cast<double>(counts[i] + noise(rng));
  return out;
}

std::vector<double> laplace_counts(const std::vector<int64_t>& counts, double epsilon,
                                   double l1_sensitivity, Rng& rng) {
  check_positive(epsilon, "epsilon");
  check_positive(l1_sensitivity, "the L1 sensitivity");
  const DiscreteLaplace noise(l1_sensitivity / epsilon);
  std::vector<double> out(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) out[i] = static_cast<double>(counts[i] + noise(rng));
  return out;
}

// Rejection sampling: propose uniformly, accept with exp(-x_i), x_i = epsilon (s_max - s_i) / (2
// Delta') >= 0; the accepted index has probability proportional to exp(epsilon s_i / (2 Delta')).
// x_i is rounded up to a multiple of g = 2^-k: that is the exact mechanism on scores moved by at
// most g 2 Delta' / epsilon, whose sensitivity is at most Delta + 4 g Delta' / epsilon; with
// Delta' = Delta (1 + 2^-30) and g <= epsilon 2^-34 that is at most Delta', so the draw is
// epsilon-DP exactly. Gaps above 1e6 (probability below e^-1e6) are clamped: the clamped scores
// max(s_i, s_max - C) still change by at most Delta.
size_t exponential_mechanism(const std::vector<double>& scores, double epsilon, double sensitivity,
                             Rng& rng) {
  if (scores.empty()) throw InvalidArgument("exponential mechanism: no candidates");
  check_positive(epsilon, "epsilon");
  check_positive(sensitivity, "sensitivity");
  for (double s : scores)
    if (!std::isfinite(s))
      throw InvalidArgument("exponential mechanism: scores must be finite, got " +
                            format_double(s));
  const double coef = epsilon / (2 * sensitivity * (1 + std::ldexp(1.0, -30)));
  const double best = *std::max_element(scores.begin(), scores.end());
  const int bits = std::clamp(34 + static_cast<int>(std::ceil(std::log2(1 / epsilon))), 34, 100);
  std::vector<Rational> x(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    const double v = std::min(coef * (best - scores[i]), 1e6);
    x[i] = {static_cast<__int128>(std::ceil(std::ldexp(v, bits))), __int128{1} << bits};
  }
  for (;;) {
    const size_t i = static_cast<size_t>(rng.below(scores.size()));
    if (bernoulli_exp(x[i], rng)) return i;
  }
}

}  // namespace calm::privacy
