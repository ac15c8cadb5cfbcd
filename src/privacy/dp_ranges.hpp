// Numeric ranges and bin edges learnt under differential privacy from noisy histograms over
// cells that do not depend on the data, so that the only data-dependent step is the noise
// mechanism itself (everything after it is post-processing):
//   bounds: a histogram over log-scale cells (octaves [2^k, 2^(k+1)) on both signs, each cut into
//     16 linear sub-cells, and a zero cell) whose extreme cells with a noisy count above what
//     noise alone reaches in any cell with probability 0.1% (5.4 noise standard deviations under
//     Gaussian noise, 14.8 Laplace scales: the Laplace tail is heavier) give [low, high] (outliers
//     below that are not revealed; they are clipped into the range);
//   edges: a second histogram of 1024 equal cells across [low, high] (on a log1p scale when the
//     range is non-negative and spans many octaves) whose noisy mass is cut into bins of equal
//     mass.
// Smartnoise-synth's approx_bounds uses the same log-scale idea for bounds (Laplace on powers of
// two); the counts here are noised with the exact samplers of mechanisms.hpp.
#pragma once

#include <vector>

#include "calm/core/rng.hpp"

namespace calm::privacy {

// Noisy counts of a histogram whose cells each hold one row (L2 and L1 sensitivity 1): under
// zCDP with `budget` = rho (discrete Gaussian), or pure DP with `budget` = epsilon (discrete
// Laplace). Also gives the noise's standard deviation and tail bounds.
struct NoisyHistogram {
  std::vector<double> counts;
  double noise_sd = 0;
  bool gaussian = true;
  // A count t such that noise alone exceeds it with probability at most p in one cell: the
  // sub-Gaussian bound sigma sqrt(2 ln(1/p)) or the Laplace tail b ln(1/p).
  double tail(double p) const;
};
NoisyHistogram noisy_histogram(const std::vector<int64_t>& counts, bool zcdp, double budget,
                               Rng& rng);

// [low, high] from the log-scale cells. `values` are the non-missing values (finite).
struct Range {
  double low = 0, high = 0;
  bool found = true;  // false: no cell, octave or block of octaves stood out of the noise
};
Range private_range(const std::vector<double>& values, bool zcdp, double budget, Rng& rng);

// Up to `bins` ascending edges (bins + 1 values, low first, high last) cutting the noisy mass of
// `values` within `range` into equal shares; fewer when cells are too coarse to separate them.
std::vector<double> private_edges(const std::vector<double>& values, const Range& range, int bins,
                                  bool zcdp, double budget, Rng& rng);

// `bins` equal-width edges across the range (public bounds: no budget).
std::vector<double> uniform_edges(const Range& range, int bins);

// Edges for an integer column: bin boundaries at half-integers, one bin per integer when the
// range holds at most `bins` integers.
std::vector<double> integer_edges(const std::vector<double>& edges, const Range& range, int bins);

}  // namespace calm::privacy
