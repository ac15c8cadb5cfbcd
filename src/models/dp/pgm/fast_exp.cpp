// Vectorised exp for Private-PGM (McKenna, Sheldon & Miklau, ICML 2019) belief propagation:
// Cody-Waite reduction by ln 2 and the degree-13 Taylor polynomial on |r| <= ln2 / 2.
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
    // Estrin's scheme: the same polynomial as Horner's in a quarter of the dependent steps.
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double q0 = 1.0 + r, q1 = 0.5 + r * (1.0 / 6), q2 = 1.0 / 24 + r * (1.0 / 120),
                 q3 = 1.0 / 720 + r * (1.0 / 5040), q4 = 1.0 / 40320 + r * (1.0 / 362880),
                 q5 = 1.0 / 3628800 + r * (1.0 / 39916800),
                 q6 = 1.0 / 479001600 + r * (1.0 / 6227020800);
    const double p = (q0 + r2 * q1 + r4 * (q2 + r2 * q3)) + r8 * (q4 + r2 * q5 + r4 * q6);
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
