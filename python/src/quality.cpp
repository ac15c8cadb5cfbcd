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
#include "calm/eval/sequence_metrics.hpp"
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
                                 std::optional<py::list> holdout_columns,
                                 std::optional<std::string> sequence_key,
                                 std::optional<std::string> time_col) {
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
  request.sequence_key = std::move(sequence_key);
  request.time_col = std::move(time_col);
  return write_reports(request, Logger(LogLevel::quiet, Logger::Sink{}));
}

// The key is an id, as the engine's sequence methods read it.
std::string sequences(const py::list& real_columns, const py::list& synthetic_columns,
                      const std::string& sequence_key, std::optional<std::string> time_col,
                      std::optional<std::vector<std::string>> context_columns, bool row_quality,
                      uint64_t seed) {
  Table real = table_from_columns(real_columns);
  Table synthetic = table_from_columns(synthetic_columns);
  py::gil_scoped_release release;
  SchemaOptions schema_options;
  if (real.has(sequence_key)) schema_options.overrides.try_emplace(sequence_key, SemanticType::id);
  Schema schema = infer_schema(real, schema_options);
  SequenceMetricsOptions options;
  options.sequence_key = sequence_key;
  options.time_col = std::move(time_col);
  options.context_columns = std::move(context_columns);
  options.row_quality = row_quality;
  options.seed = seed;
  return to_json(evaluate_sequences(real, synthetic, schema, options)).dump();
}

}  // namespace

void bind_quality(py::module_& m) {
  m.def("evaluate_quality", &evaluate, py::arg("real_columns"), py::arg("synthetic_columns"),
        py::arg("pair_trends") = true, py::arg("diagnostic") = true,
        "Scores a synthetic table against the real one; returns the report as JSON text.");
  m.def("write_reports", &reports, py::arg("real_columns"), py::arg("synthetic_columns"),
        py::arg("output_dir"), py::arg("generator_name"), py::arg("target_col") = py::none(),
        py::arg("minimal") = false, py::arg("adversarial_validation") = false, py::arg("seed") = 0,
        py::arg("holdout_columns") = py::none(), py::arg("sequence_key") = py::none(),
        py::arg("time_col") = py::none(),
        "Writes the quality reports into output_dir; returns the paths. holdout_columns: real "
        "rows the synthesizer never saw (membership inference, ML efficacy's test set); "
        "sequence_key (and time_col): the sequence metrics and trajectory plots.");
  m.def("evaluate_sequences", &sequences, py::arg("real_columns"), py::arg("synthetic_columns"),
        py::arg("sequence_key"), py::arg("time_col") = py::none(),
        py::arg("context_columns") = py::none(), py::arg("row_quality") = true, py::arg("seed") = 0,
        "The sequence metrics (docs/sequences.md) of a synthetic multi-entity table against the "
        "real one; returns the report as JSON text.");
}

}  // namespace calm::bind
