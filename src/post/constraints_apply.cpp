// Enforcement side of the constraints: transforms that make rows valid exactly (formula, range with
// clip), row tests for the reject-and-resample loop in the api layer, uniqueness across kept rows,
// and the checks run on the real data (warnings) and before fitting (feasibility).
#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "calm/post/constraints.hpp"
#include "post/constraint_rule.hpp"

namespace calm {
namespace {

bool compare(double x, const std::string& op, double v) {
  if (op == ">") return x > v;
  if (op == ">=") return x >= v;
  if (op == "<") return x < v;
  if (op == "<=") return x <= v;
  if (op == "==") return x == v;
  return x != v;
}

// Writes `values` (NaN = missing) into a copy of `c`, keeping its storage type; integer and
// datetime columns are rounded, floats rounded to the source's decimals when known.
Column store(const Column& c, const std::vector<double>& values) {
  Column out = c;
  const size_t n = values.size();
  if (c.type == StorageType::float64) {
    for (size_t i = 0; i < n; ++i)
      out.f64[i] = c.format.decimals >= 0 && std::isfinite(values[i])
                       ? round_to_decimals(values[i], c.format.decimals)
                       : values[i];
    return out;
  }
  out.valid.assign(n, 1);
  for (size_t i = 0; i < n; ++i) {
    const bool ok = std::isfinite(values[i]) && std::abs(values[i]) < 9.2e18;
    out.valid[i] = ok;
    out.i64[i] = ok ? std::llround(values[i]) : 0;
  }
  return out;
}

std::vector<double> clipped(const ConstraintRule& r, const Column& c) {
  double lo = r.min, hi = r.max;
  if (c.type != StorageType::float64) lo = std::ceil(lo), hi = std::floor(hi);
  std::vector<double> v(c.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const double x = c.numeric(i);
    v[i] = std::isnan(x) ? x : std::clamp(x, lo, hi);
  }
  return v;
}

// Whether row i passes a (non-transform, non-unique) rule; `code` is the categorical label's code
// in this table (-2 when the label is absent).
bool passes(const ConstraintRule& r, const Table& t, size_t i, int32_t code) {
  switch (r.kind) {
    case RuleKind::compare: {
      const Column& c = t.column(r.column);
      if (c.is_missing(i)) return true;
      if (c.type == StorageType::categorical) return (c.codes[i] == code) == (r.op == "==");
      return compare(c.numeric(i), r.op, r.value);
    }
    case RuleKind::range: {
      const double x = t.column(r.column).numeric(i);
      return std::isnan(x) || (x >= r.min && x <= r.max);
    }
    case RuleKind::greater_than: {
      const double lo = t.column(r.columns[0]).numeric(i), hi = t.column(r.columns[1]).numeric(i);
      if (std::isnan(lo) || std::isnan(hi)) return true;
      return r.strict ? hi > lo : hi >= lo;
    }
    case RuleKind::fixed_combinations:
      return r.combinations.count(r.combination_key(t, i)) > 0;
    case RuleKind::unique:
    case RuleKind::formula:
      return true;
  }
  return true;
}

int32_t label_code(const ConstraintRule& r, const Table& t) {
  if (r.kind != RuleKind::compare) return -2;
  const Column& c = t.column(r.column);
  if (c.type != StorageType::categorical) return -2;
  auto it = std::find(c.dict.begin(), c.dict.end(), r.label);
  return it == c.dict.end() ? -2 : static_cast<int32_t>(it - c.dict.begin());
}

}  // namespace

bool ConstraintSet::has_tests() const {
  for (const auto& r : rules_)
    if (!r->is_transform()) return true;
  return false;
}

std::string ConstraintSet::describe(size_t i) const {
  return rules_[i]->source.dump();
}

Table ConstraintSet::transform(const Table& t) const {
  Table out = t;
  for (const auto& r : rules_) {
    if (!r->is_transform()) continue;
    const Column& c = out.column(r->column);
    const auto values =
        r->kind == RuleKind::formula ? r->expression->evaluate(out) : clipped(*r, c);
    out = out.with_column(store(c, values));
  }
  return out;
}

std::vector<uint8_t> ConstraintSet::check(const Table& t, std::vector<size_t>& violations) const {
  violations.resize(rules_.size(), 0);
  std::vector<uint8_t> valid(t.num_rows(), 1);
  for (size_t k = 0; k < rules_.size(); ++k) {
    const ConstraintRule& r = *rules_[k];
    if (r.is_transform() || r.kind == RuleKind::unique) continue;
    const int32_t code = label_code(r, t);
    for (size_t i = 0; i < valid.size(); ++i)
      if (!passes(r, t, i, code)) {
        valid[i] = 0;
        ++violations[k];
      }
  }
  return valid;
}

void ConstraintSet::warn_if_real_violates(const Table& real, const Logger& log) const {
  const size_t n = real.num_rows();
  auto warn = [&](size_t k, size_t bad, const std::string& what) {
    if (bad == 0) return;
    log.warning(
        "constraint " + describe(k) + ": " + std::to_string(bad) + " of " + std::to_string(n) +
        " real rows " + what + " (" +
        format_double(std::round(1000.0 * static_cast<double>(bad) / static_cast<double>(n)) / 10) +
        "%); every synthetic row will satisfy it");
  };
  std::vector<size_t> violations;
  check(real, violations);
  for (size_t k = 0; k < rules_.size(); ++k) {
    const ConstraintRule& r = *rules_[k];
    size_t bad = violations[k];
    if (r.kind == RuleKind::formula) {
      const auto expect = r.expression->evaluate(real);
      const Column& c = real.column(r.column);
      for (size_t i = 0; i < n; ++i) {
        const double x = c.numeric(i);
        const double tol = 1e-9 * std::max(1.0, std::abs(expect[i])) +
                           (c.format.decimals >= 0 ? 0.5 * std::pow(10.0, -c.format.decimals) : 0);
        if (!std::isnan(x) && !std::isnan(expect[i]) && std::abs(x - expect[i]) > tol) ++bad;
      }
    } else if (r.kind == RuleKind::range && r.clip) {
      const Column& c = real.column(r.column);
      for (size_t i = 0; i < n; ++i) {
        const double x = c.numeric(i);
        bad += !std::isnan(x) && (x < r.min || x > r.max);
      }
    } else if (r.kind == RuleKind::unique) {
      std::set<std::string> seen;
      const Column& c = real.column(r.column);
      for (size_t i = 0; i < n; ++i)
        if (!c.is_missing(i) && !seen.insert(c.text(i)).second) ++bad;
    }
    warn(k, bad, "violate it");
  }
}

void ConstraintSet::check_feasible(const Table& real, size_t n) const {
  for (size_t k = 0; k < rules_.size(); ++k) {
    const ConstraintRule& r = *rules_[k];
    if (r.kind != RuleKind::unique) continue;
    const Column& c = real.column(r.column);
    size_t values = 0;
    if (c.type == StorageType::categorical)
      values = c.dict.size();
    else if (c.type == StorageType::boolean)
      values = 2;
    else
      continue;
    if (values < n)
      throw DataError("constraint " + describe(k) + " cannot hold: column '" + r.column + "' has " +
                      std::to_string(values) + " possible values and " + std::to_string(n) +
                      " rows were asked for");
  }
}

ConstraintSet::UniqueGuard::UniqueGuard(const ConstraintSet& set) {
  for (const auto& r : set.rules_)
    if (r->kind == RuleKind::unique) columns_.push_back(r->column);
  seen_.resize(columns_.size());
}

bool ConstraintSet::UniqueGuard::admit(const Table& t, size_t row) {
  std::vector<std::string> keys(columns_.size());
  for (size_t k = 0; k < columns_.size(); ++k) {
    const Column& c = t.column(columns_[k]);
    if (c.is_missing(row)) continue;
    keys[k] = c.text(row);
    if (seen_[k].count(keys[k])) return false;
  }
  for (size_t k = 0; k < columns_.size(); ++k)
    if (!keys[k].empty()) seen_[k].insert(keys[k]);
  return true;
}

}  // namespace calm
