// Internal to io: ISO-8601 text of a datetime appended to a buffer without printf, for the
// database sinks, which print one per datetime cell (snprintf was a sixth of a SQLite insert).
// The text is exactly calm::format_datetime's: "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS[.f...]" with
// the fraction's trailing zeros cut.
#pragma once

#include <cstdint>
#include <string>

namespace calm::db_detail {

void append_datetime(std::string& out, int64_t ns, bool date_only);

}  // namespace calm::db_detail
