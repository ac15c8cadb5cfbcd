// inject_binary_probabilistic_drift (a 0/1 or boolean column flips with probability p, or p * w_i
// under a transition window) and inject_new_value (selected cells take a given value with
// probability prob). Both follow the original DriftInjector's semantics (docs/drift.md); unlike
// the original, a non-binary column is an error up front instead of a warning per row.
#include "calm/core/error.hpp"
#include "post/drift_categorical_ops.hpp"
#include "post/drift_cells.hpp"
#include "post/drift_method.hpp"
#include "post/drift_weights.hpp"

namespace calm::drift {
namespace {

// The window applies only when the step places it (center or width given), as in the original.
std::vector<double> optional_window(const Params& p, SelectionSpan span, Rng& rng) {
  if (p.is_null("center") && p.is_null("width")) return std::vector<double>(span.count, 1.0);
  return window_weights(span, window_from(p), &rng);
}

DriftMethod binary_probabilistic() {
  DriftMethod m;
  m.name = "inject_binary_probabilistic_drift";
  m.summary = "a 0/1 or boolean column flips with probability p (p * w_i with center/width)";
  m.spec = ParamSpec{{.name = "target_col",
                      .type = ParamType::any,
                      .default_value = nullptr,
                      .doc = "the 0/1 or boolean column (default: the generator's target_col)",
                      .aliases = {"target_column", "col", "column"},
                      .nullable = true},
                     probability_param("probability", 0.4, "flip probability of a selected row",
                                       {"prob", "drift_magnitude"})};
  add_window_params(m.spec, false);
  add_selection_params(m.spec);
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    const std::string name = target_column(p, "target_col", s);
    check_columns(t, {name}, {StorageType::boolean, StorageType::int64}, s);
    if (!is_binary(t.column(name)))
      throw InvalidArgument(s.where + ": column '" + name +
                            "' holds values other than 0 and 1; binary probabilistic drift "
                            "flips 0/1 or boolean columns only");
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    Column c = t.column(target_column(p, "target_col", s));
    flip_binary(c, rows, optional_window(p, s.span, rng), p.get_double("probability"), rng);
    return t.with_column(std::move(c));
  };
  return m;
}

DriftMethod new_value() {
  DriftMethod m;
  m.name = "inject_new_value";
  m.summary = "selected cells of each column take new_value with probability prob";
  m.spec = spec_with_selection(
      {{.name = "cols",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "column or list of columns",
        .aliases = {"columns", "feature_cols"}},
       {.name = "new_value",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "the value written (a category is added to the "
               "column's values; numbers for numeric columns)"},
       probability_param("prob", 1.0, "probability that a selected cell is replaced",
                         {"probability"})});
  m.required = {"cols", "new_value"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    const auto cols = column_list(p.raw("cols"), "cols");
    check_columns(t, cols, kAnyType, s);
    for (const auto& name : cols) {
      try {
        encode_value(t.column(name), p.raw("new_value"));
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(s.where + ": new_value for column '" + name + "': " + e.what());
      }
    }
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext&) {
    Table out = t;
    const std::vector<double> w(rows.size(), 1.0);
    for (const auto& name : column_list(p.raw("cols"), "cols")) {
      Column c = out.column(name);
      const double v = *encode_value(c, p.raw("new_value"), true);
      set_value(c, rows, w, p.get_double("prob"), v, {}, rng);
      out = out.with_column(std::move(c));
    }
    return out;
  };
  return m;
}

}  // namespace

void add_value_methods(std::vector<DriftMethod>& out) {
  out.push_back(binary_probabilistic());
  out.push_back(new_value());
}

}  // namespace calm::drift
