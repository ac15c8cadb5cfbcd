// nearest_two's tile loop with AVX2 + FMA (this file is compiled with -mavx2 -mfma; see
// nearest_two_kernel.inc). Eigen's namespace is renamed here so that none of its inline template
// instances, compiled for AVX2, can stand in for the baseline ones elsewhere in the engine.
#define Eigen calm_eigen_avx2
#define CALM_NEAREST_NAMESPACE avx2
#include "eval/nearest_two_kernel.inc"
