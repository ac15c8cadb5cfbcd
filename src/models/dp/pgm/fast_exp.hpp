// The exponentials of Private-PGM's belief propagation (McKenna, Sheldon & Miklau, ICML 2019),
// which dominate its cost: a loop the compiler vectorises, with the same IEEE operations (no
// fused multiply-add) in its AVX2 and baseline builds, so results do not depend on the CPU.
#pragma once

#include <cstddef>

namespace calm::pgm {

// out[i] = exp(in[i] - shift) for in[i] - shift <= 0 (relative error below 3e-16); 0 where
// in[i] - shift < -708 (under 1e-307: below what any count can show). in and out may not overlap.
void exp_shifted(const double* in, double shift, double* out, size_t n);
// Largest of n >= 1 values (none NaN).
double max_value(const double* v, size_t n);

}  // namespace calm::pgm
