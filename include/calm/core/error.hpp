// The one exception hierarchy of calm. Every message names the offending value and, where there is
// a finite set of valid choices, lists them. Front ends map kinds to exit codes / Python
// exceptions.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace calm {

enum class ErrorKind {
  invalid_argument,  // a parameter or option is wrong (bad name, out of range, wrong type)
  data,              // the input table cannot be used as it is (empty, all-missing, ragged ...)
  io,                // a file cannot be read or written
  not_available,     // the feature exists in the API but is not built yet
  internal,          // a bug: an invariant broke
};

const char* to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

struct InvalidArgument : Error {
  explicit InvalidArgument(const std::string& m) : Error(ErrorKind::invalid_argument, m) {}
};
struct DataError : Error {
  explicit DataError(const std::string& m) : Error(ErrorKind::data, m) {}
};
struct IoError : Error {
  explicit IoError(const std::string& m) : Error(ErrorKind::io, m) {}
};
struct NotAvailable : Error {
  explicit NotAvailable(const std::string& m) : Error(ErrorKind::not_available, m) {}
};
struct InternalError : Error {
  explicit InternalError(const std::string& m) : Error(ErrorKind::internal, m) {}
};

// "a, b, c" — for messages that list the valid choices.
std::string join_names(const std::vector<std::string>& names, const std::string& sep = ", ");

}  // namespace calm
