// Drift plots (see drift_series.hpp). Rolling means come from prefix sums, so a plot costs O(rows)
// whatever the span.
#include "report/drift_series.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace calm::report {
namespace {

bool inside(const std::vector<DriftWindow>& windows, size_t i) {
  for (const auto& w : windows)
    if (i >= w.start && i <= w.end) return true;
  return false;
}

// The value (numeric encoding) whose share differs most between rows inside and outside the
// windows (with no row outside, between the windows and the whole column).
double affected_value(const Column& c, const std::vector<DriftWindow>& windows) {
  std::map<double, std::pair<double, double>> counts;  // value -> (inside, outside)
  double in = 0, out = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    const double v = c.numeric(i);
    if (std::isnan(v)) continue;
    const bool hit = inside(windows, i);
    (hit ? counts[v].first : counts[v].second) += 1;
    (hit ? in : out) += 1;
  }
  double best = std::nan(""), gap = -1;
  for (const auto& [v, n] : counts) {
    const double ref = out > 0 ? n.second / out : (n.first + n.second) / (in + out);
    const double share = in > 0 ? n.first / in : 0;
    // Ties (two values always tie) go to the value that gained share: the one drift brought in.
    const double d = std::fabs(share - ref) + (share > ref ? 1e-9 : 0.0);
    if (d > gap) gap = d, best = v;
  }
  return best;
}

std::string value_text(const Column& c, double v) {
  if (c.type == StorageType::categorical) return c.dict[static_cast<size_t>(v)];
  if (c.type == StorageType::boolean) return v != 0 ? "True" : "False";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::vector<DriftSeries> drift_series(const Table& table, const std::vector<DriftWindow>& windows,
                                      size_t points) {
  std::vector<DriftSeries> out;
  std::vector<std::string> order;
  std::map<std::string, std::vector<DriftWindow>> by_column;
  for (const auto& w : windows) {
    if (!table.has(w.column)) continue;
    if (!by_column.count(w.column)) order.push_back(w.column);
    by_column[w.column].push_back(w);
  }
  const size_t n = table.num_rows();
  if (n == 0) return out;
  for (const auto& name : order) {
    const Column& c = table.column(name);
    DriftSeries s;
    s.column = name;
    s.windows = by_column[name];
    s.rows = n;
    s.span = std::max<size_t>(1, n / 25);
    const bool numeric = c.is_numeric_storage() || c.type == StorageType::datetime;
    double level = 0;
    if (numeric) {
      s.y_label = "rolling mean";
    } else {
      level = affected_value(c, s.windows);
      s.y_label = std::isnan(level) ? "share" : "share of '" + value_text(c, level) + "'";
    }
    // Prefix sums of the plotted quantity and of the rows that have one.
    std::vector<double> sum(n + 1, 0.0), count(n + 1, 0.0);
    for (size_t i = 0; i < n; ++i) {
      const double v = c.numeric(i);
      const bool ok = !std::isnan(v);
      sum[i + 1] = sum[i] + (ok ? (numeric ? v : static_cast<double>(v == level)) : 0.0);
      count[i + 1] = count[i] + (ok ? 1.0 : 0.0);
    }
    const size_t m = std::min(points, n);
    for (size_t p = 0; p < m; ++p) {
      const size_t centre = m == 1 ? n / 2 : p * (n - 1) / (m - 1);
      const size_t lo = centre >= s.span / 2 ? centre - s.span / 2 : 0;
      const size_t hi = std::min(n, lo + s.span);
      const double k = count[hi] - count[lo];
      s.x.push_back(static_cast<double>(centre));
      s.y.push_back(k > 0 ? (sum[hi] - sum[lo]) / k : std::nan(""));
    }
    out.push_back(std::move(s));
  }
  return out;
}

void draw_drift_series(Canvas& c, Box b, const DriftSeries& s) {
  std::string methods;
  for (const auto& w : s.windows)
    if (methods.find(w.method) == std::string::npos)
      methods += (methods.empty() ? "" : ", ") + w.method;
  double lo = INFINITY, hi = -INFINITY;
  for (double v : s.y)
    if (!std::isnan(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  const double last = static_cast<double>(std::max<size_t>(1, s.rows - 1));
  const LineAxes a = draw_line_axes(
      c, b, s.column + " \xE2\x80\x94 " + methods,
      "row index (" + s.y_label + " over " + std::to_string(s.span) + " rows; shaded: drift)", 0,
      last, lo, hi);
  for (const auto& w : s.windows) {
    const double x0 = a.px(static_cast<double>(w.start)), x1 = a.px(static_cast<double>(w.end));
    c.rect(x0, a.plot.y, std::max(1.0, x1 - x0), a.plot.h, {214, 39, 40, 0.13});
  }
  draw_polyline(c, a, s.x, s.y, kSyntheticColor, 1.6);
}

}  // namespace calm::report
