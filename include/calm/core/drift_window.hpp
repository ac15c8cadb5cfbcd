// Where a drift step changed a column: the first and last selected row positions of the step
// (inclusive; the rows the step's transition runs over) and the method. Written by post/drift,
// read by the report's plots: a plain record in core so neither layer depends on the other.
#pragma once

#include <cstddef>
#include <string>

namespace calm {

struct DriftWindow {
  std::string column;
  size_t start = 0, end = 0;
  std::string method;
};

}  // namespace calm
