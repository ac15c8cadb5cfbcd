// The `device` parameter every libtorch method declares, in one place.
#pragma once

#include <string>

#include "calm/core/params.hpp"

namespace calm {

// `device` in {cpu, cuda}, default cpu. `doc_prefix` names the methods when one spec serves
// several (e.g. "pate_ctgan/dpctgan: ").
ParamDef device_param_def(const std::string& doc_prefix = "");

}  // namespace calm
