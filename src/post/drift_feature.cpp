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

const std::vector<std::string> kModes = {"abrupt", "gradual", "incremental", "recurrent"};

// w_i = i / (n - 1): no drift at the first selected row, the full drift at the last.
std::vector<double> linear_ramp(size_t n) {
  std::vector<double> w(n, 1.0);
  for (size_t i = 0; n > 1 && i < n; ++i) w[i] = static_cast<double>(i) / (n - 1);
  return w;
}

// `repeats` contiguous chunks (the last takes the remainder), each with its own window whose
// centre and width default to the chunk's middle and length: a sawtooth of ramps.
std::vector<double> recurrent_weights(size_t n, size_t repeats, const Window& base, Rng& rng) {
  std::vector<double> w;
  const size_t chunk = std::max<size_t>(1, n / repeats);
  for (size_t r = 0, begin = 0; r < repeats && begin < n; ++r) {
    const size_t end = r + 1 == repeats ? n : std::min(n, begin + chunk);
    Window win = base;
    if (!win.center) win.center = static_cast<double>((end - begin) / 2);
    if (!win.width) win.width = static_cast<double>(end - begin);
    auto part = window_weights(end - begin, win, &rng);
    w.insert(w.end(), part.begin(), part.end());
    begin = end;
  }
  return w;
}

std::vector<double> mode_weights(const std::string& mode, size_t n, const Params& p, Rng& rng) {
  if (mode == "abrupt") return std::vector<double>(n, 1.0);
  if (mode == "incremental") return linear_ramp(n);
  if (mode == "recurrent")
    return recurrent_weights(n, static_cast<size_t>(p.get_int("repeats")), window_from(p), rng);
  return window_weights(n, window_from(p), &rng);
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
                   const StepContext&) {
    return drift_feature_columns(t, p, rows, mode_weights(mode, rows.size(), p, rng), rng);
  };
  return m;
}

// ---- conditions: [{"column", "operator", "value"}] ----

const std::vector<std::string> kOperators = {">", ">=", "<", "<=", "==", "!=", "in", "not in"};

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
    if (std::find(kOperators.begin(), kOperators.end(), op) == kOperators.end())
      throw InvalidArgument(s.where + ": unknown operator '" + op +
                            "'; valid operators: " + join_names(kOperators));
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

bool meets(const Column& col, size_t i, const std::string& op, const Json& v) {
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

DriftMethod conditional_method() {
  DriftMethod m;
  m.name = "inject_conditional_drift";
  m.summary = "feature drift on the selected rows that meet every condition";
  m.spec = feature_spec(
      true, true,
      {{.name = "conditions",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "list of {column, operator (" + join_names(kOperators) + "), value}, all must hold"},
       {.name = "drift_method",
        .type = ParamType::choice,
        .default_value = "abrupt",
        .doc = "how the drift enters over the matching rows",
        .choices = kModes}});
  m.required = {"feature_cols", "conditions"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_feature_op(p, t, s);
    check_conditions(p.raw("conditions"), t, s);
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    std::vector<size_t> matched;
    for (size_t i : rows) {
      bool ok = true;
      for (const auto& c : p.raw("conditions"))
        ok = ok && meets(t.column(c["column"].get<std::string>()), i, c.value("operator", "=="),
                         c["value"]);
      if (ok) matched.push_back(i);
    }
    if (matched.empty()) warn(s.ctx.log, s.where + ": no selected row meets the conditions");
    auto w = mode_weights(p.get_string("drift_method"), matched.size(), p, rng);
    return drift_feature_columns(t, p, matched, w, rng);
  };
  return m;
}

}  // namespace

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
