// Binding of the standalone injectors (include/calm/api/injectors.hpp) for the Python
// DriftInjector and ScenarioInjector: a table in, a new table out; configs as JSON text.
#include "inject.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "calm/api/injectors.hpp"
#include "calm/core/error.hpp"
#include "table_convert.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

Json parse_config(const std::string& text, const char* what) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw InvalidArgument(std::string(what) + " is not valid JSON: " + e.what());
  }
}

py::list apply_drift(const py::list& columns, const std::string& config_json,
                     std::optional<uint64_t> seed, std::optional<std::string> time_col,
                     std::optional<std::string> block_column,
                     std::optional<std::string> target_col) {
  const Table table = table_from_columns(columns);
  const Json config = parse_config(config_json, "drift config");
  const InjectOptions options{.seed = seed,
                              .time_col = std::move(time_col),
                              .block_column = std::move(block_column),
                              .target_col = std::move(target_col)};
  Table out;
  {
    py::gil_scoped_release release;
    out = inject_drift(table, config, options);
  }
  return columns_from_table(out);
}

py::list apply_dynamics(const py::list& columns, const std::string& config_json,
                        std::optional<uint64_t> seed) {
  const Table table = table_from_columns(columns);
  const Json config = parse_config(config_json, "dynamics config");
  Table out;
  {
    py::gil_scoped_release release;
    out = inject_dynamics(table, config, InjectOptions{.seed = seed});
  }
  return columns_from_table(out);
}

}  // namespace

void bind_injectors(py::module_& m) {
  m.def("apply_drift", &apply_drift, py::arg("columns"), py::arg("config_json"),
        py::arg("seed") = py::none(), py::arg("time_col") = py::none(),
        py::arg("block_column") = py::none(), py::arg("target_col") = py::none(),
        "Applies a drift_injection_config to column tuples; returns new column tuples.");
  m.def("apply_dynamics", &apply_dynamics, py::arg("columns"), py::arg("config_json"),
        py::arg("seed") = py::none(),
        "Applies a dynamics_config to column tuples; returns new column tuples.");
  m.def(
      "drift_methods", [] { return drift_catalogue().dump(); },
      "JSON text: every drift method, its summary and parameters.");
}

}  // namespace calm::bind
