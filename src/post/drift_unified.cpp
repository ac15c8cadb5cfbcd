// inject_drift: the original DriftInjector's unified dispatcher. One step drifts several columns of
// mixed types with one transition (drift_mode abrupt | gradual | incremental | recurrent, the
// weights of drift_weights.hpp): numeric columns by numeric_operation (x moves by w_i times the
// full drift), categorical columns by categorical_operation and 0/1 or boolean columns by
// boolean_operation, each row changing with probability w_i * m. Unlike the original, every mode
// works for every column type, `repeats` is honoured, conditions keep the mode, and the window
// centre is relative to the selection like in every other method.
#include <algorithm>

#include "calm/core/error.hpp"
#include "post/drift_categorical_ops.hpp"
#include "post/drift_cells.hpp"
#include "post/drift_feature_ops.hpp"
#include "post/drift_method.hpp"
#include "post/drift_weights.hpp"

namespace calm::drift {
namespace {

enum class Kind { numeric, categorical, boolean };

const std::vector<std::string>& categorical_operations() {
  static const std::vector<std::string> ops = {"frequency", "new_category", "typos", "switch"};
  return ops;
}

Kind kind_of(const Column& c) {
  if (is_binary(c)) return Kind::boolean;
  if (c.type == StorageType::categorical) return Kind::categorical;
  return Kind::numeric;
}

ParamSpec unified_spec() {
  ParamSpec spec;
  spec.add({.name = "columns",
            .type = ParamType::any,
            .default_value = nullptr,
            .doc = "column or list of columns (numeric, categorical, boolean or 0/1)",
            .aliases = {"feature_cols", "cols"}});
  spec.add({.name = "drift_magnitude",
            .type = ParamType::number,
            .default_value = 0.3,
            .doc = "numeric: the operation's magnitude; categorical/boolean: the probability that "
                   "a row at full drift changes (must then be <= 1)",
            .min = 0.0});
  spec.add({.name = "drift_mode",
            .type = ParamType::choice,
            .default_value = "abrupt",
            .doc = "how the drift enters over the selected rows",
            .choices = drift_modes()});
  spec.add({.name = "numeric_operation",
            .type = ParamType::choice,
            .default_value = "shift",
            .doc = "operation on numeric columns",
            .choices = numeric_drift_types()});
  spec.add({.name = "categorical_operation",
            .type = ParamType::choice,
            .default_value = "frequency",
            .doc = "frequency: redraw from the perturbed distribution; new_category: take "
                   "new_category (default NEW_<column>); typos: character edits of the value; "
                   "switch: another value seen in the selection",
            .choices = categorical_operations()});
  spec.add({.name = "boolean_operation",
            .type = ParamType::choice,
            .default_value = "flip",
            .doc = "operation on boolean and 0/1 columns",
            .choices = {"flip"}});
  spec.add({.name = "drift_value",
            .type = ParamType::number,
            .default_value = nullptr,
            .doc = "operand of the *_value numeric operations",
            .nullable = true});
  spec.add({.name = "drift_values",
            .type = ParamType::any,
            .default_value = nullptr,
            .doc = "per-column operands {column: value}; take priority over drift_value",
            .nullable = true});
  spec.add({.name = "perturbation",
            .type = ParamType::choice,
            .default_value = "uniform",
            .doc = "target distribution of categorical_operation=frequency",
            .choices = frequency_perturbations()});
  spec.add({.name = "new_category",
            .type = ParamType::any,
            .default_value = nullptr,
            .doc = "value of categorical_operation=new_category (default NEW_<column>)",
            .nullable = true});
  spec.add({.name = "typo_density",
            .type = ParamType::integer,
            .default_value = 1,
            .doc = "character edits per value with categorical_operation=typos",
            .min = 1.0});
  spec.add({.name = "typo_type",
            .type = ParamType::choice,
            .default_value = "random",
            .doc = "edit kind of categorical_operation=typos",
            .choices = typo_kinds()});
  spec.add({.name = "repeats",
            .type = ParamType::integer,
            .default_value = 3,
            .doc = "ramps of drift_mode=recurrent",
            .min = 1.0});
  spec.add({.name = "conditions",
            .type = ParamType::any,
            .default_value = nullptr,
            .doc = "optional list of {column, operator, value}: only selected rows meeting all "
                   "drift (the mode's ramp runs over those rows)",
            .nullable = true});
  add_window_params(spec, true);
  add_selection_params(spec);
  return spec;
}

std::string new_category_name(const Params& p, const std::string& column) {
  return p.is_null("new_category") ? "NEW_" + column : p.raw("new_category").get<std::string>();
}

void check_unified(const Params& p, const Table& t, const StepContext& s) {
  const auto cols = column_list(p.raw("columns"), "columns");
  check_columns(
      t, cols,
      {StorageType::float64, StorageType::int64, StorageType::categorical, StorageType::boolean},
      s);
  const double m = p.get_double("drift_magnitude");
  const std::string op = p.get_string("numeric_operation");
  const Json& per = p.raw("drift_values");
  if (!per.is_null() && !per.is_object())
    throw InvalidArgument(s.where + ": 'drift_values' must be a dict {column: number}");
  if (per.is_object())
    for (auto it = per.begin(); it != per.end(); ++it) {
      if (std::find(cols.begin(), cols.end(), it.key()) == cols.end())
        throw InvalidArgument(s.where + ": drift_values names column '" + it.key() +
                              "' which is not in columns (" + join_names(cols) + ")");
      if (!it.value().is_number())
        throw InvalidArgument(s.where + ": drift_values['" + it.key() + "'] must be a number");
    }
  if (!p.is_null("new_category") && !p.raw("new_category").is_string())
    throw InvalidArgument(s.where + ": 'new_category' must be a text value, got " +
                          p.raw("new_category").dump());
  if (!p.is_null("conditions")) check_conditions(p.raw("conditions"), t, s);
  for (const auto& name : cols) {
    const Column& c = t.column(name);
    const Kind kind = kind_of(c);
    if (kind != Kind::numeric && m > 1)
      throw InvalidArgument(s.where + ": drift_magnitude is " + std::to_string(m) + ", but for " +
                            (kind == Kind::boolean ? "boolean" : "categorical") + " column '" +
                            name + "' it is a probability and must be in [0, 1]");
    if (kind != Kind::numeric || !op.ends_with("_value")) continue;
    const FeatureOp fo = feature_op_for(p, name, "numeric_operation");
    if (!fo.value)
      throw InvalidArgument(s.where + ": numeric_operation '" + op +
                            "' needs 'drift_value' (or drift_values['" + name + "'])");
    if (op == "divide_value" && *fo.value == 0)
      throw InvalidArgument(s.where + ": drift_value cannot be zero for divide_value");
  }
}

Table apply_unified(const Table& t, const Params& p, const std::vector<size_t>& selected, Rng& rng,
                    const StepContext& s) {
  std::vector<size_t> rows = selected;
  if (!p.is_null("conditions")) {
    rows = rows_meeting(t, selected, p.raw("conditions"));
    if (rows.empty()) warn(s.ctx.log, s.where + ": no selected row meets the conditions");
  }
  // One transition for all columns, so they drift together.
  const std::vector<double> w =
      mode_weights(p.get_string("drift_mode"),
                   rows.size() == selected.size() ? s.span : SelectionSpan::whole(rows.size()),
                   window_from(p), static_cast<size_t>(p.get_int("repeats")), rng);
  const double m = p.get_double("drift_magnitude");
  Table out = t;
  for (const auto& name : column_list(p.raw("columns"), "columns")) {
    Column c = out.column(name);
    switch (kind_of(c)) {
      case Kind::numeric:
        apply_feature_op(c, rows, w, feature_op_for(p, name, "numeric_operation"), rng);
        break;
      case Kind::boolean:
        flip_binary(c, rows, w, m, rng);
        break;
      case Kind::categorical: {
        const std::string op = p.get_string("categorical_operation");
        if (op == "frequency") {
          redraw_frequency(c, rows, w, m, p.get_string("perturbation"), rng);
        } else if (op == "new_category") {
          const double code = *encode_value(c, Json(new_category_name(p, name)), true);
          set_value(c, rows, w, m, code, {}, rng);
        } else if (op == "typos") {
          apply_typos(c, rows, w, m, p.get_int("typo_density"), p.get_string("typo_type"), rng);
        } else {
          // A categorical column's feature op switches to another value seen in the selection.
          apply_feature_op(c, rows, w, FeatureOp{.type = "switch", .magnitude = m}, rng);
        }
        break;
      }
    }
    out = out.with_column(std::move(c));
  }
  return out;
}

}  // namespace

void add_unified_methods(std::vector<DriftMethod>& out) {
  DriftMethod m;
  m.name = "inject_drift";
  m.summary =
      "one drift over columns of any type: numeric_operation / categorical_operation / "
      "boolean_operation with an abrupt, gradual, incremental or recurrent transition";
  m.spec = unified_spec();
  m.required = {"columns"};
  m.check = check_unified;
  m.apply = apply_unified;
  out.push_back(std::move(m));
}

}  // namespace calm::drift
