// The binding of calm::RealGenerator::run. The engine runs without the GIL; its log records are
// forwarded to a Python callable, which re-acquires the GIL for each record (records may come from
// OpenMP worker threads too).
#include "generate.hpp"

#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>

#include "calm/api/real_block_generator.hpp"
#include "calm/api/real_generator.hpp"
#include "calm/core/error.hpp"
#include "calm/core/log.hpp"
#include "table_convert.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

LogLevel log_level_from_python(int level) {
  // logging's numeric levels are calm's: DEBUG 10, INFO 20, WARNING 30, ERROR 40.
  if (level <= static_cast<int>(LogLevel::debug)) return LogLevel::debug;
  if (level <= static_cast<int>(LogLevel::info)) return LogLevel::info;
  if (level <= static_cast<int>(LogLevel::warning)) return LogLevel::warning;
  if (level <= static_cast<int>(LogLevel::error)) return LogLevel::error;
  return LogLevel::quiet;
}

// The sink holds a borrowed pointer: the caller's py::object outlives the engine run, and taking
// no reference means the sink can be copied and destroyed without the GIL.
Logger::Sink python_sink(PyObject* callback) {
  return [callback](LogLevel level, const std::string& message) {
    py::gil_scoped_acquire gil;
    try {
      py::handle fn(callback);
      fn(static_cast<int>(level), message);
    } catch (py::error_already_set& e) {
      // A failing log handler must not abort synthesis; Python reports it as unraisable.
      e.discard_as_unraisable("calm_data_generator log sink");
    }
  };
}

py::tuple run_generator(bool auto_report, bool minimal_report, std::optional<uint64_t> random_state,
                        const py::object& log_callback, int log_level, const py::list& columns,
                        const std::string& options_json, const std::string& blocks_json) {
  Table data = table_from_columns(columns);
  Json config;
  try {
    config = Json::parse(options_json);
  } catch (const Json::exception& e) {
    throw InvalidArgument(std::string("generate() options are not valid JSON: ") + e.what());
  }
  GenerateOptions options = GenerateOptions::from_json(config);
  // RealBlockGenerator: {"block_column", "block_sizes", "skip_small_blocks"}; empty =
  // RealGenerator.
  std::optional<BlockOptions> blocks;
  if (!blocks_json.empty()) {
    Json b = Json::parse(blocks_json);
    BlockOptions bo;
    bo.block_column = b.at("block_column").get<std::string>();
    bo.block_sizes = b.value("block_sizes", Json());
    bo.skip_small_blocks = b.value("skip_small_blocks", false);
    blocks = bo;
  }

  GeneratorSettings settings;
  settings.auto_report = auto_report;
  settings.minimal_report = minimal_report;
  settings.random_state = random_state;
  settings.logger = log_callback.is_none()
                        ? std::make_shared<Logger>(LogLevel::quiet, Logger::Sink{})
                        : std::make_shared<Logger>(log_level_from_python(log_level),
                                                   python_sink(log_callback.ptr()));
  GenerateResult result;
  {
    py::gil_scoped_release release;
    if (blocks)
      result = RealBlockGenerator(settings).run(data, options, *blocks);
    else
      result = RealGenerator(settings).run(data, options);
  }
  return py::make_tuple(columns_from_table(result.synthetic), py::cast(result.files), result.seed);
}

}  // namespace

void bind_generator(py::module_& m) {
  m.def("generate", &run_generator, py::arg("auto_report"), py::arg("minimal_report"),
        py::arg("random_state"), py::arg("log_callback"), py::arg("log_level"), py::arg("columns"),
        py::arg("options_json"), py::arg("blocks_json") = std::string(),
        "Runs calm::RealGenerator (or RealBlockGenerator when blocks_json is given) on column "
        "tuples; returns (columns, files written, seed used).");
}

}  // namespace calm::bind
