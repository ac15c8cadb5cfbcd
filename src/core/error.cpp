// Error kind names and the helper that lists valid choices in messages.
#include "calm/core/error.hpp"

namespace calm {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument:
      return "invalid argument";
    case ErrorKind::data:
      return "data error";
    case ErrorKind::io:
      return "I/O error";
    case ErrorKind::not_available:
      return "not available";
    case ErrorKind::internal:
      return "internal error";
  }
  return "error";
}

std::string join_names(const std::vector<std::string>& names, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += sep;
    out += names[i];
  }
  return out;
}

}  // namespace calm
