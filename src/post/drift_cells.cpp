// Typed cell access for drift/dynamics (see drift_cells.hpp).
#include "post/drift_cells.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm::drift {

static void mark_valid(Column& c, size_t i, bool ok) {
  if (c.valid.empty()) {
    if (ok) return;
    c.valid.assign(c.size(), 1);
  }
  c.valid[i] = ok;
}

void set_cell(Column& c, size_t i, double v) {
  if (std::isnan(v)) return set_missing(c, i);
  switch (c.type) {
    case StorageType::float64:
      c.f64[i] = v;
      return;
    case StorageType::int64:
    case StorageType::datetime:
      c.i64[i] = static_cast<int64_t>(std::llround(v));
      mark_valid(c, i, true);
      return;
    case StorageType::boolean:
      c.b[i] = v != 0;
      mark_valid(c, i, true);
      return;
    case StorageType::categorical:
      c.codes[i] = static_cast<int32_t>(v);
      return;
  }
}

void set_missing(Column& c, size_t i) {
  switch (c.type) {
    case StorageType::float64:
      c.f64[i] = std::nan("");
      return;
    case StorageType::categorical:
      c.codes[i] = -1;
      return;
    default:
      mark_valid(c, i, false);
      return;
  }
}

static std::string json_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return format_double(v.get<double>());
  return v.dump();
}

static std::optional<double> json_number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    try {
      size_t used = 0;
      double x = std::stod(s, &used);
      if (used == s.size()) return x;
    } catch (...) {
    }
  }
  return std::nullopt;
}

static std::optional<double> encode_impl(const Column& c, const Json& v,
                                         std::string* new_category) {
  auto bad = [&](const std::string& expected) {
    return InvalidArgument("value " + v.dump() + " cannot be stored in column '" + c.name + "' (" +
                           to_string(c.type) + "); expected " + expected);
  };
  switch (c.type) {
    case StorageType::categorical: {
      if (!v.is_string() && !v.is_number() && !v.is_boolean()) throw bad("a category name");
      const std::string s = json_text(v);
      auto it = std::find(c.dict.begin(), c.dict.end(), s);
      if (it != c.dict.end()) return static_cast<double>(it - c.dict.begin());
      if (new_category) *new_category = s;
      return std::nullopt;
    }
    case StorageType::float64:
    case StorageType::int64: {
      auto x = json_number(v);
      if (!x || !std::isfinite(*x)) throw bad("a number");
      return x;
    }
    case StorageType::boolean: {
      if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
      if (v.is_number() && (v.get<double>() == 0 || v.get<double>() == 1)) return v.get<double>();
      if (v.is_string()) {
        auto b = parse_bool_token(v.get<std::string>());
        if (!b && (v == "0" || v == "1")) b = v == "1";
        if (b) return *b ? 1.0 : 0.0;
      }
      throw bad("true/false");
    }
    case StorageType::datetime: {
      if (v.is_number()) return v.get<double>();
      if (v.is_string()) {
        auto t = parse_datetime(v.get<std::string>());
        if (t) return static_cast<double>(*t);
      }
      throw bad("an ISO date such as \"2024-01-31\"");
    }
  }
  return std::nullopt;
}

std::optional<double> encode_value(const Column& c, const Json& v) {
  return encode_impl(c, v, nullptr);
}

std::optional<double> encode_value(Column& c, const Json& v, bool extend) {
  std::string fresh;
  auto code = encode_impl(c, v, &fresh);
  if (code || !extend || c.type != StorageType::categorical) return code;
  c.dict.push_back(fresh);
  return static_cast<double>(c.dict.size() - 1);
}

std::vector<double> distinct_values(const Column& c, const std::vector<size_t>& rows) {
  std::vector<double> out;
  auto add = [&](size_t i) {
    double x = c.numeric(i);
    if (!std::isnan(x)) out.push_back(x);
  };
  if (rows.empty())
    for (size_t i = 0; i < c.size(); ++i) add(i);
  else
    for (size_t i : rows) add(i);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<int> compare_cell(const Column& c, size_t i, const Json& v) {
  if (c.is_missing(i)) return std::nullopt;
  if (c.type == StorageType::categorical) {
    int r = c.dict[c.codes[i]].compare(json_text(v));
    return (r > 0) - (r < 0);
  }
  double x = c.numeric(i), y = *encode_value(c, v);
  return (x > y) - (x < y);
}

Moments moments(const Column& c, const std::vector<size_t>& rows) {
  Moments m;
  double sum = 0;
  for (size_t i : rows) {
    double x = c.numeric(i);
    if (std::isnan(x)) continue;
    sum += x;
    ++m.count;
  }
  if (m.count == 0) return m;
  m.mean = sum / m.count;
  double ss = 0;
  for (size_t i : rows) {
    double x = c.numeric(i);
    if (!std::isnan(x)) ss += (x - m.mean) * (x - m.mean);
  }
  m.std = std::sqrt(ss / m.count);
  return m;
}

std::vector<std::string> column_list(const Json& v, const std::string& param) {
  if (v.is_string()) return {v.get<std::string>()};
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_string()) break;
      out.push_back(e.get<std::string>());
    }
    if (out.size() == v.size() && !out.empty()) return out;
  }
  throw InvalidArgument("'" + param + "' must be a column name or a non-empty list of names, got " +
                        v.dump());
}

void require_column(const Table& t, const std::string& name, const std::string& where) {
  if (!t.has(name))
    throw InvalidArgument(where + ": unknown column '" + name +
                          "'; columns: " + join_names(t.column_names()));
}

void warn(const Logger* log, const std::string& message) {
  if (log) log->warning(message);
}

}  // namespace calm::drift
