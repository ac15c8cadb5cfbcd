// One registration function per method family (src/models/<family>/).
#pragma once

#include "calm/core/registry.hpp"

namespace calm {

void register_resample_methods(Registry& r);  // resample/
void register_copula_methods(Registry& r);    // copula/
void register_fcs_methods(Registry& r);       // fcs/: cart, rf, lgbm

}  // namespace calm
