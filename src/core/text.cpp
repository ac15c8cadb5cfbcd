// Shortest round-trip number printing (std::to_chars) and ISO-8601 date handling.
// Civil-date arithmetic follows Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
#include "calm/core/text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace calm {

std::string format_double(double v) {
  if (std::isnan(v)) return {};
  if (v == 0) v = 0;  // no "-0"
  std::array<char, 64> buf;
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

double round_to_decimals(double v, int decimals) {
  if (decimals < 0 || std::isnan(v) || std::isinf(v)) return v;
  if (decimals > 15) return v;
  static constexpr double kPow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const double scale = kPow10[decimals];
  double r = std::round(v * scale) / scale;
  return std::isfinite(r) ? r : v;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

static bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

static bool leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

std::optional<int64_t> parse_datetime(std::string_view s, bool* date_only) {
  int y, mo, d;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, mo) || !digits(s, 8, 2, d)) return std::nullopt;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1) return std::nullopt;
  if (d > mdays[mo - 1] + (mo == 2 && leap(y))) return std::nullopt;
  // Nanoseconds in an int64 span 1677-09-21 .. 2262-04-11. Whole days 1677-09-23 .. 2262-04-10
  // are accepted (any time of day, and format_datetime's rounding down, stay in range); a date
  // outside is not a datetime here (its column is read as text) rather than an overflow.
  constexpr int64_t kMaxDays = std::numeric_limits<int64_t>::max() / kNanosPerDay - 1;
  const int64_t days = days_from_civil(y, mo, d);
  if (days < -kMaxDays || days > kMaxDays) return std::nullopt;
  int64_t ns = days * kNanosPerDay;
  if (s.size() == 10) {
    if (date_only) *date_only = true;
    return ns;
  }
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  int h, mi, sec = 0;
  if (!digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi))
    return std::nullopt;
  size_t pos = 16;
  int64_t frac_ns = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, sec)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int64_t scale = 100000000;
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        frac_ns += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  if (pos < s.size() && s[pos] == 'Z') ++pos;
  if (pos != s.size() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  if (date_only) *date_only = false;
  return ns + (h * 3600LL + mi * 60LL + sec) * kNanosPerSecond + frac_ns;
}

std::string format_datetime(int64_t ns, bool date_only) {
  // Floor division without negating ns (-INT64_MIN overflows) nor multiplying back.
  int64_t days = ns / kNanosPerDay, rem = ns % kNanosPerDay;
  if (rem < 0) --days, rem += kNanosPerDay;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  if (date_only) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
  }
  int64_t secs = rem / kNanosPerSecond, frac = rem % kNanosPerSecond;
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld",
                        static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                        static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  std::string out(buf, n);
  if (frac) {
    char f[16];
    std::snprintf(f, sizeof f, ".%09lld", static_cast<long long>(frac));
    std::string fs(f);
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  return out;
}

std::optional<bool> parse_bool_token(std::string_view s) {
  auto eq = [&](std::string_view w) {
    if (s.size() != w.size()) return false;
    for (size_t i = 0; i < s.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(s[i])) != w[i]) return false;
    return true;
  };
  if (eq("true") || eq("yes") || eq("t") || eq("y")) return true;
  if (eq("false") || eq("no") || eq("f") || eq("n")) return false;
  return std::nullopt;
}

}  // namespace calm
