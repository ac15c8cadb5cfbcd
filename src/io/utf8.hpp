// Internal to the CSV reader: UTF-8 validation (RFC 3629 — no overlongs, no surrogates, nothing
// above U+10FFFF) with an ASCII fast path that checks eight bytes per step.
#pragma once

#include <cstddef>
#include <string_view>

namespace calm::csv_detail {

// Offset of the first byte that starts an invalid sequence, or std::string_view::npos.
size_t find_invalid_utf8(std::string_view text);

}  // namespace calm::csv_detail
