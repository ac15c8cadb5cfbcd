// _calm.generate(): calm::RealGenerator::run over column tuples, GIL released while it runs.
#pragma once

#include <pybind11/pybind11.h>

namespace calm::bind {

void bind_generator(pybind11::module_& m);

}  // namespace calm::bind
