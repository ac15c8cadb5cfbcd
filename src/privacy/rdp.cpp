// The RDP accountant of DP-SGD (see rdp.hpp).
//
// References:
// - I. Mironov, "Renyi Differential Privacy", IEEE CSF 2017 (RDP, composition by addition).
// - I. Mironov, K. Talwar, L. Zhang, "Renyi Differential Privacy of the Sampled Gaussian
//   Mechanism", arXiv:1908.10530, 2019, Section 3.3: A_alpha = E_{z ~ mu0}[(mu(z)/mu0(z))^alpha]
//   for mu = (1 - q) mu0 + q mu1, mu0 = N(0, sigma^2), mu1 = N(1, sigma^2); the RDP of one step
//   at order alpha is log(A_alpha) / (alpha - 1). For integer alpha the binomial expansion gives
//   A_alpha = sum_k C(alpha, k) (1 - q)^(alpha - k) q^k exp((k^2 - k) / (2 sigma^2)); for
//   fractional alpha the integral is split at z0 = sigma^2 log(1/q - 1) + 1/2 (where the two
//   mixture weights cross) and each half expanded into a convergent binomial series whose terms
//   carry Gaussian tails (erfc).
// - B. Balle, G. Barthe, M. Gaboardi, J. Hsu, T. Sato, "Hypothesis Testing Interpretations and
//   Renyi Differential Privacy", AISTATS 2020, Theorem 21: (alpha, r)-RDP implies
//   (r + log((alpha - 1)/alpha) - (log(delta) + log(alpha)) / (alpha - 1), delta)-DP.
// - M. Abadi et al., "Deep Learning with Differential Privacy", CCS 2016 (DP-SGD).
// The computation follows the one of TF Privacy's and Opacus's RDP accountants (same orders, same
// series, same conversion), written here from the papers; everything is done in log space.
#include "privacy/rdp.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm::privacy {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// log(exp(a) + exp(b)).
double log_add(double a, double b) {
  const double hi = std::max(a, b), lo = std::min(a, b);
  if (lo == -kInf) return hi;
  return hi + std::log1p(std::exp(lo - hi));
}

// log(exp(a) - exp(b)) for a >= b; a difference that rounding made non-positive is 0 (-inf).
double log_sub(double a, double b) {
  if (b == -kInf) return a;
  if (!(a > b)) return -kInf;
  return a + std::log(-std::expm1(b - a));
}

// log(erfc(x)) without underflow: erfc directly while it is far from the subnormals (its relative
// error stays at the ulp level there), then the asymptotic expansion
// erfc(x) = exp(-x^2) / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(2x^2)^2 - 15/(2x^2)^3 + ...), whose
// terms at x >= 20 fall below 1e-20 after ten of them.
double log_erfc(double x) {
  if (x < 20) return std::log(std::erfc(x));
  const double u = 1 / (2 * x * x);
  double term = 1, sum = 1;
  for (int k = 1; k <= 12; ++k) {
    term *= -(2 * k - 1) * u;
    sum += term;
  }
  return -x * x - std::log(x) - 0.5 * std::log(M_PI) + std::log(sum);
}

// log(A_alpha) for an integer order: the binomial expansion.
double log_a_integer(double q, double sigma, int64_t alpha) {
  const double log_q = std::log(q), log_1mq = std::log1p(-q);
  const double a = static_cast<double>(alpha);
  const double lgamma_a1 = std::lgamma(a + 1);
  double log_a = -kInf;
  for (int64_t k = 0; k <= alpha; ++k) {
    const double kk = static_cast<double>(k);
    const double log_binom = lgamma_a1 - std::lgamma(kk + 1) - std::lgamma(a - kk + 1);
    log_a = log_add(
        log_a, log_binom + kk * log_q + (a - kk) * log_1mq + (kk * kk - kk) / (2 * sigma * sigma));
  }
  return log_a;
}

// log(A_alpha) for a fractional order: A = A0 + A1 with
// A0 = sum_i C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i)/(2 sigma^2)) erfc((i - z0)/(sqrt2
// sigma))/2 A1 = sum_i C(alpha, i) q^(alpha-i) (1-q)^i exp((j^2 - j)/(2 sigma^2)) erfc((z0 -
// j)/(sqrt2 sigma))/2 (j = alpha - i). C(alpha, i) changes sign at every i > alpha; both sums
// converge (their terms decay like i^(-alpha-2)) and are alternating from there on, so stopping
// once past alpha with both terms below e^-30 leaves an error below e^-30 on A >= 1.
double log_a_fractional(double q, double sigma, double alpha) {
  const double log_q = std::log(q), log_1mq = std::log1p(-q);
  const double two_s2 = 2 * sigma * sigma;
  const double z0 = sigma * sigma * std::log(1 / q - 1) + 0.5;
  const double scale = 1 / (std::sqrt(2.0) * sigma);
  double log_a0 = -kInf, log_a1 = -kInf;
  double log_coef = 0;   // log |C(alpha, i)|
  bool positive = true;  // sign of C(alpha, i)
  for (int64_t i = 0; i < 100000000; ++i) {
    const double di = static_cast<double>(i);
    if (i > 0) {
      const double factor = (alpha - di + 1) / di;  // C(alpha, i) / C(alpha, i - 1)
      log_coef += std::log(std::fabs(factor));
      if (factor < 0) positive = !positive;
    }
    const double j = alpha - di;
    const double log_s0 = log_coef + di * log_q + j * log_1mq + (di * di - di) / two_s2 +
                          std::log(0.5) + log_erfc((di - z0) * scale);
    const double log_s1 = log_coef + j * log_q + di * log_1mq + (j * j - j) / two_s2 +
                          std::log(0.5) + log_erfc((z0 - j) * scale);
    if (positive) {
      log_a0 = log_add(log_a0, log_s0);
      log_a1 = log_add(log_a1, log_s1);
    } else {
      log_a0 = log_sub(log_a0, log_s0);
      log_a1 = log_sub(log_a1, log_s1);
    }
    if (di > alpha && std::max(log_s0, log_s1) < -30) break;
  }
  return log_add(log_a0, log_a1);
}

void check_delta(double delta) {
  if (!(delta > 0 && delta < 1))
    throw InvalidArgument("delta must be in (0, 1), got " + format_double(delta));
}

void check_orders(const std::vector<double>& orders) {
  if (orders.empty()) throw InvalidArgument("RDP accountant: the list of orders is empty");
  for (double a : orders)
    if (!(a > 1)) throw InvalidArgument("RDP orders must be > 1, got " + format_double(a));
}

void check_steps(int64_t steps) {
  if (steps < 1)
    throw InvalidArgument("the number of steps must be >= 1, got " + std::to_string(steps));
}

}  // namespace

std::vector<double> default_rdp_orders() {
  std::vector<double> orders;
  for (int x = 1; x < 100; ++x) orders.push_back(1 + x / 10.0);
  for (int a = 12; a < 64; ++a) orders.push_back(a);
  return orders;
}

double sampled_gaussian_rdp(double q, double sigma, double alpha) {
  if (!(q >= 0 && q <= 1))
    throw InvalidArgument("the sampling rate q must be in [0, 1], got " + format_double(q));
  if (!(sigma > 0) || !std::isfinite(sigma))
    throw InvalidArgument("the noise multiplier sigma must be a finite number > 0, got " +
                          format_double(sigma));
  if (!(alpha > 1)) throw InvalidArgument("the RDP order must be > 1, got " + format_double(alpha));
  if (q == 0) return 0;
  if (q == 1) return alpha / (2 * sigma * sigma);
  if (std::isinf(alpha)) return kInf;
  const bool integer = alpha == std::floor(alpha) && alpha < 1e9;
  const double log_a = integer ? log_a_integer(q, sigma, static_cast<int64_t>(alpha))
                               : log_a_fractional(q, sigma, alpha);
  // A_alpha >= 1 (a Renyi divergence is non-negative); rounding may leave it a hair below.
  return std::max(log_a, 0.0) / (alpha - 1);
}

RdpEpsilon rdp_to_epsilon(const std::vector<double>& orders, const std::vector<double>& rdp,
                          double delta) {
  check_delta(delta);
  check_orders(orders);
  if (orders.size() != rdp.size())
    throw InvalidArgument("RDP accountant: " + std::to_string(orders.size()) + " orders but " +
                          std::to_string(rdp.size()) + " RDP values");
  RdpEpsilon best{kInf, orders.front()};
  const double log_delta = std::log(delta);
  for (size_t i = 0; i < orders.size(); ++i) {
    const double a = orders[i];
    if (std::isnan(rdp[i]))
      throw InvalidArgument("RDP accountant: the RDP value at order " + format_double(a) +
                            " is NaN");
    if (rdp[i] < 0)
      throw InvalidArgument("RDP accountant: the RDP value at order " + format_double(a) +
                            " is negative: " + format_double(rdp[i]));
    const double eps = rdp[i] - (log_delta + std::log(a)) / (a - 1) + std::log((a - 1) / a);
    if (eps < best.epsilon) best = {eps, a};
  }
  // A negative bound (orders beyond 1/delta) still only says (0, delta)-DP.
  best.epsilon = std::max(best.epsilon, 0.0);
  return best;
}

RdpEpsilon dpsgd_epsilon(double q, double sigma, int64_t steps, double delta,
                         const std::vector<double>& orders) {
  check_steps(steps);
  check_delta(delta);
  check_orders(orders);
  std::vector<double> rdp(orders.size());
  for (size_t i = 0; i < orders.size(); ++i)
    rdp[i] = static_cast<double>(steps) * sampled_gaussian_rdp(q, sigma, orders[i]);
  return rdp_to_epsilon(orders, rdp, delta);
}

// epsilon falls strictly as sigma grows (each order's RDP does), so the smallest sufficient sigma
// is bracketed by doubling/halving from 1, then bisected until the bracket is 1e-5 relative wide;
// the upper end (whose epsilon is within the target) is returned.
double dpsgd_noise_multiplier(double q, int64_t steps, double epsilon, double delta,
                              const std::vector<double>& orders) {
  if (!(epsilon > 0) || !std::isfinite(epsilon))
    throw InvalidArgument("target epsilon must be a finite number > 0, got " +
                          format_double(epsilon));
  check_delta(delta);
  if (!(q > 0 && q <= 1))
    throw InvalidArgument("the sampling rate q must be in (0, 1], got " + format_double(q));
  check_steps(steps);
  check_orders(orders);
  // However large sigma is, the conversion leaves min over orders of
  // log((a-1)/a) - (log(delta) + log(a))/(a-1): a target at or below it is out of reach.
  const double floor =
      rdp_to_epsilon(orders, std::vector<double>(orders.size(), 0.0), delta).epsilon;
  if (epsilon <= floor)
    throw InvalidArgument("target epsilon " + format_double(epsilon) +
                          " cannot be reached with delta " + format_double(delta) +
                          " at these RDP orders: every noise level gives epsilon > " +
                          format_double(floor));
  auto within = [&](double sigma) {
    return dpsgd_epsilon(q, sigma, steps, delta, orders).epsilon <= epsilon;
  };
  double lo = 0, hi = 1;
  if (within(hi)) {
    lo = hi / 2;
    while (within(lo)) {
      hi = lo;
      lo /= 2;
      if (lo < 1e-6) return hi;  // a target so loose that almost no noise is needed
    }
  } else {
    do {
      lo = hi;
      hi *= 2;
      if (hi > 1e12)
        throw InvalidArgument("target epsilon " + format_double(epsilon) +
                              " needs a noise multiplier above 1e12");
    } while (!within(hi));
  }
  while (hi - lo > 1e-5 * hi) {
    const double mid = (lo + hi) / 2;
    (within(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace calm::privacy
