// _calm's stages of fitting from partitions (calm/api/partitioned_fit.hpp), used by
// calm_data_generator.distributed.fit and .spark.fit: bytes in, bytes out, GIL released.
#include "partitioned_fit.hpp"

#include <string>

#include "calm/api/partitioned_fit.hpp"
#include "calm/core/error.hpp"
#include "generate.hpp"
#include "table_convert.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

using Merge = std::string (*)(std::string_view, std::string_view);

py::bytes merged(const py::bytes& a, const py::bytes& b, Merge merge) {
  const std::string left = a, right = b;
  std::string out;
  {
    py::gil_scoped_release release;
    out = merge(left, right);
  }
  return py::bytes(out);
}

Json parse_json(const std::string& text, const char* what) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw InvalidArgument(std::string(what) + " are not valid JSON: " + e.what());
  }
}

}  // namespace

void bind_partitioned_fit(py::module_& m) {
  m.def("partitioned_fit_supports", &partitioned_fit::supports, py::arg("method"));
  m.def(
      "partition_sketch",
      [](const py::list& columns) {
        const Table t = table_from_columns(columns);
        std::string out;
        {
          py::gil_scoped_release release;
          out = partitioned_fit::sketch(t);
        }
        return py::bytes(out);
      },
      py::arg("columns"), "The sketch of one partition (column tuples).");
  m.def(
      "merge_sketches",
      [](const py::bytes& a, const py::bytes& b) {
        return merged(a, b, &partitioned_fit::merge_sketches);
      },
      py::arg("a"), py::arg("b"));
  m.def(
      "partition_plan",
      [](const py::bytes& sketch, const std::string& options_json, uint64_t seed,
         const py::object& log_callback, int log_level) {
        const std::string s = sketch;
        const Json options = parse_json(options_json, "fit options");
        auto log = python_logger(log_callback, log_level);
        std::string out;
        {
          py::gil_scoped_release release;
          out = partitioned_fit::plan(s, options, seed, *log);
        }
        return py::bytes(out);
      },
      py::arg("sketch"), py::arg("options_json"), py::arg("seed"), py::arg("log_callback"),
      py::arg("log_level"), "Checks the fit options on the merged sketch; the plan's bytes.");
  m.def(
      "partition_moments",
      [](const py::bytes& plan, const py::list& columns, uint64_t index) {
        const std::string p = plan;
        const Table t = table_from_columns(columns);
        std::string out;
        {
          py::gil_scoped_release release;
          out = partitioned_fit::moments(p, t, index);
        }
        return py::bytes(out);
      },
      py::arg("plan"), py::arg("columns"), py::arg("index"));
  m.def(
      "merge_moments",
      [](const py::bytes& a, const py::bytes& b) {
        return merged(a, b, &partitioned_fit::merge_moments);
      },
      py::arg("a"), py::arg("b"));
  m.def(
      "save_partitioned_model",
      [](const py::bytes& plan, const py::bytes& moments, const std::string& front_end_info,
         const std::string& path, const py::object& log_callback, int log_level) {
        const std::string p = plan, mo = moments;
        auto log = python_logger(log_callback, log_level);
        py::gil_scoped_release release;
        partitioned_fit::save_model(p, mo, front_end_info, path, *log);
      },
      py::arg("plan"), py::arg("moments"), py::arg("front_end_info"), py::arg("path"),
      py::arg("log_callback"), py::arg("log_level"), "Writes the model file atomically.");
}

}  // namespace calm::bind
