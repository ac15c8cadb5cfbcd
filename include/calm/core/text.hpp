// Text <-> value conversions shared by the CSV reader/writer, the schema and date injection:
// shortest round-trip doubles, ISO-8601 dates and datetimes, boolean tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calm {

// Shortest text that parses back to exactly `v` ("0.1", "326", "1e+300"); "" for NaN.
std::string format_double(double v);
// `v` rounded to `decimals` digits after the point, then printed shortest.
double round_to_decimals(double v, int decimals);

// ISO 8601: YYYY-MM-DD, optionally followed by 'T' or ' ' and HH:MM[:SS[.fff...]], optional 'Z'.
// Returns nanoseconds since 1970-01-01 (UTC, no zone conversion), or nullopt if not a date.
std::optional<int64_t> parse_datetime(std::string_view s, bool* date_only = nullptr);
std::string format_datetime(int64_t ns, bool date_only);

// Days since 1970-01-01 for a proleptic Gregorian date, and back (H. Hinnant's civil algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d);

// true/false/yes/no/t/f/y/n (any case) -> bool; nullopt otherwise.
std::optional<bool> parse_bool_token(std::string_view s);

inline constexpr int64_t kNanosPerSecond = 1000000000LL;
inline constexpr int64_t kNanosPerDay = 86400LL * kNanosPerSecond;

}  // namespace calm
