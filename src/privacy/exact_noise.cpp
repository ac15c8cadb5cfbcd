// Exact discrete noise (see exact_noise.hpp): Canonne, Kamath & Steinke (NeurIPS 2020),
// Algorithms 1 (Bernoulli(exp(-gamma))), 2 (discrete Laplace) and 3 (discrete Gaussian), with
// rationals in __int128 and uniform integers from the Philox stream; no floating point touches a
// sample.
#include "privacy/exact_noise.hpp"

#include <cmath>
#include <string>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm::privacy {
namespace {

using i128 = __int128;
using u128 = unsigned __int128;

// Uniform integer in [0, n) for 0 < n < 2^127, unbiased (rejection on 128 random bits).
i128 uniform_below(i128 n, Rng& rng) {
  const u128 un = static_cast<u128>(n);
  if (un <= UINT64_MAX) return static_cast<i128>(rng.below(static_cast<uint64_t>(un)));
  const u128 limit = (~u128{0}) - ((~u128{0}) % un + 1) % un;  // largest multiple of n, minus 1
  for (;;) {
    const u128 x = (static_cast<u128>(rng.next_u64()) << 64) | rng.next_u64();
    if (x <= limit) return static_cast<i128>(x % un);
  }
}

bool bernoulli(i128 num, i128 den, Rng& rng) {
  return uniform_below(den, rng) < num;
}

// Bernoulli(exp(-num/den)) for 0 <= num/den <= 1 (CKS Algorithm 1, first case): the parity of the
// first K with Bernoulli(gamma / K) failing.
bool bernoulli_exp_unit(i128 num, i128 den, Rng& rng) {
  i128 k = 1;
  for (;;) {
    if (!bernoulli(num, den * k, rng)) return k % 2 == 1;
    ++k;
  }
}

// num/den >= x as the smallest rational with denominator 2^bits (rounded up: more noise).
Rational round_up(double x, int bits) {
  const double scaled = std::ceil(std::ldexp(x, bits));
  return {static_cast<i128>(scaled), i128{1} << bits};
}

double to_double(const Rational& r) {
  return static_cast<double>(r.num) / static_cast<double>(r.den);
}

}  // namespace

bool bernoulli_exp(const Rational& gamma, Rng& rng) {
  i128 num = gamma.num;
  const i128 den = gamma.den;
  // exp(-gamma) = exp(-1)^floor(gamma) * exp(-frac(gamma)); stop at the first failure.
  while (num > den) {
    if (!bernoulli_exp_unit(1, 1, rng)) return false;
    num -= den;
  }
  return bernoulli_exp_unit(num, den, rng);
}

DiscreteLaplace::DiscreteLaplace(double scale) {
  if (!(scale > 0) || !std::isfinite(scale) || scale > 1e12)
    throw InvalidArgument("discrete Laplace scale must be in (0, 1e12], got " +
                          std::to_string(scale));
  scale_ = round_up(scale, 20);
}

double DiscreteLaplace::scale() const {
  return to_double(scale_);
}

// CKS Algorithm 2 draws from the discrete Laplace of scale t/s: here t = scale_.num,
// s = scale_.den.
int64_t DiscreteLaplace::operator()(Rng& rng) const {
  const i128 t = scale_.num, s = scale_.den;
  for (;;) {
    const i128 u = uniform_below(t, rng);
    if (!bernoulli_exp({u, t}, rng)) continue;
    i128 v = 0;
    while (bernoulli_exp({1, 1}, rng)) ++v;
    const i128 x = u + t * v;
    const i128 y = x / s;
    const bool negative = rng.below(2) == 1;
    if (negative && y == 0) continue;
    return static_cast<int64_t>(negative ? -y : y);
  }
}

// sigma2 = num / 2^bits with bits chosen so that the test of Algorithm 3 stays within int128:
// its numerator (|Y| d t - n)^2 and denominator 2 n d t^2 grow like sigma^4 d^2; with sigma^2 <=
// 1e14 and d <= 2^16 / sigma-ish they stay below 2^120 for |Y| up to 40 sigma (a discrete Laplace
// draw beyond that has probability below e^-40 and is simply rejected and redrawn).
DiscreteGaussian::DiscreteGaussian(double sigma2) {
  if (!(sigma2 > 0) || !(sigma2 <= 1e14))
    throw InvalidArgument("discrete Gaussian sigma^2 must be in (0, 1e14], got " +
                          format_double(sigma2));
  const int bits = sigma2 < 1 ? 24 : sigma2 < 1e6 ? 16 : 8;
  sigma2_ = round_up(sigma2, bits);
  t_ = static_cast<int64_t>(std::floor(std::sqrt(to_double(sigma2_)))) + 1;
}

double DiscreteGaussian::sigma2() const {
  return to_double(sigma2_);
}

int64_t DiscreteGaussian::operator()(Rng& rng) const {
  const i128 n = sigma2_.num, d = sigma2_.den, t = t_;
  const DiscreteLaplace lap(static_cast<double>(t_));
  const i128 ymax = 40 * t + 40;
  for (;;) {
    const int64_t y = lap(rng);
    const i128 ay = y < 0 ? -static_cast<i128>(y) : y;
    if (ay > ymax) continue;
    // Accept with exp(-(|y| - sigma^2/t)^2 / (2 sigma^2)) = exp(-(|y| d t - n)^2 / (2 n d t^2)).
    const i128 diff = ay * d * t - n;
    if (bernoulli_exp({diff * diff, 2 * n * d * t * t}, rng)) return y;
  }
}

}  // namespace calm::privacy
