// A bounds check of UBJSON bytes (XGBoost's model format) before XGBoost parses them: XGBoost's
// reader sizes its vectors by the counts in the data, so a crafted model file could make it
// allocate gigabytes (found by fuzz/fuzz_model.cpp) or recurse without end. This walks the
// structure once and refuses a count that the bytes left cannot hold or nesting deeper than 64.
#pragma once

#include <string_view>

namespace calm::xgb {

// Throws DataError naming the byte offset when `bytes` is not well-formed UBJSON within bounds.
void check_ubjson_bounds(std::string_view bytes);

}  // namespace calm::xgb
