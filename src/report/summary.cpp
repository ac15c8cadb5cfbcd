// ColumnSummary: statistics and fixed-bin distributions for the report charts (see summary.hpp).
#include "report/summary.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "eval/radix_sort.hpp"

namespace calm::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Linear-interpolated quantile of sorted values.
double sorted_quantile(const std::vector<double>& v, double q) {
  if (v.empty()) return kNaN;
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Ascending, by the evaluator's radix sort (linear in the values; NaN never reaches here).
void sort_values(std::vector<double>& v) {
  if (std::is_sorted(v.begin(), v.end())) return;
  std::vector<uint64_t> keys(v.size());
  for (size_t i = 0; i < v.size(); ++i) keys[i] = eval::order_key(v[i]);
  eval::radix_sort(keys);
  constexpr uint64_t kSign = uint64_t{1} << 63;
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = std::bit_cast<double>((keys[i] & kSign) ? keys[i] ^ kSign : ~keys[i]);
}

SideStats continuous_stats(std::vector<double>& v, size_t rows) {
  SideStats s;
  s.rows = rows;
  s.missing = rows - v.size();
  sort_values(v);
  if (v.empty()) {
    s.mean = s.sd = s.min = s.q25 = s.median = s.q75 = s.max = kNaN;
    return s;
  }
  s.distinct = static_cast<size_t>(std::unique(v.begin(), v.end()) - v.begin());
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  return s;
}

// Fills the quantiles (needs the values sorted, before unique) and the bin shares.
void fill_continuous(ColumnSummary& out, std::vector<std::vector<double>>& values,
                     const std::vector<size_t>& rows) {
  out.continuous = true;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  double vmin = lo, vmax = hi;
  for (auto& v : values) {
    sort_values(v);
    if (v.empty()) continue;
    lo = std::min(lo, sorted_quantile(v, 0.005));
    hi = std::max(hi, sorted_quantile(v, 0.995));
    vmin = std::min(vmin, v.front());
    vmax = std::max(vmax, v.back());
  }
  if (!std::isfinite(lo)) {  // no value on any side
    lo = 0, hi = 1;
  } else if (!(hi > lo)) {  // the central 99% is one value: widen to the extremes, or to +-0.5
    if (vmax > vmin)
      lo = vmin, hi = vmax;
    else
      lo -= 0.5, hi = lo + 1;
  }
  out.edges.resize(kBins + 1);
  for (size_t b = 0; b <= kBins; ++b) out.edges[b] = lo + (hi - lo) * b / kBins;
  for (size_t s = 0; s < values.size(); ++s) {
    std::vector<double>& v = values[s];
    std::vector<double> share(kBins, 0.0);
    for (double x : v) {
      const double pos = (x - lo) / (hi - lo) * kBins;
      const size_t b = pos <= 0 ? 0 : std::min(kBins - 1, static_cast<size_t>(pos));
      share[b] += 1;
    }
    if (!v.empty())
      for (double& c : share) c /= static_cast<double>(v.size());
    SideStats st;
    st.min = v.empty() ? kNaN : v.front();
    st.max = v.empty() ? kNaN : v.back();
    st.q25 = sorted_quantile(v, 0.25);
    st.median = sorted_quantile(v, 0.5);
    st.q75 = sorted_quantile(v, 0.75);
    SideStats moments = continuous_stats(v, rows[s]);  // consumes v (unique)
    moments.min = st.min, moments.max = st.max;
    moments.q25 = st.q25, moments.median = st.median, moments.q75 = st.q75;
    moments.share = std::move(share);
    out.sides.push_back(std::move(moments));
  }
}

using Counts = std::unordered_map<std::string, size_t>;

Counts count_levels(const Column& c, size_t& missing) {
  Counts counts;
  missing = 0;
  if (c.type == StorageType::categorical) {
    std::vector<size_t> per_code(c.dict.size(), 0);
    for (int32_t k : c.codes) k < 0 ? ++missing : ++per_code[k];
    for (size_t k = 0; k < per_code.size(); ++k)
      if (per_code[k]) counts[c.dict[k]] += per_code[k];
    return counts;
  }
  for (size_t i = 0; i < c.size(); ++i) c.is_missing(i) ? ++missing : ++counts[c.text(i)];
  return counts;
}

void fill_discrete(ColumnSummary& out, const std::vector<Counts>& counts,
                   const std::vector<size_t>& missing, const std::vector<size_t>& rows) {
  // Levels: by frequency on the first side (the real data), then the other sides' own levels.
  std::vector<std::string> order;
  for (const Counts& side : counts) {
    std::vector<std::pair<std::string, size_t>> sorted(side.begin(), side.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (const auto& [level, n] : sorted) {
      if (order.size() >= kMaxLevels) break;
      if (std::find(order.begin(), order.end(), level) == order.end()) order.push_back(level);
    }
  }
  out.levels = order;
  bool other = false, any_missing = false;
  for (size_t s = 0; s < counts.size(); ++s) {
    size_t listed = 0;
    for (const auto& level : order) {
      const auto it = counts[s].find(level);
      listed += it == counts[s].end() ? 0 : it->second;
    }
    other = other || listed + missing[s] < rows[s];
    any_missing = any_missing || missing[s] > 0;
  }
  if (other) out.levels.push_back("(other)");
  if (any_missing) out.levels.push_back("(missing)");
  for (size_t s = 0; s < counts.size(); ++s) {
    SideStats st;
    st.rows = rows[s];
    st.missing = missing[s];
    st.distinct = counts[s].size();
    st.mean = st.sd = st.min = st.q25 = st.median = st.q75 = st.max = kNaN;
    const double n = rows[s] ? static_cast<double>(rows[s]) : 1.0;
    size_t listed = 0, best = 0;
    for (const auto& level : order) {
      const auto it = counts[s].find(level);
      const size_t c = it == counts[s].end() ? 0 : it->second;
      listed += c;
      st.share.push_back(static_cast<double>(c) / n);
    }
    for (const auto& [level, c] : counts[s])
      if (c > best || (c == best && level < st.top)) best = c, st.top = level;
    if (other) st.share.push_back(static_cast<double>(rows[s] - missing[s] - listed) / n);
    if (any_missing) st.share.push_back(static_cast<double>(missing[s]) / n);
    out.sides.push_back(std::move(st));
  }
}

}  // namespace

ColumnSummary summarize(const ColumnSchema& cs, const std::vector<const Table*>& tables) {
  ColumnSummary out;
  out.name = cs.name;
  out.semantic = cs.semantic;
  out.datetime = cs.semantic == SemanticType::datetime;
  std::vector<size_t> rows;
  for (const Table* t : tables) rows.push_back(t->num_rows());
  if (cs.semantic == SemanticType::numerical || cs.semantic == SemanticType::datetime) {
    std::vector<std::vector<double>> values;
    for (const Table* t : tables) {
      const Column& c = t->column(cs.name);
      std::vector<double> v;
      v.reserve(c.size());
      for (size_t i = 0; i < c.size(); ++i)
        if (!c.is_missing(i)) v.push_back(c.numeric(i));
      values.push_back(std::move(v));
    }
    fill_continuous(out, values, rows);
  } else {
    std::vector<Counts> counts;
    std::vector<size_t> missing(tables.size());
    for (size_t s = 0; s < tables.size(); ++s)
      counts.push_back(count_levels(tables[s]->column(cs.name), missing[s]));
    fill_discrete(out, counts, missing, rows);
  }
  return out;
}

ColumnSummary summarize_values(const std::string& name,
                               const std::vector<const std::vector<double>*>& sides) {
  ColumnSummary out;
  out.name = name;
  std::vector<std::vector<double>> values;
  std::vector<size_t> rows;
  for (const auto* v : sides) {
    values.push_back(*v);
    rows.push_back(v->size());
  }
  fill_continuous(out, values, rows);
  return out;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e9)
    std::snprintf(buf, sizeof buf, "%.3gG", v / 1e9);
  else if (a >= 1e6)
    std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
  else if (a >= 1000)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string format_spread(const ColumnSummary& s, double v) {
  return s.datetime ? format_number(v / 86400e9) + " days" : format_number(v);
}

std::string format_value(const ColumnSummary& s, double v) {
  if (!s.datetime || std::isnan(v)) return format_number(v);
  using namespace std::chrono;
  const auto days =
      floor<std::chrono::days>(sys_time<nanoseconds>(nanoseconds(static_cast<int64_t>(v))));
  const year_month_day ymd(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace calm::report
