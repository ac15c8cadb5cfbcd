// _calm.evaluate_quality(): calm::evaluate_quality (SDMetrics QualityReport/DiagnosticReport
// scores) over two tables of column tuples, returned as the engine's JSON text.
#pragma once

#include <pybind11/pybind11.h>

namespace calm::bind {

void bind_quality(pybind11::module_& m);

}  // namespace calm::bind
