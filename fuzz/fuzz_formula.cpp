// libFuzzer target: the formula language of constraints (post/expression.hpp), parsed against the
// fuzz table's columns and evaluated on it.
#include <cstdint>
#include <string>

#include "calm/core/error.hpp"
#include "fuzz_table.hpp"
#include "post/expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace calm;
  const Table& t = fuzz::small_table();
  try {
    const Expression e =
        Expression::parse(std::string(reinterpret_cast<const char*>(data), size), t.column_names());
    (void)e.evaluate(t);
  } catch (const InvalidArgument&) {
  }
  return 0;
}
