// Date injection with pandas.DateOffset semantics for the step keys (years, months, weeks, days,
// hours, minutes, seconds, microseconds, nanoseconds): months/years move the calendar month and
// clamp the day to the month's length; the rest is a fixed duration. Rows are assigned by position.
#include "calm/post/dates.hpp"

#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm {

DateInjection parse_date_injection(const std::string& column, const std::string& start,
                                   const Json& step, int64_t every) {
  DateInjection d;
  if (column.empty()) throw InvalidArgument("date_col must be a non-empty column name");
  d.column = column;
  bool date_only = true;
  auto t = parse_datetime(start, &date_only);
  if (!t)
    throw InvalidArgument("date_start '" + start +
                          "' is not a date; expected YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]");
  d.start_ns = *t;
  d.date_only = date_only;
  if (every < 1)
    throw InvalidArgument("date_every must be a positive integer, got " + std::to_string(every));
  d.every = every;
  Json s = step.is_null() ? Json{{"days", 1}} : step;
  if (!s.is_object() || s.empty())
    throw InvalidArgument("date_step must be a dict such as {\"days\": 1}, got " + s.dump());
  static const std::vector<std::pair<std::string, int64_t>> fixed = {
      {"weeks", 7 * kNanosPerDay},
      {"days", kNanosPerDay},
      {"hours", 3600 * kNanosPerSecond},
      {"minutes", 60 * kNanosPerSecond},
      {"seconds", kNanosPerSecond},
      {"microseconds", 1000},
      {"nanoseconds", 1}};
  for (auto it = s.begin(); it != s.end(); ++it) {
    if (!it.value().is_number_integer())
      throw InvalidArgument("date_step['" + it.key() + "'] must be an integer, got " +
                            it.value().dump());
    int64_t v = it.value().get<int64_t>();
    bool known = false;
    if (it.key() == "years") d.months += 12 * v, known = true;
    if (it.key() == "months") d.months += v, known = true;
    for (const auto& [name, ns] : fixed)
      if (it.key() == name) d.nanos += v * ns, known = true;
    if (!known)
      throw InvalidArgument("unknown date_step key '" + it.key() +
                            "'; valid keys: years, months, weeks, days, hours, minutes, seconds, "
                            "microseconds, nanoseconds");
  }
  if (d.months == 0 && d.nanos == 0) throw InvalidArgument("date_step must not be zero");
  if (d.nanos % kNanosPerDay != 0) d.date_only = false;
  return d;
}

void check_date_span(const DateInjection& d, size_t rows) {
  if (rows == 0) return;
  const long double k = static_cast<long double>((rows - 1) / static_cast<size_t>(d.every));
  const long double last = static_cast<long double>(d.start_ns) +
                           k * (static_cast<long double>(d.nanos) +
                                static_cast<long double>(d.months) * 30.437L * kNanosPerDay);
  // pandas' datetime64[ns] range: 1677-09-21 to 2262-04-11, with a day of margin.
  if (last > 9.2232e18L - kNanosPerDay || last < -9.2232e18L + kNanosPerDay)
    throw InvalidArgument("date injection over " + std::to_string(rows) +
                          " rows runs past the range of nanosecond timestamps (years 1677-2262, "
                          "as pandas); use a smaller date_step, a larger date_every or fewer rows");
}

static int64_t add_months(int64_t ns, int64_t months) {
  int64_t days = ns >= 0 ? ns / kNanosPerDay : -((-ns + kNanosPerDay - 1) / kNanosPerDay);
  int64_t rem = ns - days * kNanosPerDay;
  int64_t y;
  unsigned m, dd;
  civil_from_days(days, y, m, dd);
  int64_t total = y * 12 + (m - 1) + months;
  int64_t ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
  unsigned nm = static_cast<unsigned>(total - ny * 12) + 1;
  static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0;
  unsigned last = mdays[nm - 1] + (nm == 2 && leap);
  return days_from_civil(ny, nm, std::min(dd, last)) * kNanosPerDay + rem;
}

Table inject_dates(const Table& table, const DateInjection& spec, size_t row_offset) {
  const size_t n = table.num_rows();
  std::vector<int64_t> values(n);
  for (size_t r = 0; r < n; ++r) {
    int64_t k = static_cast<int64_t>(row_offset + r) / spec.every;
    values[r] = add_months(spec.start_ns, spec.months * k) + spec.nanos * k;
  }
  Column c = Column::datetime(spec.column, std::move(values));
  c.format.date_only = spec.date_only;
  return table.with_column(std::move(c), size_t{0});
}

}  // namespace calm
