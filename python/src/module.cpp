// calm_data_generator._calm: the native half of the Python package. Everything user-facing
// (signatures, pandas conversion, docstrings) is in the pure-Python layer; this module exposes the
// engine through a few coarse calls that each move whole tables.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "calm/calm.hpp"
#include "calm/io/table_sink.hpp"
#include "cells.hpp"
#include "errors.hpp"
#include "generate.hpp"
#include "inject.hpp"
#include "partitioned_fit.hpp"
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

// A table from a CSV file, a SQLite file or a PostgreSQL URL (table or query).
py::list read_table_columns(const std::string& source, std::optional<std::string> table,
                            std::optional<std::string> query) {
  SourceOptions options;
  options.table = std::move(table);
  options.query = std::move(query);
  Table t;
  {
    py::gil_scoped_release release;
    t = read_table(source, options);
  }
  return columns_from_table(t);
}

// Writes column tuples to a sink target (CSV file, SQLite, PostgreSQL) atomically.
void write_table_columns(const py::list& columns, const std::string& target,
                         const std::string& table, const std::string& if_exists) {
  const Table t = table_from_columns(columns);
  SinkOptions options;
  options.table = table;
  options.if_exists = if_exists_from_string(if_exists);
  py::gil_scoped_release release;
  auto sink = open_sink(target, options);
  sink->write(t);
  sink->commit();
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
  m.def("read_table", &read_table_columns, py::arg("source"), py::arg("table") = py::none(),
        py::arg("query") = py::none(),
        "Reads a CSV file, a SQLite file or a PostgreSQL URL (table or query); column tuples.");
  m.def("write_table", &write_table_columns, py::arg("columns"), py::arg("target"),
        py::arg("table") = std::string(), py::arg("if_exists") = std::string("fail"),
        "Writes column tuples to a CSV file, a SQLite table or a PostgreSQL table, atomically.");
  bind_generator(m);
  bind_cells(m);
  bind_partitioned_fit(m);
  bind_quality(m);
  bind_injectors(m);
}
