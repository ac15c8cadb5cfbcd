// Weighted categorical and boolean drift operations (see drift_categorical_ops.hpp). One uniform
// draw per eligible row decides whether it changes, so a run is repeatable for a given stream.
#include "post/drift_categorical_ops.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "post/drift_cells.hpp"

namespace calm::drift {
namespace {

bool hit(double u, double w, double p) {
  return u < std::clamp(w, 0.0, 1.0) * std::clamp(p, 0.0, 1.0);
}

std::string typo(std::string s, const std::string& kind, Rng& rng) {
  static const char* kinds[] = {"swap", "delete", "duplicate"};
  const std::string k = kind == "random" ? kinds[rng.below(3)] : kind;
  const size_t pos = rng.below(s.size());
  if (k == "swap")
    std::swap(s[pos], s[(pos + 1) % s.size()]);
  else if (k == "delete")
    s.erase(pos, 1);
  else
    s.insert(pos, 1, s[pos]);
  return s;
}

}  // namespace

void redraw_frequency(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w,
                      double p, const std::string& perturbation, Rng& rng) {
  const auto values = distinct_values(c, rows);
  if (values.size() < 2) return;
  std::vector<double> share(values.size(), 0.0);
  double observed = 0;
  for (size_t i : rows) {
    const double x = c.numeric(i);
    if (std::isnan(x)) continue;
    share[std::lower_bound(values.begin(), values.end(), x) - values.begin()] += 1;
    observed += 1;
  }
  std::vector<double> cumulative(values.size());
  double acc = 0;
  for (size_t k = 0; k < values.size(); ++k) {
    double target = 1.0;
    if (perturbation == "random") target = rng.uniform();
    if (perturbation == "invert") target = 1.0 - share[k] / observed;
    cumulative[k] = acc += target;
  }
  for (size_t k = 0; k < rows.size(); ++k) {
    const double u = rng.uniform();
    if (c.is_missing(rows[k]) || !hit(u, w[k], p)) continue;
    set_cell(c, rows[k], values[rng.categorical(cumulative.data(), cumulative.size())]);
  }
}

void apply_typos(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w, double p,
                 int64_t density, const std::string& kind, Rng& rng) {
  std::map<std::string, int32_t> codes;
  for (size_t k = 0; k < c.dict.size(); ++k) codes.emplace(c.dict[k], static_cast<int32_t>(k));
  for (size_t k = 0; k < rows.size(); ++k) {
    const size_t i = rows[k];
    const double u = rng.uniform();
    if (c.is_missing(i) || !hit(u, w[k], p)) continue;
    std::string s = c.dict[c.codes[i]];
    if (s.size() < 2) continue;  // a one-letter value has no typo that keeps it a value
    for (int64_t e = 0; e < density && !s.empty(); ++e) s = typo(s, kind, rng);
    auto [it, added] = codes.emplace(s, static_cast<int32_t>(c.dict.size()));
    if (added) c.dict.push_back(s);
    c.codes[i] = it->second;
  }
}

bool is_binary(const Column& c) {
  if (c.type == StorageType::boolean) return true;
  if (c.type != StorageType::int64) return false;
  for (double v : distinct_values(c, {}))
    if (v != 0 && v != 1) return false;
  return true;
}

void flip_binary(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w, double p,
                 Rng& rng) {
  for (size_t k = 0; k < rows.size(); ++k) {
    const double u = rng.uniform();
    if (!c.is_missing(rows[k]) && hit(u, w[k], p)) set_cell(c, rows[k], 1 - c.numeric(rows[k]));
  }
}

void set_value(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w, double p,
               double value, const std::vector<double>& only, Rng& rng) {
  for (size_t k = 0; k < rows.size(); ++k) {
    const double u = rng.uniform();
    if (!only.empty() && std::find(only.begin(), only.end(), c.numeric(rows[k])) == only.end())
      continue;
    if (hit(u, w[k], p)) set_cell(c, rows[k], value);
  }
}

}  // namespace calm::drift
