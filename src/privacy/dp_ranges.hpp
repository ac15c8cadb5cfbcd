// Numeric ranges and bin edges learnt under differential privacy from noisy histograms over
// cells that do not depend on the data, so that the only data-dependent step is the noise
// mechanism itself (everything after it is post-processing):
//   range: a histogram over octaves [2^k, 2^(k+1)) on both signs and a zero cell. On each sign
//     the window of adjacent octaves with the largest noisy mass net of a price per octave
//     (2.5 noise standard deviations, maximum-sum subarray) holds the data: an octave joins when
//     its mass pays its price, and a false octave far from the data would have to pay for every
//     empty octave between. The stronger sign is taken when its window stands above what noise
//     alone reaches half the time; the weaker one (and the zero cell) only above what noise
//     reaches with probability 0.1%. Tails lighter than the price are clipped into the range,
//     never revealed.
//   edges: a second histogram of equal cells across that range (on a log1p scale when the range
//     is non-negative and spans more than three octaves), as many as the window's noisy mass can
//     fill above the noise (16 to 1024): cells under two noise standard deviations count as
//     empty, the range is trimmed to the outermost cells that are not, and the noisy mass is cut
//     into bins of equal mass.
// One octave histogram costs a column far fewer rows than a fine one: the pure-DP methods share
// a tenth of epsilon over all the columns. Smartnoise-synth's approx_bounds uses powers of two
// too (Laplace on octave counts, outermost bins above a threshold); the counts here are noised
// with the exact samplers of mechanisms.hpp.
#pragma once

#include <cmath>
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

// [low, high] from the octave windows. `values` are the non-missing values (finite).
struct Range {
  double low = 0, high = 0;
  bool found = true;  // false: no window stood out of the noise
  double mass = 0;    // the window's noisy count (post-processing; sizes the edges histogram)
  // How far the edges histogram may trim: the inner bounds of the outermost octaves.
  double inner_low = -INFINITY, inner_high = INFINITY;
};
Range private_range(const std::vector<double>& values, bool zcdp, double budget, Rng& rng);

// Up to `bins` ascending edges (bins + 1 values) cutting the noisy mass of `values` within `range`
// into equal shares; fewer when cells are too coarse to separate them. The first and last edges
// are the range trimmed to the outermost cells that stand above the noise.
std::vector<double> private_edges(const std::vector<double>& values, const Range& range, int bins,
                                  bool zcdp, double budget, Rng& rng);

// `bins` equal-width edges across the range (public bounds: no budget).
std::vector<double> uniform_edges(const Range& range, int bins);

// Edges for an integer column: bin boundaries at half-integers, one bin per integer when the
// range holds at most `bins` integers.
std::vector<double> integer_edges(const std::vector<double>& edges, const Range& range, int bins);

}  // namespace calm::privacy
