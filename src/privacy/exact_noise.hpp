// Exact samplers for the noise of the counting mechanisms: Bernoulli(exp(-gamma)), the discrete
// Laplace and the discrete Gaussian, using only uniform random integers and integer arithmetic
// (Canonne, Kamath & Steinke, "The Discrete Gaussian for Differential Privacy", NeurIPS 2020,
// Algorithms 1-3). Floating-point textbook samplers (inverse CDF of a double, Box-Muller) leave
// holes and rounding artefacts that reveal the noiseless value (Mironov, "On Significance of the
// Least Significant Bits for Differential Privacy", CCS 2012), which is why counts are never
// noised with them here.
#pragma once

#include <cstdint>

#include "calm/core/rng.hpp"

namespace calm::privacy {

// A non-negative rational num/den (den > 0), exact. The samplers take their parameters in this
// form; a double parameter is rounded to a rational first, in the direction that adds noise.
struct Rational {
  __int128 num = 0;
  __int128 den = 1;
};

// Bernoulli(exp(-gamma)) for gamma >= 0, exactly (CKS 2020, Algorithm 1).
bool bernoulli_exp(const Rational& gamma, Rng& rng);

// Discrete Laplace: P(x) proportional to exp(-|x| / scale) on the integers. The scale is the
// given one rounded UP to a multiple of 2^-20 (more noise, never less); scale() says which.
// Pure (sensitivity / scale())-DP for an integer query of L1 sensitivity `sensitivity`.
class DiscreteLaplace {
 public:
  explicit DiscreteLaplace(double scale);  // scale > 0, throws InvalidArgument otherwise
  double scale() const;
  int64_t operator()(Rng& rng) const;

 private:
  Rational scale_;
};

// Discrete Gaussian: P(x) proportional to exp(-x^2 / (2 sigma^2)) on the integers. sigma^2 is the
// given variance parameter rounded UP to a rational with a power-of-two denominator;
// sigma2() says which. (Delta^2 / (2 sigma2()))-zCDP for an integer query of L2 sensitivity
// Delta (CKS 2020, Theorem 4). The variance of the distribution is at most sigma2().
class DiscreteGaussian {
 public:
  explicit DiscreteGaussian(double sigma2);  // sigma2 > 0 and <= 1e14, else InvalidArgument
  double sigma2() const;
  int64_t operator()(Rng& rng) const;

 private:
  Rational sigma2_;
  int64_t t_ = 1;  // floor(sigma) + 1: the discrete Laplace proposal's scale
};

}  // namespace calm::privacy
