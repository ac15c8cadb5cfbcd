// _calm.generate_cells() and _calm.runs_on_cells(): AnnData input on the single-cell methods'
// sparse path (calm::generate_cells), GIL released while it runs.
#pragma once

#include <pybind11/pybind11.h>

namespace calm::bind {

void bind_cells(pybind11::module_& m);

}  // namespace calm::bind
