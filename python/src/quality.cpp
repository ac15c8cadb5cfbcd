// The binding of calm::evaluate_quality (see quality.hpp). The schema comes from the real table,
// as in the engine's own reports; the GIL is released while the scores are computed.
#include "quality.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "calm/core/log.hpp"
#include "calm/core/schema.hpp"
#include "calm/eval/quality.hpp"
#include "calm/report/reports.hpp"
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

std::vector<std::string> reports(const py::list& real_columns, const py::list& synthetic_columns,
                                 const std::string& output_dir, const std::string& generator_name,
                                 std::optional<std::string> target_col, bool minimal,
                                 bool adversarial_validation, uint64_t seed,
                                 std::optional<py::list> holdout_columns) {
  Table real = table_from_columns(real_columns);
  Table synthetic = table_from_columns(synthetic_columns);
  std::optional<Table> holdout;
  if (holdout_columns) holdout = table_from_columns(*holdout_columns);
  py::gil_scoped_release release;
  Schema schema = infer_schema(real);
  ReportRequest request{real, synthetic, schema};
  request.target_col = std::move(target_col);
  request.output_dir = output_dir;
  request.generator_name = generator_name;
  request.minimal = minimal;
  request.adversarial_validation = adversarial_validation;
  request.seed = seed;
  if (holdout) request.holdout = &*holdout;
  return write_reports(request, Logger(LogLevel::quiet, Logger::Sink{}));
}

}  // namespace

void bind_quality(py::module_& m) {
  m.def("evaluate_quality", &evaluate, py::arg("real_columns"), py::arg("synthetic_columns"),
        py::arg("pair_trends") = true, py::arg("diagnostic") = true,
        "Scores a synthetic table against the real one; returns the report as JSON text.");
  m.def("write_reports", &reports, py::arg("real_columns"), py::arg("synthetic_columns"),
        py::arg("output_dir"), py::arg("generator_name"), py::arg("target_col") = py::none(),
        py::arg("minimal") = false, py::arg("adversarial_validation") = false, py::arg("seed") = 0,
        py::arg("holdout_columns") = py::none(),
        "Writes the quality reports into output_dir; returns the paths. holdout_columns: real "
        "rows the synthesizer never saw (membership inference, ML efficacy's test set).");
}

}  // namespace calm::bind
