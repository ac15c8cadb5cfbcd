// Special functions behind the parametric marginals: the regularised incomplete gamma and beta
// functions (series and modified-Lentz continued fractions, as laid out in Press et al.,
// "Numerical Recipes", 3rd ed., sections 6.2 and 6.4) and their inverses (safeguarded Newton).
// The distribution objects cache their log-normalising constant and return CDF and density from
// one evaluation, because quantiles are computed per sampled cell.
#pragma once

#include <cmath>
#include <limits>
#include <utility>

namespace calm {

// Gamma(shape a, scale 1): cdf = P(a, x) = gamma(a, x) / Gamma(a).
class GammaFunction {
 public:
  explicit GammaFunction(double a);
  double cdf(double x) const { return cdf_pdf(x).first; }
  std::pair<double, double> cdf_pdf(double x) const;
  // x with cdf(x) = p; [lo, hi] must bracket it when given (hi = inf: search upwards).
  double ppf(double p, double lo = 0, double hi = INFINITY, double x0 = NAN) const;

 private:
  double a_, log_gamma_a_;
};

// Beta(a, b) on [0, 1]: cdf = I_x(a, b).
class BetaFunction {
 public:
  BetaFunction(double a, double b);
  double cdf(double x) const { return cdf_pdf(x).first; }
  std::pair<double, double> cdf_pdf(double x) const;
  double ppf(double p, double lo = 0, double hi = 1, double x0 = NAN) const;

 private:
  double a_, b_, log_beta_;
};

// Convenience forms (tests, one-off use).
inline double gamma_p(double a, double x) {
  return GammaFunction(a).cdf(x);
}
inline double gamma_p_inv(double a, double p) {
  return GammaFunction(a).ppf(p);
}
inline double beta_i(double a, double b, double x) {
  return BetaFunction(a, b).cdf(x);
}
inline double beta_i_inv(double a, double b, double p) {
  return BetaFunction(a, b).ppf(p);
}

// Root of cdf(x) = p for an increasing cdf inside the bracket [lo, hi], where f(x) returns
// {cdf(x), density(x)}: Newton steps, bisection whenever a step would leave the bracket.
template <typename F>
double invert_cdf(const F& f, double p, double lo, double hi, double x0) {
  constexpr double kEps = 4 * std::numeric_limits<double>::epsilon();
  double x = x0;
  for (int it = 0; it < 200; ++it) {
    const auto [c, dens] = f(x);
    const double diff = c - p;
    if (diff == 0) return x;
    if (diff < 0)
      lo = x;
    else
      hi = x;
    double next = x - diff / dens;
    // Newton is quadratic near the root; a step that leaves the bracket means we are not near it.
    if (!(dens > 0) || !std::isfinite(next) || next <= lo || next >= hi) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= kEps * std::fabs(x) || hi - lo <= kEps * std::fabs(hi)) return next;
    x = next;
  }
  return x;
}

}  // namespace calm
