// Regularised incomplete gamma / beta functions and their inverses (Numerical Recipes 3rd ed.,
// 6.2 and 6.4: power series where it converges fast, modified Lentz continued fraction elsewhere).
#include "transform/marginals_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "transform/normal_scores.hpp"

namespace calm {
namespace {

constexpr double kEps = 1e-15;
constexpr double kTiny = 1e-300;
constexpr int kMaxTerms = 100000;

// Series for P(a, x), good for x < a + 1.
double gamma_p_series(double a, double x, double log_prefix) {
  double term = 1.0 / a, sum = term;
  for (int n = 1; n < kMaxTerms; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEps) break;
  }
  return sum * std::exp(log_prefix);
}

// Continued fraction for Q(a, x) = 1 - P(a, x), good for x >= a + 1.
double gamma_q_fraction(double a, double x, double log_prefix) {
  double b = x + 1.0 - a, c = 1.0 / kTiny, d = 1.0 / b, h = d;
  for (int i = 1; i < kMaxTerms; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < kEps) break;
  }
  return std::exp(log_prefix) * h;
}

// Continued fraction of I_x(a, b), converging fast for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < kMaxTerms; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < kEps) break;
  }
  return h;
}

double log_beta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

}  // namespace

double gamma_p(double a, double x) {
  if (x <= 0) return 0.0;
  if (std::isinf(x)) return 1.0;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1.0) return std::min(1.0, gamma_p_series(a, x, log_prefix));
  return std::max(0.0, 1.0 - gamma_q_fraction(a, x, log_prefix));
}

double gamma_pdf(double a, double x) {
  if (x < 0) return 0.0;
  if (x == 0) return a < 1 ? std::numeric_limits<double>::infinity() : (a == 1 ? 1.0 : 0.0);
  return std::exp((a - 1.0) * std::log(x) - x - std::lgamma(a));
}

double gamma_p_inv(double a, double p) {
  if (p <= 0) return 0.0;
  if (p >= 1) return std::numeric_limits<double>::infinity();
  // Wilson-Hilferty: (x / a)^(1/3) is close to normal; a good start for Newton.
  const double g = 1.0 / (9.0 * a);
  const double zp = normal_ppf(p);
  double x0 = a * std::pow(std::max(1e-3, 1.0 - g + zp * std::sqrt(g)), 3.0);
  double hi = std::max(1.0, x0);
  while (gamma_p(a, hi) < p) hi *= 2.0;
  return invert_cdf([a](double x) { return gamma_p(a, x); },
                    [a](double x) { return gamma_pdf(a, x); }, p, 0.0, hi,
                    std::clamp(x0, 0.0, hi));
}

double beta_i(double a, double b, double x) {
  if (x <= 0) return 0.0;
  if (x >= 1) return 1.0;
  const double log_prefix = a * std::log(x) + b * std::log1p(-x) - log_beta(a, b);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_prefix) * beta_fraction(a, b, x) / a;
  return 1.0 - std::exp(log_prefix) * beta_fraction(b, a, 1.0 - x) / b;
}

double beta_pdf(double a, double b, double x) {
  if (x < 0 || x > 1) return 0.0;
  if (x == 0 || x == 1) {
    const double e = x == 0 ? a : b;
    return e < 1 ? std::numeric_limits<double>::infinity() : (e == 1 ? 1.0 / std::exp(log_beta(a, b)) : 0.0);
  }
  return std::exp((a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) - log_beta(a, b));
}

double beta_i_inv(double a, double b, double p) {
  if (p <= 0) return 0.0;
  if (p >= 1) return 1.0;
  return invert_cdf([a, b](double x) { return beta_i(a, b, x); },
                    [a, b](double x) { return beta_pdf(a, b, x); }, p, 0.0, 1.0, a / (a + b));
}

double invert_cdf(const std::function<double(double)>& cdf, const std::function<double(double)>& pdf,
                  double p, double lo, double hi, double x0) {
  double x = x0;
  for (int it = 0; it < 200; ++it) {
    const double f = cdf(x) - p;
    if (f == 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const double dens = pdf(x);
    double next = x - f / dens;
    // Newton is quadratic near the root; a step that leaves the bracket means we are not near it.
    if (!(dens > 0) || !std::isfinite(next) || next <= lo || next >= hi) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 4 * std::numeric_limits<double>::epsilon() * std::fabs(x) ||
        hi - lo <= 4 * std::numeric_limits<double>::epsilon() * std::fabs(hi))
      return next;
    x = next;
  }
  return x;
}

}  // namespace calm
