// nearest_two's tile loop with the build's instruction set (see nearest_two_kernel.inc).
#define CALM_NEAREST_NAMESPACE generic
#include "eval/nearest_two_kernel.inc"
