// _calm.generate(): calm::RealGenerator::run over column tuples, GIL released while it runs.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "calm/api/real_generator.hpp"
#include "calm/core/log.hpp"

namespace calm::bind {

void bind_generator(pybind11::module_& m);

// A logger forwarding to a Python callable(level, message) at Python's numeric `log_level`; a
// silent one when the callable is None. Records may come from any thread (the GIL is taken).
std::shared_ptr<Logger> python_logger(const pybind11::object& log_callback, int log_level);

// GenerateOptions from the front end's JSON (InvalidArgument when it is not JSON).
GenerateOptions parse_options(const std::string& options_json);
// The settings of a run: RealGenerator's constructor arguments and its logger.
GeneratorSettings make_settings(bool auto_report, bool minimal_report,
                                std::optional<uint64_t> random_state,
                                const pybind11::object& log_callback, int log_level);

}  // namespace calm::bind
