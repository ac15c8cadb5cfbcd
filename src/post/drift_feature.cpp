// Feature drift methods: inject_feature_drift (abrupt), _gradual (window ramp), _incremental
// (linear ramp over the selection), _recurrent (a ramp per contiguous chunk) and
// inject_conditional_drift (any of those on the selected rows that meet a list of conditions).
// Concept-drift vocabulary after Gama et al., "A survey on concept drift adaptation" (2014).
#include <algorithm>

#include "calm/core/error.hpp"
#include "post/drift_cells.hpp"
#include "post/drift_feature_ops.hpp"
#include "post/drift_method.hpp"
#include "post/drift_weights.hpp"

namespace calm::drift {
namespace {

std::vector<double> mode_weights(const std::string& mode, SelectionSpan span, const Params& p,
                                 Rng& rng) {
  const size_t repeats =
      p.json().contains("repeats") ? static_cast<size_t>(p.get_int("repeats")) : 1;
  const Window win = p.json().contains("center") ? window_from(p) : Window{};
  return drift::mode_weights(mode, span, win, repeats, rng);
}

ParamSpec feature_spec(bool window, bool repeats, std::vector<ParamDef> extra = {}) {
  ParamSpec spec;
  for (auto& d : feature_op_params()) spec.add(d);
  for (auto& d : extra) spec.add(d);
  if (window) add_window_params(spec, true);
  if (repeats)
    spec.add({.name = "repeats",
              .type = ParamType::integer,
              .default_value = 2,
              .doc = "number of ramps",
              .min = 1.0});
  add_selection_params(spec);
  return spec;
}

DriftMethod feature_method(std::string name, std::string summary, std::string mode, bool window,
                           bool repeats) {
  DriftMethod m;
  m.name = std::move(name);
  m.summary = std::move(summary);
  m.spec = feature_spec(window, repeats);
  m.required = {"feature_cols"};
  m.check = check_feature_op;
  m.apply = [mode](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
                   const StepContext& s) {
    return drift_feature_columns(t, p, rows, mode_weights(mode, s.span, p, rng), rng);
  };
  return m;
}

DriftMethod conditional_method() {
  DriftMethod m;
  m.name = "inject_conditional_drift";
  m.summary = "feature drift on the selected rows that meet every condition";
  m.spec = feature_spec(true, true,
                        {{.name = "conditions",
                          .type = ParamType::any,
                          .default_value = nullptr,
                          .doc = "list of {column, operator (" + join_names(condition_operators()) +
                                 "), value}, all must hold"},
                         {.name = "drift_method",
                          .type = ParamType::choice,
                          .default_value = "abrupt",
                          .doc = "how the drift enters over the matching rows",
                          .choices = drift_modes()}});
  m.required = {"feature_cols", "conditions"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_feature_op(p, t, s);
    check_conditions(p.raw("conditions"), t, s);
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    const std::vector<size_t> matched = rows_meeting(t, rows, p.raw("conditions"));
    if (matched.empty()) warn(s.ctx.log, s.where + ": no selected row meets the conditions");
    auto w =
        mode_weights(p.get_string("drift_method"), SelectionSpan::whole(matched.size()), p, rng);
    return drift_feature_columns(t, p, matched, w, rng);
  };
  return m;
}

}  // namespace

// ---- conditions: [{"column", "operator", "value"}] ----

const std::vector<std::string>& condition_operators() {
  static const std::vector<std::string> ops = {">", ">=", "<", "<=", "==", "!=", "in", "not in"};
  return ops;
}

void check_conditions(const Json& conds, const Table& t, const StepContext& s) {
  if (!conds.is_array() || conds.empty())
    throw InvalidArgument(s.where +
                          ": 'conditions' must be a non-empty list of "
                          "{\"column\", \"operator\", \"value\"}");
  for (const auto& c : conds) {
    if (!c.is_object() || !c.contains("column") || !c.contains("value") || !c["column"].is_string())
      throw InvalidArgument(
          s.where + ": each condition needs 'column', 'operator' and 'value', got " + c.dump());
    for (auto it = c.begin(); it != c.end(); ++it)
      if (it.key() != "column" && it.key() != "operator" && it.key() != "value")
        throw InvalidArgument(s.where + ": unknown condition key '" + it.key() +
                              "'; valid keys: column, operator, value");
    const std::string col = c["column"].get<std::string>();
    require_column(t, col, s.where);
    const std::string op = c.value("operator", "==");
    if (std::find(condition_operators().begin(), condition_operators().end(), op) ==
        condition_operators().end())
      throw InvalidArgument(s.where + ": unknown operator '" + op +
                            "'; valid operators: " + join_names(condition_operators()));
    const bool list = op == "in" || op == "not in";
    if (list != c["value"].is_array())
      throw InvalidArgument(s.where + ": operator '" + op + "' takes " +
                            (list ? "a list" : "a single value") + ", got " + c["value"].dump());
    const Column& column = t.column(col);
    if (column.type != StorageType::categorical) {
      if (list)
        for (const auto& v : c["value"]) encode_value(column, v);
      else
        encode_value(column, c["value"]);
    }
  }
}

static bool meets(const Column& col, size_t i, const std::string& op, const Json& v) {
  if (op == "in" || op == "not in") {
    bool found = false;
    for (const auto& e : v) found = found || compare_cell(col, i, e) == 0;
    return col.is_missing(i) ? false : (op == "in") == found;
  }
  auto r = compare_cell(col, i, v);
  if (!r) return false;  // a missing cell meets no condition
  if (op == ">") return *r > 0;
  if (op == ">=") return *r >= 0;
  if (op == "<") return *r < 0;
  if (op == "<=") return *r <= 0;
  if (op == "==") return *r == 0;
  return *r != 0;
}

std::vector<size_t> rows_meeting(const Table& t, const std::vector<size_t>& rows,
                                 const Json& conditions) {
  std::vector<size_t> matched;
  for (size_t i : rows) {
    bool ok = true;
    for (const auto& c : conditions)
      ok = ok && meets(t.column(c["column"].get<std::string>()), i, c.value("operator", "=="),
                       c["value"]);
    if (ok) matched.push_back(i);
  }
  return matched;
}

void add_feature_methods(std::vector<DriftMethod>& out) {
  out.push_back(feature_method("inject_feature_drift",
                               "abrupt drift: the full drift on every selected row", "abrupt",
                               false, false));
  out.push_back(feature_method("inject_feature_drift_gradual",
                               "drift that ramps in around `center` over `width` rows", "gradual",
                               true, false));
  out.push_back(
      feature_method("inject_feature_drift_incremental",
                     "drift growing linearly from none (first selected row) to full (last)",
                     "incremental", false, false));
  out.push_back(feature_method("inject_feature_drift_recurrent",
                               "`repeats` successive ramps over contiguous chunks of the selection",
                               "recurrent", true, true));
  out.push_back(conditional_method());
}

}  // namespace calm::drift
