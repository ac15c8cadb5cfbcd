// The model_params of `cart` and `rf` (declared once, with the seed's aliases) and their
// translation into FcsOptions.
#pragma once

#include "calm/core/params.hpp"
#include "models/fcs/fcs_engine.hpp"

namespace calm::fcs {

ParamSpec cart_param_spec();
ParamSpec rf_param_spec();
FcsOptions cart_options(const Params& p);
FcsOptions rf_options(const Params& p);

}  // namespace calm::fcs
