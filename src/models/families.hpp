// The models layer's face: one registration function per method family (src/models/<family>/),
// called by the api layer (src/api/builtin_methods.cpp). Nothing else of a family is visible
// outside its folder.
#pragma once

#include "calm/core/registry.hpp"

namespace calm {

void register_resample_methods(Registry& r);      // resample/
void register_copula_methods(Registry& r);        // copula/
void register_fcs_methods(Registry& r);           // fcs/: cart, rf, lgbm
void register_mixture_methods(Registry& r);       // mixture/: gmm
void register_oversampling_methods(Registry& r);  // oversampling/: smote, adasyn
void register_deep_methods(
    Registry& r);  // deep/ (libtorch plugin): ctgan, tvae, copulagan, diffusion

}  // namespace calm
