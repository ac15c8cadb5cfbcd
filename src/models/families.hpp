// One registration function per method family (src/models/<family>/).
#pragma once

#include "calm/core/registry.hpp"

namespace calm {

void register_resample_methods(Registry& r);      // resample/
void register_copula_methods(Registry& r);        // copula/
void register_fcs_methods(Registry& r);           // fcs/: cart, rf, lgbm
void register_mixture_methods(Registry& r);       // mixture/: gmm
void register_oversampling_methods(Registry& r);  // oversampling/: smote, adasyn
void register_boosted_methods(Registry& r);       // boosted/: lgbm
void register_deep_methods(
    Registry& r);  // deep/ (libtorch plugin): ctgan, tvae, copulagan, diffusion

}  // namespace calm
