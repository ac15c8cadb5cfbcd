// Calendar parts of datetime columns (see calendar_columns.hpp).
#include "core/calendar_columns.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm {
namespace {

constexpr int64_t kNsPerDay = 86400LL * 1000000000LL;
constexpr CalendarPart kParts[] = {
    CalendarPart::year,    CalendarPart::quarter,     CalendarPart::month, CalendarPart::day,
    CalendarPart::weekday, CalendarPart::day_of_year, CalendarPart::hour,  CalendarPart::minute};

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The value of cell i as a whole number, false when it is missing or not whole.
bool whole_value(const Column& c, size_t i, int64_t& out) {
  if (c.is_missing(i)) return false;
  const double v = c.numeric(i);
  if (!(std::fabs(v) < 9e15) || std::floor(v) != v) return false;
  out = static_cast<int64_t>(v);
  return true;
}

bool is_part_of(const Column& c, const Column& source, CalendarPart part) {
  bool varies = false;
  int64_t first = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    const bool missing = source.is_missing(i);
    if (missing != c.is_missing(i)) return false;
    if (missing) continue;
    int64_t v = 0;
    if (!whole_value(c, i, v) || v != calendar_part(source.i64[i], part)) return false;
    if (i == 0) first = v;
    varies = varies || v != first;
  }
  // A constant column equals many parts (a year of 1973, an hour of 0): left to the method.
  return varies;
}

Column empty_like(const Column& c) {
  Column p;
  p.name = c.name;
  p.type = c.type;
  p.format = c.format;
  return p;
}

}  // namespace

const char* to_string(CalendarPart p) {
  switch (p) {
    case CalendarPart::year:
      return "year";
    case CalendarPart::quarter:
      return "quarter";
    case CalendarPart::month:
      return "month";
    case CalendarPart::day:
      return "day";
    case CalendarPart::weekday:
      return "weekday";
    case CalendarPart::day_of_year:
      return "day_of_year";
    case CalendarPart::hour:
      return "hour";
    case CalendarPart::minute:
      return "minute";
  }
  return "?";
}

int64_t calendar_part(int64_t ns, CalendarPart part) {
  const int64_t days = floor_div(ns, kNsPerDay);
  const int64_t in_day = ns - days * kNsPerDay;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  switch (part) {
    case CalendarPart::year:
      return y;
    case CalendarPart::quarter:
      return (m - 1) / 3 + 1;
    case CalendarPart::month:
      return m;
    case CalendarPart::day:
      return d;
    case CalendarPart::weekday:
      return ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
    case CalendarPart::day_of_year:
      return days - days_from_civil(y, 1, 1) + 1;
    case CalendarPart::hour:
      return in_day / 3600000000000LL;
    case CalendarPart::minute:
      return in_day / 60000000000LL % 60;
  }
  return 0;
}

std::vector<CalendarColumn> detect_calendar_columns(const Table& t, const Schema& schema,
                                                    const std::set<std::string>& keep) {
  auto semantic = [&](const std::string& name) {
    for (const ColumnSchema& cs : schema.columns)
      if (cs.name == name) return cs.semantic;
    return SemanticType::id;
  };
  std::vector<size_t> sources;
  for (size_t j = 0; j < t.num_columns(); ++j)
    if (t.column(j).type == StorageType::datetime &&
        semantic(t.column(j).name) == SemanticType::datetime)
      sources.push_back(j);
  std::vector<CalendarColumn> out;
  if (sources.empty() || t.num_rows() < 2) return out;
  for (size_t j = 0; j < t.num_columns(); ++j) {
    const Column& c = t.column(j);
    if (!c.is_numeric_storage() || keep.count(c.name) || semantic(c.name) == SemanticType::id)
      continue;
    bool found = false;
    for (size_t s : sources) {
      for (CalendarPart part : kParts)
        if (is_part_of(c, t.column(s), part)) {
          out.push_back({c.name, t.column(s).name, part, j, empty_like(c)});
          found = true;
          break;
        }
      if (found) break;
    }
  }
  return out;
}

Table without_calendar_columns(const Table& t, const std::vector<CalendarColumn>& derived) {
  std::vector<std::string> names;
  for (const auto& n : t.column_names())
    if (std::none_of(derived.begin(), derived.end(),
                     [&](const CalendarColumn& d) { return d.column == n; }))
      names.push_back(n);
  return t.select(names);
}

Schema without_calendar_columns(const Schema& s, const std::vector<CalendarColumn>& derived) {
  Schema out = s;
  std::erase_if(out.columns, [&](const ColumnSchema& cs) {
    return std::any_of(derived.begin(), derived.end(),
                       [&](const CalendarColumn& d) { return d.column == cs.name; });
  });
  return out;
}

Table with_calendar_columns(const Table& t, const std::vector<CalendarColumn>& derived) {
  std::vector<Column> columns;
  for (size_t j = 0; j < t.num_columns(); ++j) columns.push_back(t.column(j));
  for (const CalendarColumn& d : derived) {  // in table order, so positions stay right
    const auto s = t.find(d.source);
    if (!s) throw InternalError("calendar column '" + d.column + "': no source '" + d.source + "'");
    const Column& source = t.column(*s);
    Column c = d.prototype;
    const size_t n = t.num_rows();
    std::vector<uint8_t> valid(n, 1);
    bool any_missing = false;
    std::vector<int64_t> v(n, 0);
    for (size_t i = 0; i < n; ++i) {
      if (source.is_missing(i)) {
        valid[i] = 0, any_missing = true;
        continue;
      }
      v[i] = calendar_part(source.i64[i], d.part);
    }
    if (c.type == StorageType::int64) {
      c.i64 = std::move(v);
      if (any_missing) c.valid = std::move(valid);
    } else {
      c.f64.resize(n);
      for (size_t i = 0; i < n; ++i) c.f64[i] = valid[i] ? static_cast<double>(v[i]) : std::nan("");
    }
    columns.insert(
        columns.begin() + static_cast<std::ptrdiff_t>(std::min(d.position, columns.size())),
        std::move(c));
  }
  return Table(std::move(columns));
}

void save_calendar_columns(ArchiveWriter& out, const std::vector<CalendarColumn>& derived) {
  out.u64(derived.size());
  for (const CalendarColumn& d : derived) {
    out.str(d.column);
    out.str(d.source);
    out.u64(static_cast<uint64_t>(d.part));
    out.u64(d.position);
    out.column(d.prototype);
  }
}

std::vector<CalendarColumn> load_calendar_columns(ArchiveReader& in) {
  const uint64_t n = in.u64();
  if (n > 100000) throw DataError("calendar columns: an implausible count");
  std::vector<CalendarColumn> out;
  for (uint64_t k = 0; k < n; ++k) {
    CalendarColumn d;
    d.column = in.str();
    d.source = in.str();
    const uint64_t part = in.u64();
    if (part > static_cast<uint64_t>(CalendarPart::minute))
      throw DataError("calendar columns: an unknown calendar part");
    d.part = static_cast<CalendarPart>(part);
    d.position = in.u64();
    d.prototype = in.column();
    if (!d.prototype.is_numeric_storage() || d.prototype.size() != 0)
      throw DataError("calendar columns: a malformed column prototype");
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace calm
