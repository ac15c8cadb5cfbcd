// The models layer's face: one registration function per method family (src/models/<family>/),
// called by the api layer (src/api/builtin_methods.cpp). Nothing else of a family is visible
// outside its folder.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calm/core/registry.hpp"

namespace calm {

void register_resample_methods(Registry& r);      // resample/
void register_copula_methods(Registry& r);        // copula/
void register_fcs_methods(Registry& r);           // fcs/: cart, rf, lgbm
void register_mixture_methods(Registry& r);       // mixture/: gmm
void register_oversampling_methods(Registry& r);  // oversampling/: smote, adasyn
void register_sequence_methods(Registry& r);      // sequence/: copula_temporal
void register_deep_methods(
    Registry& r);  // deep/ (libtorch plugin): ctgan, tvae, copulagan, diffusion

// The `dp` method's GAN synth_types (pate_ctgan, dpctgan) live in the deep family's plugin; the
// api layer hands them to the dp family when libtorch is built in (else they say so when asked).
struct DpGanHooks {
  std::vector<ParamDef> params;  // their model_params, merged into dp's ParamSpec
  // A fresh synthesizer for "pate_ctgan" or "dpctgan"; fit() receives dp's resolved params.
  std::function<std::unique_ptr<Synthesizer>(const std::string& synth_type)> create;
};
DpGanHooks dp_gan_hooks();  // deep/
// dp/: dp (mst, aim, mwem, and the GAN synth_types through `gans` when given), datasynth
void register_dp_methods(Registry& r, const DpGanHooks* gans);

}  // namespace calm
