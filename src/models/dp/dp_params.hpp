// The model_params of the DP methods, declared once (names, aliases, defaults, ranges, docs).
#pragma once

#include <vector>

#include "calm/core/params.hpp"

namespace calm {

// epsilon, delta, preprocessor_eps, bounds, domain, bins: what every DP method takes.
std::vector<ParamDef> dp_common_params(double default_epsilon, int default_bins);
// dp's own: synth_type and the mst/aim/mwem parameters (the GAN ones come from the deep family).
std::vector<ParamDef> dp_marginal_params();
std::vector<std::string> dp_synth_types();

}  // namespace calm
