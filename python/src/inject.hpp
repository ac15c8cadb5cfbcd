// _calm.apply_drift() / _calm.apply_dynamics(): the standalone injectors over column tuples.
#pragma once

#include <pybind11/pybind11.h>

namespace calm::bind {

void bind_injectors(pybind11::module_& m);

}  // namespace calm::bind
