// Normal scores: the standard normal CDF and quantile (Phi, Phi^-1) that map values in [0, 1] to
// the Gaussian scale of a copula, and the frequency-interval encoder that gives categorical values
// a place on [0, 1] (Patki et al. 2016, "The Synthetic Data Vault", section 4.1: each category owns
// an interval of width equal to its share, and a value maps to a point inside its interval).
// Phi^-1 is Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988), accurate to about
// 1e-16 relative over the whole open interval.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "calm/core/rng.hpp"

namespace calm {

// Scores are computed from u clipped to [kScoreClip, 1 - kScoreClip], so |z| <= about 6.
inline constexpr double kScoreClip = 1e-9;

double normal_cdf(double z);    // Phi(z), accurate in both tails (via erfc)
double normal_ppf(double u);    // Phi^-1(u); -inf at 0, +inf at 1, NaN outside [0, 1]
double normal_score(double u);  // Phi^-1(clip(u, kScoreClip, 1 - kScoreClip))

// Categories of one variable laid out as consecutive intervals of [0, 1], most frequent first
// (ties: first appearance). Values use Column::numeric's encoding; NaN (missing) is a category of
// its own.
class FrequencyIntervals {
 public:
  // values[i] for i < n; NaN marks a missing cell. n must be > 0.
  void fit(const double* values, size_t n);
  // The same from distinct values (NaN at most once) and their counts (> 0), listed in order of
  // first appearance: what a model file or a distributed fit holds instead of the cells.
  void fit_counts(const std::vector<double>& values, const std::vector<uint64_t>& counts);

  size_t size() const { return values_.size(); }
  double value(size_t k) const { return values_[k]; }  // NaN = the missing category
  double lower(size_t k) const { return bounds_[k]; }
  double upper(size_t k) const { return bounds_[k + 1]; }
  double share(size_t k) const { return bounds_[k + 1] - bounds_[k]; }
  // Index of the category holding `value`, or -1 when it was never seen.
  long index_of(double value) const;
  // Index of the category whose interval holds u (u outside [0, 1] clamps to the ends).
  size_t index_at(double u) const;
  // u[i] drawn uniformly inside the interval of values[i] (every value must have been seen).
  void encode(const double* values, size_t n, Rng& rng, double* u) const;

 private:
  std::vector<double> values_;
  std::vector<double> bounds_;  // size() + 1 increasing edges, 0 ... 1
  std::unordered_map<double, size_t> index_;
  long missing_index_ = -1;
};

// Variance of E[Z | category] for Z ~ N(0, 1) cut at the interval edges: sum_k p_k m_k^2 with
// m_k = (phi(Phi^-1(a_k)) - phi(Phi^-1(b_k))) / p_k. It is the factor by which a correlation
// with the category's scores is attenuated when scores are drawn at random inside the intervals
// (Olsson, Drasgow & Dorans 1982, the ad hoc polyserial estimator).
double between_category_variance(const FrequencyIntervals& intervals);

}  // namespace calm
