// Categorical and boolean drift methods: inject_new_category_drift (a value unseen in the column
// appears), inject_categorical_frequency_drift (category frequencies move towards a target
// distribution), inject_typos_drift (character edits in category names),
// inject_category_merge_drift (several categories become one) and inject_boolean_drift (flips).
#include <algorithm>
#include <cmath>
#include <map>

#include "calm/core/error.hpp"
#include "post/drift_categorical_ops.hpp"
#include "post/drift_cells.hpp"
#include "post/drift_method.hpp"
#include "post/drift_weights.hpp"

namespace calm::drift {
namespace {

ParamDef cols_param(std::string name, std::vector<std::string> aliases, std::string doc) {
  return {.name = std::move(name),
          .type = ParamType::any,
          .default_value = nullptr,
          .doc = std::move(doc),
          .aliases = std::move(aliases)};
}

DriftMethod new_category() {
  DriftMethod m;
  m.name = "inject_new_category_drift";
  m.summary = "selected rows take a new value with probability p (times w_i with a window)";
  m.spec =
      ParamSpec{cols_param("feature_col", {"col", "column"}, "column that receives the new value"),
                {.name = "new_category",
                 .type = ParamType::any,
                 .default_value = nullptr,
                 .doc = "the new value (a category name, or a number for numeric columns)"},
                probability_param("probability", 0.1,
                                  "probability that a selected row takes the new value", {"prob"}),
                {.name = "replace_categories",
                 .type = ParamType::any,
                 .default_value = nullptr,
                 .doc = "only rows holding one of these values are replaced",
                 .nullable = true}};
  add_window_params(m.spec, false);
  add_selection_params(m.spec);
  m.required = {"feature_col", "new_category"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    auto col = column_list(p.raw("feature_col"), "feature_col");
    check_columns(t, col, {StorageType::categorical, StorageType::int64, StorageType::float64}, s);
    const Column& c = t.column(col[0]);
    encode_value(c, p.raw("new_category"));
    const Json& r = p.raw("replace_categories");
    if (!r.is_null() && !r.is_array())
      throw InvalidArgument(s.where + ": 'replace_categories' must be a list");
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    Column c = t.column(column_list(p.raw("feature_col"), "feature_col")[0]);
    std::vector<double> replace;
    if (p.raw("replace_categories").is_array())
      for (const auto& v : p.raw("replace_categories"))
        if (auto code = encode_value(c, v)) replace.push_back(*code);
    const double fresh = *encode_value(c, p.raw("new_category"), true);
    // The window applies only when the step places it (center or width given).
    const bool windowed = !p.is_null("center") || !p.is_null("width");
    auto w =
        windowed ? window_weights(s.span, window_from(p)) : std::vector<double>(rows.size(), 1.0);
    // replace_categories naming no value of the column matches no row.
    if (!p.raw("replace_categories").is_null() && replace.empty()) return t;
    set_value(c, rows, w, p.get_double("probability"), fresh, replace, rng);
    return t.with_column(std::move(c));
  };
  return m;
}

DriftMethod frequency() {
  DriftMethod m;
  m.name = "inject_categorical_frequency_drift";
  m.summary = "each selected row is redrawn with probability m from a perturbed distribution";
  m.spec = spec_with_selection(
      {cols_param("feature_cols", {"columns", "cols"}, "column or list of columns"),
       probability_param("drift_magnitude", 0.3, "probability that a selected row is redrawn"),
       {.name = "perturbation",
        .type = ParamType::choice,
        .default_value = "uniform",
        .doc = "target distribution over the values present in the selection",
        .choices = frequency_perturbations()}});
  m.required = {"feature_cols"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_columns(t, column_list(p.raw("feature_cols"), "feature_cols"),
                  {StorageType::categorical, StorageType::int64, StorageType::boolean}, s);
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext&) {
    Table out = t;
    for (const auto& name : column_list(p.raw("feature_cols"), "feature_cols")) {
      Column c = out.column(name);
      redraw_frequency(c, rows, std::vector<double>(rows.size(), 1.0),
                       p.get_double("drift_magnitude"), p.get_string("perturbation"), rng);
      out = out.with_column(std::move(c));
    }
    return out;
  };
  return m;
}

DriftMethod typos() {
  DriftMethod m;
  m.name = "inject_typos_drift";
  m.summary = "selected category names get typo_density character edits with probability m";
  m.spec = spec_with_selection(
      {cols_param("feature_cols", {"columns", "cols"}, "categorical column or list of columns"),
       probability_param("drift_magnitude", 0.1, "probability that a selected row gets typos"),
       {.name = "typo_density",
        .type = ParamType::integer,
        .default_value = 1,
        .doc = "character edits per affected value",
        .min = 1.0},
       {.name = "typo_type",
        .type = ParamType::choice,
        .default_value = "random",
        .doc = "edit kind (random picks one per edit)",
        .choices = typo_kinds()}});
  m.required = {"feature_cols"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_columns(t, column_list(p.raw("feature_cols"), "feature_cols"), {StorageType::categorical},
                  s);
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext&) {
    Table out = t;
    for (const auto& name : column_list(p.raw("feature_cols"), "feature_cols")) {
      Column c = out.column(name);
      apply_typos(c, rows, std::vector<double>(rows.size(), 1.0), p.get_double("drift_magnitude"),
                  p.get_int("typo_density"), p.get_string("typo_type"), rng);
      out = out.with_column(std::move(c));
    }
    return out;
  };
  return m;
}

DriftMethod merge() {
  DriftMethod m;
  m.name = "inject_category_merge_drift";
  m.summary = "selected rows holding one of categories_to_merge take new_category_name";
  m.spec = spec_with_selection(
      {cols_param("col", {"feature_col", "column"}, "column whose categories merge"),
       {.name = "categories_to_merge",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "list of values that merge"},
       {.name = "new_category_name",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "the merged value"}});
  m.required = {"col", "categories_to_merge", "new_category_name"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    auto col = column_list(p.raw("col"), "col");
    check_columns(t, col, {StorageType::categorical, StorageType::int64}, s);
    if (!p.raw("categories_to_merge").is_array() || p.raw("categories_to_merge").empty())
      throw InvalidArgument(s.where + ": 'categories_to_merge' must be a non-empty list");
    encode_value(t.column(col[0]), p.raw("new_category_name"));
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng&,
               const StepContext&) {
    Column c = t.column(column_list(p.raw("col"), "col")[0]);
    std::vector<double> merged;
    for (const auto& v : p.raw("categories_to_merge"))
      if (auto code = encode_value(c, v)) merged.push_back(*code);
    const double to = *encode_value(c, p.raw("new_category_name"), true);
    for (size_t i : rows)
      if (std::find(merged.begin(), merged.end(), c.numeric(i)) != merged.end()) set_cell(c, i, to);
    return t.with_column(std::move(c));
  };
  return m;
}

DriftMethod boolean() {
  DriftMethod m;
  m.name = "inject_boolean_drift";
  m.summary = "selected boolean (or 0/1) values flip with probability m";
  m.spec = spec_with_selection(
      {cols_param("feature_cols", {"columns", "cols"}, "boolean or 0/1 column(s)"),
       probability_param("drift_magnitude", 0.3, "flip probability")});
  m.required = {"feature_cols"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    auto cols = column_list(p.raw("feature_cols"), "feature_cols");
    check_columns(t, cols, {StorageType::boolean, StorageType::int64}, s);
    for (const auto& name : cols)
      if (!is_binary(t.column(name)))
        throw InvalidArgument(s.where + ": column '" + name + "' holds values other than 0 and 1");
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    Table out = t;
    for (const auto& name : column_list(p.raw("feature_cols"), "feature_cols")) {
      Column c = out.column(name);
      if (!is_binary(c)) {
        warn(s.ctx.log, s.where + ": column '" + name + "' is not 0/1 any more; unchanged");
        continue;
      }
      flip_binary(c, rows, std::vector<double>(rows.size(), 1.0), p.get_double("drift_magnitude"),
                  rng);
      out = out.with_column(std::move(c));
    }
    return out;
  };
  return m;
}

}  // namespace

void add_categorical_methods(std::vector<DriftMethod>& out) {
  out.push_back(new_category());
  out.push_back(frequency());
  out.push_back(typos());
  out.push_back(merge());
  out.push_back(boolean());
}

}  // namespace calm::drift
