// The mechanisms every differentially private method is built from: noisy integer counts
// (discrete Gaussian under zCDP, discrete Laplace under pure DP; exact samplers from
// exact_noise.hpp) and the exponential mechanism for selection (McSherry & Talwar, FOCS 2007),
// sampled exactly by rejection with Bernoulli(exp(-x)) trials. The privacy cost of each call is
// stated next to it; the callers record it in a ZcdpLedger (zcdp.hpp) or a pure-epsilon total.
#pragma once

#include <cstdint>
#include <vector>

#include "calm/core/rng.hpp"

namespace calm::privacy {

// counts + discrete Gaussian noise with sigma^2 >= l2_sensitivity^2 / (2 rho) (rounded up), each
// cell independent. Costs rho zCDP for a histogram whose L2 sensitivity is l2_sensitivity
// (1 for one row added or removed). Returns the noisy counts (may be negative).
std::vector<double> gaussian_counts(const std::vector<int64_t>& counts, double rho,
                                    double l2_sensitivity, Rng& rng);
// The sigma^2 that gaussian_counts actually uses for (rho, l2_sensitivity).
double gaussian_sigma2(double rho, double l2_sensitivity);

// counts + discrete Laplace noise of scale >= l1_sensitivity / epsilon. Costs epsilon (pure DP)
// for a histogram of L1 sensitivity l1_sensitivity; also epsilon^2 / 2 zCDP.
std::vector<double> laplace_counts(const std::vector<int64_t>& counts, double epsilon,
                                   double l1_sensitivity, Rng& rng);

// Index i drawn with probability proportional to exp(epsilon * score_i / (2 sensitivity)), where
// `sensitivity` bounds how much any score changes when one row is added or removed. Exact up to
// the scores' double rounding, which is absorbed by widening the sensitivity by 2^-30 relative.
// Costs epsilon (pure DP) and epsilon^2 / 8 zCDP (bounded range: Cesar & Rogers 2021).
// Throws InvalidArgument on an empty list, a non-finite score, epsilon <= 0 or sensitivity <= 0.
size_t exponential_mechanism(const std::vector<double>& scores, double epsilon, double sensitivity,
                             Rng& rng);

}  // namespace calm::privacy
