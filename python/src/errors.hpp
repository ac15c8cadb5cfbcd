// Maps calm::Error kinds to Python exceptions, keeping the engine's message:
// invalid_argument, data -> ValueError; io -> FileNotFoundError (missing file) or OSError;
// not_available -> NotImplementedError; internal -> RuntimeError.
#pragma once

#include <pybind11/pybind11.h>

namespace calm::bind {

void register_error_translator();

}  // namespace calm::bind
