// The binding of calm::RealGenerator::run, and of the fitted model it keeps (_calm.Model: save,
// load, sample; docs/persistence.md). The engine runs without the GIL; its log records are
// forwarded to a Python callable, which re-acquires the GIL for each record (records may come from
// OpenMP worker threads too).
#include "generate.hpp"

#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>

#include "calm/api/real_block_generator.hpp"
#include "calm/api/real_generator.hpp"
#include "calm/api/row_stream.hpp"
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

// A fitted model held by Python: a generator holding it with a silent logger, because the
// logger of the run that fitted it forwards to a Python callable that may be gone by now. Each
// sample() call runs with the Python object's current settings and logger.
struct Model {
  std::shared_ptr<const RealGenerator> generator;
};

GeneratorSettings silent_settings() {
  GeneratorSettings settings;
  settings.logger = std::make_shared<Logger>(LogLevel::quiet, Logger::Sink{});
  return settings;
}

py::tuple sample_model(const Model& model, bool auto_report, bool minimal_report,
                       std::optional<uint64_t> random_state, const py::object& log_callback,
                       int log_level, const std::string& options_json,
                       const py::object& real_columns) {
  GenerateOptions options = parse_options(options_json);
  std::optional<Table> real;
  if (!real_columns.is_none()) real = table_from_columns(real_columns.cast<py::list>());
  RealGenerator g = model.generator->with_settings(
      make_settings(auto_report, minimal_report, random_state, log_callback, log_level));
  GenerateResult result;
  {
    py::gil_scoped_release release;
    result = g.run_fitted(options, real ? &*real : nullptr);
  }
  return py::make_tuple(columns_from_table(result.synthetic), py::cast(result.files), result.seed);
}

py::tuple run_generator(bool auto_report, bool minimal_report, std::optional<uint64_t> random_state,
                        const py::object& log_callback, int log_level, const py::list& columns,
                        const std::string& options_json) {
  const Table data = table_from_columns(columns);
  const GenerateOptions options = parse_options(options_json);
  auto generator = std::make_shared<RealGenerator>(
      make_settings(auto_report, minimal_report, random_state, log_callback, log_level));
  GenerateResult result;
  {
    py::gil_scoped_release release;
    result = generator->run(data, options);
  }
  const Model model{std::make_shared<RealGenerator>(generator->with_settings(silent_settings()))};
  return py::make_tuple(columns_from_table(result.synthetic), py::cast(result.files), result.seed,
                        py::cast(model));
}

// RealBlockGenerator: block_sizes {block label: rows} or None (each block its real size).
py::tuple run_block_generator(bool auto_report, bool minimal_report,
                              std::optional<uint64_t> random_state, const py::object& log_callback,
                              int log_level, const py::list& columns,
                              const std::string& options_json, const std::string& block_column,
                              const std::optional<std::map<std::string, int64_t>>& block_sizes,
                              bool skip_small_blocks) {
  const Table data = table_from_columns(columns);
  const GenerateOptions options = parse_options(options_json);
  BlockOptions blocks;
  blocks.block_column = block_column;
  if (block_sizes) blocks.block_sizes = Json(*block_sizes);
  blocks.skip_small_blocks = skip_small_blocks;
  RealBlockGenerator generator(
      make_settings(auto_report, minimal_report, random_state, log_callback, log_level));
  GenerateResult result;
  {
    py::gil_scoped_release release;
    result = generator.run(data, options, blocks);
  }
  return py::make_tuple(columns_from_table(result.synthetic), py::cast(result.files), result.seed);
}

// A RowStream over a Model (StreamGenerator): the model, the real table and the logger are held
// for as long as the stream.
struct Stream {
  std::shared_ptr<const RealGenerator> generator;
  std::shared_ptr<Table> real;
  std::unique_ptr<RowStream> rows;
};

Stream open_stream(const Model& model, std::optional<uint64_t> random_state,
                   const py::object& log_callback, int log_level, const std::string& options_json,
                   const py::object& real_columns) {
  Stream s;
  s.generator = std::make_shared<RealGenerator>(model.generator->with_settings(
      make_settings(false, false, random_state, log_callback, log_level)));
  if (!real_columns.is_none())
    s.real = std::make_shared<Table>(table_from_columns(real_columns.cast<py::list>()));
  GenerateOptions options = parse_options(options_json);
  py::gil_scoped_release release;
  s.rows = std::make_unique<RowStream>(*s.generator, std::move(options), s.real.get());
  return s;
}

}  // namespace

GenerateOptions parse_options(const std::string& options_json) {
  Json config;
  try {
    config = Json::parse(options_json);
  } catch (const Json::exception& e) {
    throw InvalidArgument(std::string("generate() options are not valid JSON: ") + e.what());
  }
  return GenerateOptions::from_json(config);
}

GeneratorSettings make_settings(bool auto_report, bool minimal_report,
                                std::optional<uint64_t> random_state,
                                const py::object& log_callback, int log_level) {
  GeneratorSettings settings;
  settings.auto_report = auto_report;
  settings.minimal_report = minimal_report;
  settings.random_state = random_state;
  settings.logger = python_logger(log_callback, log_level);
  return settings;
}

std::shared_ptr<Logger> python_logger(const py::object& log_callback, int log_level) {
  return log_callback.is_none() ? std::make_shared<Logger>(LogLevel::quiet, Logger::Sink{})
                                : std::make_shared<Logger>(log_level_from_python(log_level),
                                                           python_sink(log_callback.ptr()));
}

void bind_generator(py::module_& m) {
  py::class_<Stream>(m, "RowStream", "Row ranges of an endless or finite run (StreamGenerator).")
      .def(py::init(&open_stream), py::arg("model"), py::arg("random_state"),
           py::arg("log_callback"), py::arg("log_level"), py::arg("options_json"),
           py::arg("real_columns") = py::none())
      .def(
          "rows",
          [](Stream& s, size_t begin, size_t end) {
            Table t;
            {
              py::gil_scoped_release release;
              t = s.rows->rows(begin, end);
            }
            return columns_from_table(t);
          },
          py::arg("begin"), py::arg("end"), "Rows [begin, end) as column tuples.")
      .def_property_readonly("size", [](const Stream& s) { return s.rows->size(); })
      .def_property_readonly("seed", [](const Stream& s) { return s.rows->seed(); });
  py::class_<Model>(m, "Model", "A fitted model (RealGenerator's), to save or sample from.")
      .def_property_readonly("method", [](const Model& s) { return s.generator->fitted_method(); })
      .def_property_readonly("target_col",
                             [](const Model& s) { return s.generator->fitted_target(); })
      .def_property_readonly("front_end_info",
                             [](const Model& s) { return s.generator->front_end_info(); })
      .def(
          "save",
          [](const Model& s, const std::string& path, const std::string& front_end_info) {
            py::gil_scoped_release release;
            s.generator->save(path, front_end_info);
          },
          py::arg("path"), py::arg("front_end_info") = std::string(),
          "Writes the model file atomically (docs/persistence.md).")
      .def_static(
          "load",
          [](const std::string& path) {
            std::shared_ptr<RealGenerator> g;
            {
              py::gil_scoped_release release;
              g = std::make_shared<RealGenerator>(RealGenerator::load(path, silent_settings()));
            }
            return Model{g};
          },
          py::arg("path"), "Reads a model file; FileNotFoundError / ValueError when it cannot.")
      .def("sample", &sample_model, py::arg("auto_report"), py::arg("minimal_report"),
           py::arg("random_state"), py::arg("log_callback"), py::arg("log_level"),
           py::arg("options_json"), py::arg("real_columns") = py::none(),
           "RealGenerator::run_fitted: returns (columns, files written, seed used).");
  m.def("generate", &run_generator, py::arg("auto_report"), py::arg("minimal_report"),
        py::arg("random_state"), py::arg("log_callback"), py::arg("log_level"), py::arg("columns"),
        py::arg("options_json"),
        "Runs calm::RealGenerator on column tuples; returns (columns, files written, seed used, "
        "the fitted Model).");
  m.def("generate_blocks", &run_block_generator, py::arg("auto_report"), py::arg("minimal_report"),
        py::arg("random_state"), py::arg("log_callback"), py::arg("log_level"), py::arg("columns"),
        py::arg("options_json"), py::arg("block_column"), py::arg("block_sizes") = py::none(),
        py::arg("skip_small_blocks") = false,
        "Runs calm::RealBlockGenerator (one model per block) on column tuples; returns (columns, "
        "files written, seed used).");
}

}  // namespace calm::bind
