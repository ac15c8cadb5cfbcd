// calm_data_generator._calm: the native half of the Python package. Everything user-facing
// (signatures, pandas conversion, docstrings) is in the pure-Python layer; this module exposes the
// engine through a few coarse calls that each move whole tables.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "calm/calm.hpp"
#include "errors.hpp"
#include "generate.hpp"
#include "inject.hpp"
#include "quality.hpp"
#include "table_convert.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

py::list read_csv_columns(const std::string& path) {
  Table table;
  {
    py::gil_scoped_release release;
    table = read_csv(path);
  }
  return columns_from_table(table);
}

}  // namespace
}  // namespace calm::bind

PYBIND11_MODULE(_calm, m) {
  using namespace calm::bind;
  m.doc() = "Native core of calm_data_generator (the calm C++ engine).";
  m.attr("__version__") = CALM_VERSION;
  register_error_translator();
  m.def(
      "methods_json", [] { return calm::method_registry().to_json().dump(); },
      "Every registered synthesis method and its model_params (Registry::to_json).");
  m.def("generate_option_names", &calm::GenerateOptions::option_names,
        "Every key GenerateOptions::from_json accepts.");
  m.def(
      "generate_options_json", [] { return calm::GenerateOptions::declaration_json().dump(); },
      "generate()'s options as declared once in the engine: [{name, type, default, required, doc, "
      "python, cli, column}].");
  m.def("read_csv", &read_csv_columns, py::arg("path"),
        "Reads a CSV file with calm's reader; returns column tuples.");
  bind_generator(m);
  bind_quality(m);
  bind_injectors(m);
}
