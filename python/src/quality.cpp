// The binding of calm::evaluate_quality (see quality.hpp). The schema comes from the real table,
// as in the engine's own reports; the GIL is released while the scores are computed.
#include "quality.hpp"

#include <string>

#include "calm/core/schema.hpp"
#include "calm/eval/quality.hpp"
#include "table_convert.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

std::string evaluate(const py::list& real_columns, const py::list& synthetic_columns,
                     bool pair_trends, bool diagnostic) {
  Table real = table_from_columns(real_columns);
  Table synthetic = table_from_columns(synthetic_columns);
  QualityOptions options;
  options.pair_trends = pair_trends;
  options.diagnostic = diagnostic;
  py::gil_scoped_release release;
  Schema schema = infer_schema(real);
  return to_json(evaluate_quality(real, synthetic, schema, options)).dump();
}

}  // namespace

void bind_quality(py::module_& m) {
  m.def("evaluate_quality", &evaluate, py::arg("real_columns"), py::arg("synthetic_columns"),
        py::arg("pair_trends") = true, py::arg("diagnostic") = true,
        "Scores a synthetic table against the real one; returns the report as JSON text.");
}

}  // namespace calm::bind
