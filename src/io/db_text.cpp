// append_datetime (see db_text.hpp): digits written by hand; years outside 0..9999 (which
// format_datetime prints with a sign or more digits) go through format_datetime itself.
#include "io/db_text.hpp"

#include "calm/core/text.hpp"

namespace calm::db_detail {

namespace {

void put_digits(char* p, unsigned value, int n) {
  for (int i = n - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

void append_datetime(std::string& out, int64_t ns, bool date_only) {
  const int64_t days = ns >= 0 ? ns / kNanosPerDay : -((-ns + kNanosPerDay - 1) / kNanosPerDay);
  const int64_t rem = ns - days * kNanosPerDay;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  if (y < 0 || y > 9999) {
    out += format_datetime(ns, date_only);
    return;
  }
  char buf[32];
  put_digits(buf, static_cast<unsigned>(y), 4);
  buf[4] = '-';
  put_digits(buf + 5, m, 2);
  buf[7] = '-';
  put_digits(buf + 8, d, 2);
  if (date_only) {
    out.append(buf, 10);
    return;
  }
  const int64_t secs = rem / kNanosPerSecond;
  int64_t frac = rem % kNanosPerSecond;
  buf[10] = ' ';
  put_digits(buf + 11, static_cast<unsigned>(secs / 3600), 2);
  buf[13] = ':';
  put_digits(buf + 14, static_cast<unsigned>(secs / 60 % 60), 2);
  buf[16] = ':';
  put_digits(buf + 17, static_cast<unsigned>(secs % 60), 2);
  size_t len = 19;
  if (frac) {
    buf[len] = '.';
    put_digits(buf + len + 1, static_cast<unsigned>(frac), 9);
    len += 10;
    while (buf[len - 1] == '0') --len;
  }
  out.append(buf, len);
}

}  // namespace calm::db_detail
