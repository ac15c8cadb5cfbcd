// Data-quality drift methods: inject_missing_values_drift / inject_nulls (Bernoulli missingness
// on the selected rows) and inject_outliers_global (rows pushed factor*sigma away from where they
// were, in a random direction).
#include <cmath>

#include "calm/core/error.hpp"
#include "post/drift_cells.hpp"
#include "post/drift_method.hpp"

namespace calm::drift {
namespace {

DriftMethod missing(std::string name, std::vector<std::string> col_aliases,
                    std::vector<std::string> prob_aliases) {
  DriftMethod m;
  m.name = std::move(name);
  m.summary = "each selected cell becomes missing with probability missing_fraction";
  m.spec = spec_with_selection({{.name = "feature_cols",
                                 .type = ParamType::any,
                                 .default_value = nullptr,
                                 .doc = "column or list of columns",
                                 .aliases = std::move(col_aliases)},
                                {.name = "missing_fraction",
                                 .type = ParamType::number,
                                 .default_value = 0.1,
                                 .doc = "probability that a selected cell becomes missing",
                                 .aliases = std::move(prob_aliases),
                                 .min = 0.0,
                                 .max = 1.0}});
  m.required = {"feature_cols"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_columns(t, column_list(p.raw("feature_cols"), "feature_cols"), kAnyType, s);
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext&) {
    Table out = t;
    for (const auto& name : column_list(p.raw("feature_cols"), "feature_cols")) {
      Column c = out.column(name);
      for (size_t i : rows)
        if (rng.uniform() < p.get_double("missing_fraction")) set_missing(c, i);
      out = out.with_column(std::move(c));
    }
    return out;
  };
  return m;
}

DriftMethod outliers() {
  DriftMethod m;
  m.name = "inject_outliers_global";
  m.summary = "selected cells become outliers x +/- factor*sigma with probability outlier_prob";
  m.spec = spec_with_selection({{.name = "cols",
                                 .type = ParamType::any,
                                 .default_value = nullptr,
                                 .doc = "numeric column or list of columns",
                                 .aliases = {"feature_cols", "columns"}},
                                {.name = "outlier_prob",
                                 .type = ParamType::number,
                                 .default_value = 0.05,
                                 .doc = "probability that a selected cell becomes an outlier",
                                 .min = 0.0,
                                 .max = 1.0},
                                {.name = "factor",
                                 .type = ParamType::number,
                                 .default_value = 3.0,
                                 .doc = "distance in standard deviations of the selected rows",
                                 .min = 0.0}});
  m.required = {"cols"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_columns(t, column_list(p.raw("cols"), "cols"), kNumeric, s);
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext&) {
    Table out = t;
    for (const auto& name : column_list(p.raw("cols"), "cols")) {
      Column c = out.column(name);
      // sigma of all selected rows, measured before any change (the original used the std of
      // the outlier rows alone, NaN for a single hit).
      const double sigma = moments(c, rows).std;
      for (size_t i : rows) {
        const double u = rng.uniform(), sign = rng.uniform() < 0.5 ? -1.0 : 1.0;
        if (c.is_missing(i) || u >= p.get_double("outlier_prob")) continue;
        set_cell(c, i, c.numeric(i) + sign * p.get_double("factor") * sigma);
      }
      out = out.with_column(std::move(c));
    }
    return out;
  };
  return m;
}

}  // namespace

void add_quality_methods(std::vector<DriftMethod>& out) {
  out.push_back(missing("inject_missing_values_drift", {"cols", "columns"}, {"prob"}));
  out.push_back(missing("inject_nulls", {"cols", "columns"}, {"prob"}));
  out.push_back(outliers());
}

}  // namespace calm::drift
