// Vectorised exp for Private-PGM (McKenna, Sheldon & Miklau, ICML 2019) belief propagation:
// Cody-Waite reduction by ln 2 and a degree-13 Taylor polynomial on |r| <= ln2 / 2.
#if defined(__GNUC__) && !defined(__clang__)
// The selects below are branch-free only when comparisons may be speculated; no result changes.
#pragma GCC optimize("no-trapping-math")
#endif

#include "models/dp/pgm/fast_exp.hpp"

#include <bit>
#include <cstdint>

namespace calm::pgm {

#if defined(__x86_64__) && defined(__GNUC__)
#define CALM_PGM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CALM_PGM_CLONES
#endif

CALM_PGM_CLONES void exp_shifted(const double* __restrict in, double shift, double* __restrict out,
                                 size_t n) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 0.6931471803691238;  // ln 2 split so that k * kLn2Hi is exact
  constexpr double kLn2Lo = 1.9082149292705877e-10;
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
  constexpr double kLow = -708.0;
  for (size_t i = 0; i < n; ++i) {
    const double x0 = in[i] - shift;
    const double x = x0 > kLow ? x0 : kLow;
    const double t = x * kLog2e + kRound;
    const double k = t - kRound;
    const double r = (x - k * kLn2Hi) - k * kLn2Lo;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // 2^k from k's bits in the low mantissa of t.
    const int64_t ki = std::bit_cast<int64_t>(t) - std::bit_cast<int64_t>(kRound);
    const double v = p * std::bit_cast<double>((ki + 1023) << 52);
    out[i] = x0 > kLow ? v : 0.0;
  }
}

CALM_PGM_CLONES double max_value(const double* v, size_t n) {
  double m = v[0];
  for (size_t i = 1; i < n; ++i) m = v[i] > m ? v[i] : m;
  return m;
}

}  // namespace calm::pgm
