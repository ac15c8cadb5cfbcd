// Time axis, spacing, time-determined columns and context bounds of sequences (see
// sequence_time.hpp).
#include "transform/sequence_time.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm {
namespace {

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

struct Civil {
  int64_t y;
  unsigned m, d;
  int64_t time_ns;  // time of day
};

Civil civil(int64_t ns) {
  int64_t days = ns / kNanosPerDay, rem = ns % kNanosPerDay;
  if (rem < 0) rem += kNanosPerDay, --days;
  Civil c{};
  civil_from_days(days, c.y, c.m, c.d);
  c.time_ns = rem;
  return c;
}

// Largest of day, hour, minute, second, millisecond, microsecond dividing every value (ns), in
// days; 0 when none does.
double datetime_resolution(const Column& c) {
  static constexpr int64_t kUnits[] = {
      kNanosPerDay, 3600 * kNanosPerSecond, 60 * kNanosPerSecond, kNanosPerSecond, 1000000, 1000};
  for (int64_t unit : kUnits) {
    bool all = true;
    for (size_t i = 0; i < c.size() && all; ++i) all = c.is_missing(i) || c.i64[i] % unit == 0;
    if (all) return static_cast<double>(unit) / static_cast<double>(kNanosPerDay);
  }
  return 0;
}

double round_to(double x, double resolution) {
  return resolution > 0 ? std::round(x / resolution) * resolution : x;
}

}  // namespace

TimeAxis TimeAxis::fit(const Column& time) {
  TimeAxis a;
  if (time.type != StorageType::datetime) {
    a.kind_ = TimeAxisKind::number;
    if (time.type == StorageType::int64)
      a.resolution_ = 1;
    else if (time.format.decimals >= 0)
      a.resolution_ = std::pow(10.0, -time.format.decimals);
    return a;
  }
  // Months when every stamp shares its day of the month (or is its month's last day) and time.
  std::optional<Civil> first;
  bool same_day = true, last_day = true;
  for (size_t i = 0; i < time.size(); ++i) {
    if (time.is_missing(i)) continue;
    const Civil c = civil(time.i64[i]);
    if (!first) first = c;
    same_day = same_day && c.d == first->d && c.time_ns == first->time_ns;
    last_day = last_day && c.d == days_in_month(c.y, c.m) && c.time_ns == first->time_ns;
  }
  if (first && (same_day || last_day) && (first->d <= 28 || last_day)) {
    a.kind_ = TimeAxisKind::months;
    a.resolution_ = 1;
    a.month_day = last_day ? 31 : first->d;
    a.month_time_ns = first->time_ns;
    return a;
  }
  a.kind_ = TimeAxisKind::days;
  a.resolution_ = datetime_resolution(time);
  return a;
}

double TimeAxis::coordinate(double value) const {
  if (std::isnan(value) || kind_ == TimeAxisKind::number) return value;
  const auto ns = static_cast<int64_t>(std::llround(value));
  if (kind_ == TimeAxisKind::days)
    return static_cast<double>(ns / kNanosPerDay) +
           static_cast<double>(ns % kNanosPerDay) / static_cast<double>(kNanosPerDay);
  const Civil c = civil(ns);
  const double month = static_cast<double>(c.y * 12 + (c.m - 1));
  const unsigned anchor =
      std::min<unsigned>(static_cast<unsigned>(month_day), days_in_month(c.y, c.m));
  // Fraction of the month past the anchor day (negative before it).
  const double offset =
      (static_cast<double>(c.d) - anchor) +
      static_cast<double>(c.time_ns - month_time_ns) / static_cast<double>(kNanosPerDay);
  return month + offset / days_in_month(c.y, c.m);
}

double TimeAxis::value(double coordinate) const {
  if (std::isnan(coordinate)) return coordinate;
  const double x = round_to(coordinate, resolution_);
  if (kind_ == TimeAxisKind::number) return x;
  if (kind_ == TimeAxisKind::days) {
    const double days = std::floor(x);
    const auto ns = static_cast<int64_t>(days) * kNanosPerDay +
                    std::llround((x - days) * static_cast<double>(kNanosPerDay));
    return static_cast<double>(ns);
  }
  const auto month = static_cast<int64_t>(std::llround(x));
  const int64_t y = month >= 0 ? month / 12 : -((-month + 11) / 12);
  const auto m = static_cast<unsigned>(month - y * 12 + 1);
  const unsigned d = std::min<unsigned>(static_cast<unsigned>(month_day), days_in_month(y, m));
  return static_cast<double>(days_from_civil(y, m, d) * kNanosPerDay + month_time_ns);
}

void TimeAxis::save(ArchiveWriter& out) const {
  out.u64(static_cast<uint64_t>(kind_));
  out.f64(resolution_);
  out.i64(month_day);
  out.i64(month_time_ns);
}

TimeAxis TimeAxis::load(ArchiveReader& in) {
  TimeAxis a;
  const uint64_t kind = in.u64();
  if (kind > static_cast<uint64_t>(TimeAxisKind::months))
    throw DataError("sequence time axis: unknown kind " + std::to_string(kind));
  a.kind_ = static_cast<TimeAxisKind>(kind);
  a.resolution_ = in.f64();
  a.month_day = in.i64();
  a.month_time_ns = in.i64();
  if (a.month_day < 1 || a.month_day > 31) throw DataError("sequence time axis: bad month day");
  return a;
}

double TimeLookup::at(double coordinate) const {
  auto it = std::lower_bound(times.begin(), times.end(), coordinate);
  if (it == times.end()) return values.back();
  if (it != times.begin() && coordinate - *(it - 1) < *it - coordinate) --it;
  return values[static_cast<size_t>(it - times.begin())];
}

std::vector<double> SequenceTime::coordinates(const Table& t, const SequenceTable& s,
                                              size_t e) const {
  const Column& c = t.column(*s.time_column());
  std::vector<double> out(s.length(e));
  for (size_t k = 0; k < out.size(); ++k)
    out[k] = axis.coordinate(c.numeric(static_cast<size_t>(s.row(e, k))));
  return out;
}

SequenceTime SequenceTime::fit(const Table& t, const SequenceTable& s) {
  if (!s.time_column()) throw InternalError("SequenceTime::fit without a time column");
  SequenceTime st;
  const Column& time = t.column(*s.time_column());
  st.axis = TimeAxis::fit(time);
  std::vector<std::vector<double>> coords(s.entities());
  std::vector<double> steps;
  for (size_t e = 0; e < s.entities(); ++e) {
    coords[e] = st.coordinates(t, s, e);
    for (size_t k = 1; k < coords[e].size(); ++k) steps.push_back(coords[e][k] - coords[e][k - 1]);
  }
  TimeSpacing& sp = st.spacing;
  sp.start_min = sp.start_max = coords[0][0];
  for (const auto& c : coords) {
    sp.start_min = std::min(sp.start_min, c[0]);
    sp.start_max = std::max(sp.start_max, c[0]);
  }
  sp.min_step = steps.empty() ? 0 : *std::min_element(steps.begin(), steps.end());
  sp.strict = !steps.empty() && sp.min_step > 0;
  if (sp.strict) {
    double sum = 0, hi = steps.front();
    for (double d : steps) sum += d, hi = std::max(hi, d);
    const double step = sum / static_cast<double>(steps.size());
    const double tol = std::max(1e-9 * step, 1.5 * st.axis.resolution());
    sp.regular = hi - sp.min_step <= tol;
    if (sp.regular) {
      sp.step = step;
      sp.origin = coords[0][0];
      sp.on_grid = true;
      for (const auto& c : coords) {
        const double k = std::round((c[0] - sp.origin) / step);
        sp.on_grid = sp.on_grid && std::abs(c[0] - sp.origin - k * step) <= tol * (1 + std::abs(k));
      }
    }
  }
  // Time-determined varying columns, when times repeat across entities.
  std::map<double, size_t> distinct;
  for (const auto& c : coords)
    for (double x : c) ++distinct[x];
  if (distinct.size() * 2 <= t.num_rows())
    for (size_t j : s.varying_columns()) {
      const Column& col = t.column(j);
      if (col.missing_count() > 0) continue;
      std::map<double, double> value_at;
      bool function = true;
      for (size_t e = 0; e < s.entities() && function; ++e)
        for (size_t k = 0; k < coords[e].size() && function; ++k) {
          const double v = col.numeric(static_cast<size_t>(s.row(e, k)));
          auto [it, fresh] = value_at.try_emplace(coords[e][k], v);
          function = fresh || it->second == v;
        }
      if (!function) continue;
      TimeLookup l;
      l.column = j;
      for (const auto& [x, v] : value_at) l.times.push_back(x), l.values.push_back(v);
      if (std::adjacent_find(l.values.begin(), l.values.end(), std::not_equal_to<>()) ==
          l.values.end())
        continue;  // constant: the method models it as such
      st.lookups.push_back(std::move(l));
    }
  st.bounds = detect_time_bounds(t, s);
  return st;
}

size_t SequenceTime::rebuild(double start, double span, const std::vector<double>& steps,
                             size_t length, double lo, double hi, std::vector<double>& out) const {
  const double res = axis.resolution();
  out.assign(length, 0.0);
  if (std::isnan(start)) start = spacing.start_min;
  if (!std::isnan(lo)) start = std::max(start, lo);
  if (!std::isnan(hi)) start = std::min(start, hi);
  if (spacing.regular) {
    const double step = spacing.step;
    if (spacing.on_grid)
      start = spacing.origin + std::round((start - spacing.origin) / step) * step;
    if (!std::isnan(lo) && start < lo) start += std::ceil((lo - start) / step - 1e-9) * step;
    if (!std::isnan(hi) && start > hi) start -= std::ceil((start - hi) / step - 1e-9) * step;
    size_t kept = length;
    for (size_t k = 0; k < length; ++k) {
      out[k] = start + static_cast<double>(k) * step;
      if (!std::isnan(hi) && out[k] > hi + 1e-9 * step && k > 0 && kept == length) kept = k;
    }
    out.resize(kept);
    for (double& x : out) x = round_to(x, res);
    return kept;
  }
  out[0] = start;
  if (length == 1) {
    out[0] = round_to(out[0], res);
    return 1;
  }
  double total = 0;
  for (size_t k = 0; k + 1 < length; ++k) total += std::max(0.0, steps[k]);
  if (std::isnan(span) || span < 0) span = total;
  if (!std::isnan(hi)) span = std::min(span, hi - start);
  span = std::max(span, 0.0);
  for (size_t k = 1; k < length; ++k) {
    const double d = total > 0 ? std::max(0.0, steps[k - 1]) * span / total
                               : span / static_cast<double>(length - 1);
    out[k] = out[k - 1] + d;
  }
  // Rounded to the data's resolution, each step at least the smallest real one — or, when the
  // room under the upper bound is too short for that, an even share of it (at least one
  // resolution step while the real stamps are strictly increasing).
  auto floor_to = [&](double x) { return res > 0 ? std::floor(x / res + 1e-9) * res : x; };
  out[0] = round_to(out[0], res);
  double gap = spacing.strict ? std::max(spacing.min_step, res) : 0.0;
  if (!std::isnan(hi))
    gap = std::min(gap, std::max(spacing.strict ? res : 0.0,
                                 floor_to((hi - out[0]) / static_cast<double>(length - 1))));
  for (size_t k = 1; k < length; ++k) out[k] = std::max(round_to(out[k], res), out[k - 1] + gap);
  if (!std::isnan(hi))
    for (size_t k = length; k-- > 1;) {
      const double cap = k + 1 < length ? out[k + 1] - gap : floor_to(hi);
      if (out[k] > cap) out[k] = std::max(out[0], cap);
    }
  return length;
}

void SequenceTime::save(ArchiveWriter& out) const {
  out.tag("sequence-time-v1");
  axis.save(out);
  out.boolean(spacing.regular);
  out.f64s({spacing.step, spacing.origin, spacing.min_step, spacing.start_min, spacing.start_max});
  out.boolean(spacing.on_grid);
  out.boolean(spacing.strict);
  out.u64(lookups.size());
  for (const auto& l : lookups) {
    out.u64(l.column);
    out.f64s(l.times);
    out.f64s(l.values);
  }
  out.u64(bounds.size());
  for (const auto& b : bounds) {
    out.u64(b.column);
    out.boolean(b.upper);
  }
}

SequenceTime SequenceTime::load(ArchiveReader& in) {
  in.tag("sequence-time-v1");
  SequenceTime st;
  st.axis = TimeAxis::load(in);
  st.spacing.regular = in.boolean();
  const std::vector<double> f = in.f64s();
  if (f.size() != 5) throw DataError("sequence time: bad spacing record");
  st.spacing.step = f[0];
  st.spacing.origin = f[1];
  st.spacing.min_step = f[2];
  st.spacing.start_min = f[3];
  st.spacing.start_max = f[4];
  st.spacing.on_grid = in.boolean();
  st.spacing.strict = in.boolean();
  const uint64_t lookups = in.u64();
  if (lookups > (uint64_t{1} << 20)) throw DataError("sequence time: impossible lookup count");
  for (uint64_t i = 0; i < lookups; ++i) {
    TimeLookup l;
    l.column = in.u64();
    l.times = in.f64s();
    l.values = in.f64s();
    if (l.times.size() != l.values.size() || l.times.empty())
      throw DataError("sequence time: bad lookup record");
    st.lookups.push_back(std::move(l));
  }
  const uint64_t bounds = in.u64();
  if (bounds > (uint64_t{1} << 20)) throw DataError("sequence time: impossible bound count");
  for (uint64_t i = 0; i < bounds; ++i) {
    TimeBound b;
    b.column = in.u64();
    b.upper = in.boolean();
    st.bounds.push_back(b);
  }
  return st;
}

}  // namespace calm
