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

}  // namespace

GammaFunction::GammaFunction(double a) : a_(a), log_gamma_a_(std::lgamma(a)) {}

std::pair<double, double> GammaFunction::cdf_pdf(double x) const {
  if (x <= 0) return {0.0, x < 0 || a_ > 1 ? 0.0 : (a_ == 1 ? 1.0 : INFINITY)};
  if (std::isinf(x)) return {1.0, 0.0};
  // The series / fraction prefix x^a e^-x / Gamma(a) is x times the density.
  const double log_prefix = a_ * std::log(x) - x - log_gamma_a_;
  const double pdf = std::exp(log_prefix - std::log(x));
  if (x < a_ + 1.0) return {std::min(1.0, gamma_p_series(a_, x, log_prefix)), pdf};
  return {std::max(0.0, 1.0 - gamma_q_fraction(a_, x, log_prefix)), pdf};
}

double GammaFunction::ppf(double p, double lo, double hi, double x0) const {
  if (p <= 0) return 0.0;
  if (p >= 1) return INFINITY;
  if (std::isnan(x0)) {
    // Wilson-Hilferty: (x / a)^(1/3) is nearly normal; a good start for Newton.
    const double g = 1.0 / (9.0 * a_);
    x0 = a_ * std::pow(std::max(1e-3, 1.0 - g + normal_ppf(p) * std::sqrt(g)), 3.0);
  }
  if (std::isinf(hi)) {
    hi = std::max(1.0, x0);
    while (cdf(hi) < p) hi *= 2.0;
  }
  return invert_cdf([this](double x) { return cdf_pdf(x); }, p, lo, hi, std::clamp(x0, lo, hi));
}

BetaFunction::BetaFunction(double a, double b)
    : a_(a), b_(b), log_beta_(std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b)) {}

std::pair<double, double> BetaFunction::cdf_pdf(double x) const {
  if (x <= 0 || x >= 1) {
    const double e = x <= 0 ? a_ : b_;
    const double edge = e < 1 ? INFINITY : (e == 1 ? std::exp(-log_beta_) : 0.0);
    const bool outside = x < 0 || x > 1;
    return {x <= 0 ? 0.0 : 1.0, outside ? 0.0 : edge};
  }
  // The prefix x^a (1-x)^b / B(a, b) is x (1 - x) times the density.
  const double log_prefix = a_ * std::log(x) + b_ * std::log1p(-x) - log_beta_;
  const double prefix = std::exp(log_prefix);
  const double pdf = prefix / (x * (1.0 - x));
  if (x < (a_ + 1.0) / (a_ + b_ + 2.0)) return {prefix * beta_fraction(a_, b_, x) / a_, pdf};
  return {1.0 - prefix * beta_fraction(b_, a_, 1.0 - x) / b_, pdf};
}

double BetaFunction::ppf(double p, double lo, double hi, double x0) const {
  if (p <= 0) return 0.0;
  if (p >= 1) return 1.0;
  if (std::isnan(x0)) x0 = a_ / (a_ + b_);
  return invert_cdf([this](double x) { return cdf_pdf(x); }, p, lo, hi, std::clamp(x0, lo, hi));
}

}  // namespace calm
