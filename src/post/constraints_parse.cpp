// Parsing and validation of the `constraints` list (docs/constraints.md): every entry is checked
// against the real table's columns and storage types before anything is fitted, and unknown
// types, ops, keys or columns are errors that list the valid ones.
#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "calm/post/constraints.hpp"
#include "post/constraint_rule.hpp"

namespace calm {
namespace {

const std::vector<std::string> kTypes = {
    "compare", "range",    "greater_than", "fixed_combinations",
    "unique",  "positive", "negative",     "formula"};
const std::vector<std::string> kOps = {">", ">=", "<", "<=", "==", "!="};

struct Entry {
  const Json& spec;
  size_t index;
  std::string where() const { return "constraints[" + std::to_string(index) + "] " + spec.dump(); }
  [[noreturn]] void fail(const std::string& what) const {
    throw InvalidArgument(where() + ": " + what);
  }

  void allow_keys(const std::vector<std::string>& keys) const {
    for (auto it = spec.begin(); it != spec.end(); ++it)
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
        fail("unknown key '" + it.key() + "'; valid keys: " + join_names(keys));
  }
  const Json& need(const std::string& key) const {
    if (!spec.contains(key)) fail("missing key '" + key + "'");
    return spec.at(key);
  }
  std::string column(const std::string& key, const Table& real) const {
    const Json& v = need(key);
    if (!v.is_string()) fail("'" + key + "' must be a column name, got " + v.dump());
    const std::string name = v.get<std::string>();
    if (!real.has(name))
      fail("unknown column '" + name + "'; columns are: " + join_names(real.column_names()));
    return name;
  }
  bool flag(const std::string& key, bool fallback) const {
    if (!spec.contains(key)) return fallback;
    if (!spec.at(key).is_boolean()) fail("'" + key + "' must be true or false");
    return spec.at(key).get<bool>();
  }
};

bool orderable(const Column& c) {
  return c.is_numeric_storage() || c.type == StorageType::datetime;
}

// A bound or comparison value in the column's Column::numeric encoding.
double numeric_value(const Entry& e, const std::string& key, const Json& v, const Column& c) {
  if (c.type == StorageType::datetime && v.is_string()) {
    if (auto t = parse_datetime(v.get<std::string>())) return static_cast<double>(*t);
    e.fail("'" + key + "' must be a date like 2024-01-31 for datetime column '" + c.name + "'");
  }
  if (c.type == StorageType::boolean && v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (!v.is_number() || !std::isfinite(v.get<double>()))
    e.fail("'" + key + "' must be a number for column '" + c.name + "', got " + v.dump());
  return v.get<double>();
}

std::shared_ptr<ConstraintRule> parse_compare(const Entry& e, const Table& real) {
  e.allow_keys({"type", "col", "op", "val"});
  auto r = std::make_shared<ConstraintRule>();
  r->kind = RuleKind::compare;
  r->column = e.column("col", real);
  const Json& op = e.need("op");
  if (!op.is_string() || std::find(kOps.begin(), kOps.end(), op.get<std::string>()) == kOps.end())
    e.fail("unknown op " + op.dump() + "; valid ops: " + join_names(kOps));
  r->op = op.get<std::string>();
  const Column& c = real.column(r->column);
  const Json& val = e.need("val");
  if (c.type == StorageType::categorical) {
    if (r->op != "==" && r->op != "!=")
      e.fail("column '" + c.name + "' is categorical; only == and != apply to it");
    if (!val.is_string() && !val.is_number())
      e.fail("'val' must be a category label of '" + c.name + "', got " + val.dump());
    r->label = val.is_string() ? val.get<std::string>() : format_double(val.get<double>());
    if (std::find(c.dict.begin(), c.dict.end(), r->label) == c.dict.end())
      e.fail("value '" + r->label + "' does not occur in '" + c.name +
             "'; known values: " + join_names(c.dict));
  } else {
    r->value = numeric_value(e, "val", val, c);
  }
  return r;
}

std::shared_ptr<ConstraintRule> parse_sign(const Entry& e, const Table& real, bool positive) {
  e.allow_keys({"type", "col", "strict"});
  auto r = std::make_shared<ConstraintRule>();
  r->kind = RuleKind::compare;
  r->column = e.column("col", real);
  if (!real.column(r->column).is_numeric_storage())
    e.fail("column '" + r->column + "' is not numeric");
  const bool strict = e.flag("strict", false);
  r->op = positive ? (strict ? ">" : ">=") : (strict ? "<" : "<=");
  r->value = 0;
  return r;
}

std::shared_ptr<ConstraintRule> parse_range(const Entry& e, const Table& real) {
  e.allow_keys({"type", "col", "min", "max", "clip"});
  auto r = std::make_shared<ConstraintRule>();
  r->kind = RuleKind::range;
  r->column = e.column("col", real);
  const Column& c = real.column(r->column);
  if (!orderable(c)) e.fail("column '" + c.name + "' is not numeric or datetime");
  if (!e.spec.contains("min") && !e.spec.contains("max")) e.fail("give 'min', 'max' or both");
  if (e.spec.contains("min")) r->min = numeric_value(e, "min", e.spec.at("min"), c);
  if (e.spec.contains("max")) r->max = numeric_value(e, "max", e.spec.at("max"), c);
  if (r->min > r->max) e.fail("'min' is above 'max'");
  r->clip = e.flag("clip", false);
  if (r->clip && c.type == StorageType::int64 && std::ceil(r->min) > std::floor(r->max))
    e.fail("no integer lies in [min, max] for integer column '" + c.name + "'");
  return r;
}

std::shared_ptr<ConstraintRule> parse_greater_than(const Entry& e, const Table& real) {
  e.allow_keys({"type", "low", "high", "strict"});
  auto r = std::make_shared<ConstraintRule>();
  r->kind = RuleKind::greater_than;
  r->columns = {e.column("low", real), e.column("high", real)};
  for (const auto& name : r->columns)
    if (!orderable(real.column(name))) e.fail("column '" + name + "' is not numeric or datetime");
  if ((real.column(r->columns[0]).type == StorageType::datetime) !=
      (real.column(r->columns[1]).type == StorageType::datetime))
    e.fail("'low' and 'high' must both be dates or both be numbers");
  r->strict = e.flag("strict", true);
  return r;
}

std::shared_ptr<ConstraintRule> parse_fixed_combinations(const Entry& e, const Table& real) {
  e.allow_keys({"type", "columns"});
  auto r = std::make_shared<ConstraintRule>();
  r->kind = RuleKind::fixed_combinations;
  const Json& cols = e.need("columns");
  if (!cols.is_array() || cols.size() < 2) e.fail("'columns' must list at least 2 columns");
  for (const auto& c : cols) {
    if (!c.is_string()) e.fail("'columns' must hold column names, got " + c.dump());
    const std::string name = c.get<std::string>();
    if (!real.has(name))
      e.fail("unknown column '" + name + "'; columns are: " + join_names(real.column_names()));
    r->columns.push_back(name);
  }
  for (size_t i = 0; i < real.num_rows(); ++i) r->combinations.insert(r->combination_key(real, i));
  return r;
}

std::shared_ptr<ConstraintRule> parse_unique(const Entry& e, const Table& real) {
  e.allow_keys({"type", "col"});
  auto r = std::make_shared<ConstraintRule>();
  r->kind = RuleKind::unique;
  r->column = e.column("col", real);
  return r;
}

std::shared_ptr<ConstraintRule> parse_formula(const Entry& e, const Table& real) {
  e.allow_keys({"type", "col", "expr"});
  auto r = std::make_shared<ConstraintRule>();
  r->kind = RuleKind::formula;
  r->column = e.column("col", real);
  if (!real.column(r->column).is_numeric_storage())
    e.fail("formula column '" + r->column + "' is not numeric");
  const Json& expr = e.need("expr");
  if (!expr.is_string()) e.fail("'expr' must be a string such as \"price * quantity\"");
  std::vector<std::string> usable;
  for (const auto& name : real.column_names()) {
    const Column& c = real.column(name);
    if (name != r->column && (c.is_numeric_storage() || c.type == StorageType::boolean))
      usable.push_back(name);
  }
  try {
    r->expression = Expression::parse(expr.get<std::string>(), usable);
  } catch (const InvalidArgument& err) {
    e.fail(std::string(err.what()) + " (usable: numeric and boolean columns other than '" +
           r->column + "')");
  }
  return r;
}

}  // namespace

ConstraintSet ConstraintSet::parse(const Json& spec, const Table& real) {
  ConstraintSet set;
  if (spec.is_null()) return set;
  if (!spec.is_array())
    throw InvalidArgument("constraints must be a list of dicts, got " + spec.dump());
  for (size_t i = 0; i < spec.size(); ++i) {
    const Entry e{spec[i], i};
    if (!e.spec.is_object()) e.fail("each constraint must be a dict");
    std::string type = "compare";
    if (e.spec.contains("type")) {
      if (!e.spec.at("type").is_string()) e.fail("'type' must be a string");
      type = e.spec.at("type").get<std::string>();
    } else if (!e.spec.contains("op")) {
      e.fail("give 'type' (one of " + join_names(kTypes) + ") or the {col, op, val} form");
    }
    std::shared_ptr<ConstraintRule> r;
    if (type == "compare")
      r = parse_compare(e, real);
    else if (type == "range")
      r = parse_range(e, real);
    else if (type == "greater_than")
      r = parse_greater_than(e, real);
    else if (type == "fixed_combinations")
      r = parse_fixed_combinations(e, real);
    else if (type == "unique")
      r = parse_unique(e, real);
    else if (type == "positive" || type == "negative")
      r = parse_sign(e, real, type == "positive");
    else if (type == "formula")
      r = parse_formula(e, real);
    else
      e.fail("unknown type '" + type + "'; valid types: " + join_names(kTypes));
    r->source = e.spec;
    set.rules_.push_back(r);
  }
  return set;
}

}  // namespace calm
