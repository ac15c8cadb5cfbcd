// Per-value feature drift operations (see drift_feature_ops.hpp). Means and standard deviations
// are those of the selected rows (ddof 0), measured before the change; missing cells stay missing.
#include "post/drift_feature_ops.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "post/drift_cells.hpp"

namespace calm::drift {

const std::vector<std::string>& numeric_drift_types() {
  static const std::vector<std::string> t = {"gaussian_noise", "uniform_noise", "shift",
                                             "scale",          "add_value",     "subtract_value",
                                             "multiply_value", "divide_value"};
  return t;
}

static bool needs_value(const std::string& type) {
  return type.ends_with("_value");
}

std::vector<ParamDef> feature_op_params() {
  return {
      {.name = "feature_cols",
       .type = ParamType::any,
       .default_value = nullptr,
       .doc = "column or list of columns to drift",
       .aliases = {"columns", "cols"}},
      {.name = "drift_type",
       .type = ParamType::choice,
       .default_value = "gaussian_noise",
       .doc = "numeric operation (categorical/boolean columns switch values instead)",
       .choices = numeric_drift_types()},
      {.name = "drift_magnitude",
       .type = ParamType::number,
       .default_value = 0.2,
       .doc = "size of the drift (relative to the column's mean or std for the relative types)",
       .min = 0.0},
      {.name = "drift_value",
       .type = ParamType::number,
       .default_value = nullptr,
       .doc = "operand of add/subtract/multiply/divide_value",
       .nullable = true},
      {.name = "drift_values",
       .type = ParamType::any,
       .default_value = nullptr,
       .doc = "per-column operands {column: value}; take priority over drift_value",
       .nullable = true},
  };
}

FeatureOp feature_op_for(const Params& p, const std::string& column,
                         const std::string& type_param) {
  FeatureOp op;
  op.type = p.get_string(type_param);
  op.magnitude = p.get_double("drift_magnitude");
  const Json& per = p.raw("drift_values");
  if (per.is_object() && per.contains(column))
    op.value = per[column].get<double>();
  else if (!p.is_null("drift_value"))
    op.value = p.get_double("drift_value");
  return op;
}

void check_feature_op(const Params& p, const Table& t, const StepContext& s) {
  auto cols = column_list(p.raw("feature_cols"), "feature_cols");
  check_columns(
      t, cols,
      {StorageType::float64, StorageType::int64, StorageType::categorical, StorageType::boolean},
      s);
  const Json& per = p.raw("drift_values");
  if (!per.is_null()) {
    if (!per.is_object())
      throw InvalidArgument(s.where + ": 'drift_values' must be a dict {column: number}");
    for (auto it = per.begin(); it != per.end(); ++it) {
      if (std::find(cols.begin(), cols.end(), it.key()) == cols.end())
        throw InvalidArgument(s.where + ": drift_values names column '" + it.key() +
                              "' which is not in feature_cols (" + join_names(cols) + ")");
      if (!it.value().is_number())
        throw InvalidArgument(s.where + ": drift_values['" + it.key() + "'] must be a number");
    }
  }
  const std::string type = p.get_string("drift_type");
  if (!needs_value(type)) return;
  for (const auto& c : cols) {
    if (!t.column(c).is_numeric_storage()) continue;
    auto op = feature_op_for(p, c);
    if (!op.value)
      throw InvalidArgument(s.where + ": drift_type '" + type +
                            "' needs 'drift_value' (or drift_values['" + c + "'])");
    if (type == "divide_value" && *op.value == 0)
      throw InvalidArgument(s.where + ": drift_value cannot be zero for divide_value");
  }
}

static double numeric_target(double x, double w, const FeatureOp& op, const Moments& m, Rng& rng) {
  const double mag = op.magnitude;
  const std::string& t = op.type;
  if (t == "gaussian_noise") return x + w * mag * m.std * rng.normal();
  if (t == "uniform_noise") return x + w * mag * m.std * (2 * rng.uniform() - 1);
  if (t == "shift") return x + w * mag * m.mean;
  if (t == "scale") return m.mean + (x - m.mean) * (1 + w * mag);
  const double v = *op.value;
  if (t == "add_value") return x + w * v;
  if (t == "subtract_value") return x - w * v;
  if (t == "multiply_value") return x * (1 + w * (v - 1));
  if (t == "divide_value") return x * (1 + w * (1 / v - 1));
  throw InternalError("unhandled drift_type " + t);
}

void apply_feature_op(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w,
                      const FeatureOp& op, Rng& rng) {
  if (c.is_numeric_storage()) {
    const Moments m = moments(c, rows);
    for (size_t k = 0; k < rows.size(); ++k) {
      const double x = c.numeric(rows[k]);
      if (std::isnan(x)) continue;
      set_cell(c, rows[k], numeric_target(x, std::clamp(w[k], 0.0, 1.0), op, m, rng));
    }
    return;
  }
  // Booleans have a known domain, so they flip; categories switch to another value seen among the
  // selected rows, and only when there is one.
  std::vector<double> values =
      c.type == StorageType::boolean ? std::vector<double>{0, 1} : distinct_values(c, rows);
  if (values.size() < 2) return;
  const double p = std::clamp(op.magnitude, 0.0, 1.0);
  for (size_t k = 0; k < rows.size(); ++k) {
    const double u = rng.uniform();
    const double x = c.numeric(rows[k]);
    if (std::isnan(x) || u >= std::clamp(w[k], 0.0, 1.0) * p) continue;
    size_t pick = rng.below(values.size() - 1);
    if (values[pick] >= x) ++pick;  // skip the current value: uniform over the others
    set_cell(c, rows[k], values[pick]);
  }
}

Table drift_feature_columns(const Table& t, const Params& p, const std::vector<size_t>& rows,
                            const std::vector<double>& w, Rng& rng) {
  Table out = t;
  for (const auto& name : column_list(p.raw("feature_cols"), "feature_cols")) {
    Column c = out.column(name);
    apply_feature_op(c, rows, w, feature_op_for(p, name), rng);
    out = out.with_column(std::move(c));
  }
  return out;
}

}  // namespace calm::drift
