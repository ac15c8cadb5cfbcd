// Phi, Phi^-1 (Wichura 1988, AS 241 PPND16) and the frequency-interval encoder of categorical
// variables (Patki et al. 2016).
#include "transform/normal_scores.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "calm/core/error.hpp"

namespace calm {
namespace {

// Horner evaluation of a polynomial whose coefficients run from the constant term up.
template <size_t N>
double poly(const double (&c)[N], double x) {
  double r = c[N - 1];
  for (size_t i = N - 1; i-- > 0;) r = r * x + c[i];
  return r;
}

// AS 241 coefficients: central region |u - 0.5| <= 0.425.
constexpr double kA[] = {3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
                         1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
                         3.3430575583588128105e4, 2.5090809287301226727e3};
constexpr double kB[] = {1.0,
                         4.2313330701600911252e1,
                         6.8718700749205790830e2,
                         5.3941960214247511077e3,
                         2.1213794301586595867e4,
                         3.9307895800092710610e4,
                         2.8729085735721942674e4,
                         5.2264952788528545610e3};
// Intermediate tail: r = sqrt(-log(min(u, 1-u))) <= 5.
constexpr double kC[] = {1.42343711074968357734e0,  4.63033784615654529590e0,
                         5.76949722146069140550e0,  3.64784832476320460504e0,
                         1.27045825245236838258e0,  2.41780725177450611770e-1,
                         2.27238449892691845833e-2, 7.74545014278341407640e-4};
constexpr double kD[] = {1.0,
                         2.05319162663775882187e0,
                         1.67638483018380384940e0,
                         6.89767334985100004550e-1,
                         1.48103976427480074590e-1,
                         1.51986665636164571966e-2,
                         5.47593808499534494600e-4,
                         1.05075007164441684324e-9};
// Far tail: r > 5.
constexpr double kE[] = {6.65790464350110377720e0,  5.46378491116411436990e0,
                         1.78482653991729133580e0,  2.96560571828504891230e-1,
                         2.65321895265761230930e-2, 1.24266094738807843860e-3,
                         2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double kF[] = {1.0,
                         5.99832206555887937690e-1,
                         1.36929880922735805310e-1,
                         1.48753612908506148525e-2,
                         7.86869131145613259100e-4,
                         1.84631831751005468180e-5,
                         1.42151175831644588870e-7,
                         2.04426310338993978564e-15};

}  // namespace

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z * M_SQRT1_2);
}

double normal_ppf(double u) {
  if (!(u >= 0.0 && u <= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  if (u == 0.0) return -std::numeric_limits<double>::infinity();
  if (u == 1.0) return std::numeric_limits<double>::infinity();
  const double q = u - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q * poly(kA, r) / poly(kB, r);
  }
  // Work with the smaller tail probability so no precision is lost near 1.
  double r = std::sqrt(-std::log(q < 0 ? u : 1.0 - u));
  double z;
  if (r <= 5.0) {
    r -= 1.6;
    z = poly(kC, r) / poly(kD, r);
  } else {
    r -= 5.0;
    z = poly(kE, r) / poly(kF, r);
  }
  return q < 0 ? -z : z;
}

double normal_score(double u) {
  return normal_ppf(std::clamp(u, kScoreClip, 1.0 - kScoreClip));
}

void FrequencyIntervals::fit(const double* values, size_t n) {
  if (n == 0) throw InternalError("FrequencyIntervals::fit called with no values");
  // Counting in order of first appearance makes the stable sort in fit_counts break ties by it.
  std::vector<double> distinct;
  std::vector<uint64_t> counts;
  std::unordered_map<double, size_t> seen;
  long missing = -1;
  for (size_t i = 0; i < n; ++i) {
    const double v = values[i];
    size_t k;
    if (std::isnan(v)) {
      if (missing < 0) {
        missing = static_cast<long>(distinct.size());
        distinct.push_back(v);
        counts.push_back(0);
      }
      k = static_cast<size_t>(missing);
    } else {
      auto [it, fresh] = seen.emplace(v, distinct.size());
      if (fresh) {
        distinct.push_back(v);
        counts.push_back(0);
      }
      k = it->second;
    }
    ++counts[k];
  }
  fit_counts(distinct, counts);
}

void FrequencyIntervals::fit_counts(const std::vector<double>& values,
                                    const std::vector<uint64_t>& counts) {
  if (values.empty() || values.size() != counts.size())
    throw DataError("frequency intervals: no values, or values and counts do not match");
  uint64_t total = 0;
  for (uint64_t c : counts) {
    if (c == 0 || c > (uint64_t{1} << 52) || total > (uint64_t{1} << 52))
      throw DataError("frequency intervals: a count of 0 or above 2^52");
    total += c;
  }
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return counts[a] > counts[b]; });

  values_.assign(order.size(), 0.0);
  bounds_.assign(order.size() + 1, 0.0);
  index_.clear();
  missing_index_ = -1;
  uint64_t cumulative = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const double v = values[order[k]];
    values_[k] = v;
    if (std::isnan(v)) {
      if (missing_index_ >= 0) throw DataError("frequency intervals: missing listed twice");
      missing_index_ = static_cast<long>(k);
    } else if (!index_.emplace(v, k).second) {
      throw DataError("frequency intervals: a value listed twice");
    }
    cumulative += counts[order[k]];
    bounds_[k + 1] = static_cast<double>(cumulative) / static_cast<double>(total);
  }
  bounds_.back() = 1.0;
}

long FrequencyIntervals::index_of(double value) const {
  if (std::isnan(value)) return missing_index_;
  auto it = index_.find(value);
  return it == index_.end() ? -1 : static_cast<long>(it->second);
}

size_t FrequencyIntervals::index_at(double u) const {
  // First interval whose upper edge lies above u.
  auto it = std::upper_bound(bounds_.begin() + 1, bounds_.end() - 1, u);
  return static_cast<size_t>(it - (bounds_.begin() + 1));
}

void FrequencyIntervals::encode(const double* values, size_t n, Rng& rng, double* u) const {
  for (size_t i = 0; i < n; ++i) {
    const long k = index_of(values[i]);
    if (k < 0) throw InternalError("FrequencyIntervals::encode: value was not seen in fit");
    u[i] = bounds_[k] + (bounds_[k + 1] - bounds_[k]) * rng.uniform_open();
  }
}

double between_category_variance(const FrequencyIntervals& intervals) {
  auto density_at = [](double u) {
    if (u <= 0.0 || u >= 1.0) return 0.0;
    const double z = normal_ppf(u);
    return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
  };
  double v = 0;
  for (size_t k = 0; k < intervals.size(); ++k) {
    const double p = intervals.share(k);
    if (!(p > 0)) continue;
    const double m = (density_at(intervals.lower(k)) - density_at(intervals.upper(k))) / p;
    v += p * m * m;
  }
  return v;
}

}  // namespace calm
