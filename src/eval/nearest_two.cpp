// Dispatch of nearest_two to the AVX2 + FMA build of its tile loop when the CPU has them, else
// to the baseline build (see nearest_two_kernel.inc). The distances returned are the exact double
// re-measurements either way.
#include "eval/nearest_two.hpp"

namespace calm::eval {

bool cpu_has_avx2() {
#if defined(__x86_64__) && defined(CALM_HAVE_AVX2_KERNEL)
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}

NearestTwo nearest_two(const std::vector<double>& reference, const std::vector<double>& queries,
                       size_t dim, int threads) {
#if defined(CALM_HAVE_AVX2_KERNEL)
  if (cpu_has_avx2()) return avx2::nearest_two(reference, queries, dim, threads);
#endif
  return generic::nearest_two(reference, queries, dim, threads);
}

}  // namespace calm::eval
