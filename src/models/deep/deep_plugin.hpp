// The deep methods (ctgan, tvae, copulagan, diffusion) live in a plugin, libcalm_deep.so, that
// links libtorch. The engine, CLI and Python extension load it with dlopen the first time a deep
// method is created, so that every other command starts without loading libtorch and the ~290
// shared libraries it pulls in (0.4-1 s per process). Declarations and parameters of the deep
// methods stay in the engine (register_deep.cpp, deep_params.cpp): `calm methods` and parameter
// validation need no plugin.
#pragma once

#include <memory>
#include <string>

#include "calm/core/synthesizer.hpp"

namespace calm {

// A fresh, unfitted deep synthesizer. NotAvailable (with every path tried and the loader's error)
// when the plugin cannot be found or loaded, or was built from another build of calm.
std::unique_ptr<Synthesizer> create_deep_synthesizer(const std::string& method);

}  // namespace calm
