// calm::Error -> Python exception (see errors.hpp). The engine's messages already name the bad
// value and list the valid choices, so they pass through unchanged.
#include "errors.hpp"

#include <string>

#include "calm/core/error.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

bool names_missing_file(const std::string& message) {
  return message.find("No such file or directory") != std::string::npos ||
         message.find("does not exist") != std::string::npos;
}

PyObject* python_type(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::invalid_argument:
    case ErrorKind::data:
      return PyExc_ValueError;
    case ErrorKind::io:
      return names_missing_file(e.what()) ? PyExc_FileNotFoundError : PyExc_OSError;
    case ErrorKind::not_available:
      return PyExc_NotImplementedError;
    case ErrorKind::internal:
      return PyExc_RuntimeError;
  }
  return PyExc_RuntimeError;
}

}  // namespace

void register_error_translator() {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      py::set_error(python_type(e), e.what());
    }
  });
}

}  // namespace calm::bind
