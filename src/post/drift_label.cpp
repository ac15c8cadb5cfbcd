// Label drift methods: inject_label_drift (exactly floor(n*m) selected labels changed),
// inject_label_drift_gradual (per-row change probability w_i*m), inject_label_shift (prior
// shift to exact target proportions, largest-remainder rounding) and inject_concept_drift
// (label_flip). A changed label takes another value of the column, uniformly; a 0/1 or boolean
// label flips.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"
#include "post/drift_cells.hpp"
#include "post/drift_method.hpp"
#include "post/drift_weights.hpp"

namespace calm::drift {
namespace {

// A value of `values` (sorted) other than x, uniformly; x itself if there is no other.
double other_value(const std::vector<double>& values, double x, Rng& rng) {
  if (values.size() < 2) return x;
  size_t pick = rng.below(values.size() - 1);
  if (values[pick] >= x) ++pick;
  return values[pick];
}

std::vector<double> label_domain(const Column& c) {
  return c.type == StorageType::boolean ? std::vector<double>{0, 1} : distinct_values(c, {});
}

std::vector<size_t> non_missing(const Column& c, const std::vector<size_t>& rows) {
  std::vector<size_t> out;
  for (size_t i : rows)
    if (!c.is_missing(i)) out.push_back(i);
  return out;
}

// k distinct rows of `rows` chosen uniformly (partial Fisher-Yates), in ascending order.
std::vector<size_t> choose(std::vector<size_t> rows, size_t k, Rng& rng) {
  k = std::min(k, rows.size());
  for (size_t i = 0; i < k; ++i) std::swap(rows[i], rows[i + rng.below(rows.size() - i)]);
  rows.resize(k);
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Changes exactly floor(n*m) of the non-missing selected labels.
void change_labels(Column& c, const std::vector<size_t>& rows, double m, Rng& rng,
                   const StepContext& s) {
  auto domain = label_domain(c);
  if (domain.size() < 2) {
    warn(s.ctx.log, s.where + ": column '" + c.name + "' has fewer than 2 labels; unchanged");
    return;
  }
  auto candidates = non_missing(c, rows);
  const auto k = static_cast<size_t>(std::floor(candidates.size() * m));
  for (size_t i : choose(candidates, k, rng))
    set_cell(c, i, other_value(domain, c.numeric(i), rng));
}

ParamDef magnitude(double dflt, std::vector<std::string> aliases = {}) {
  return {.name = "drift_magnitude",
          .type = ParamType::number,
          .default_value = dflt,
          .doc = "fraction (or probability) of selected labels changed",
          .aliases = aliases,
          .min = 0.0,
          .max = 1.0};
}
ParamDef target_param(std::string name, std::vector<std::string> aliases) {
  return {.name = std::move(name),
          .type = ParamType::any,
          .default_value = nullptr,
          .doc = "label column (default: the generator's target_col)",
          .aliases = aliases,
          .nullable = true};
}

void check_target(const Params& p, const Table& t, const StepContext& s, const char* param) {
  auto name = target_column(p, param, s);
  check_columns(t, column_list(Json(name), param), kDiscrete, s);
}

DriftMethod label_drift() {
  DriftMethod m;
  m.name = "inject_label_drift";
  m.summary = "changes exactly floor(n*m) randomly chosen selected labels to another label";
  m.spec = spec_with_selection({target_param("target_cols", {"target_col", "target_column"}),
                                magnitude(0.1),
                                {.name = "drift_magnitudes",
                                 .type = ParamType::any,
                                 .default_value = nullptr,
                                 .doc = "per-column magnitudes {column: m}",
                                 .nullable = true}});
  auto columns = [](const Params& p, const StepContext& s) {
    return p.is_null("target_cols") ? column_list(Json(target_column(p, "target_cols", s)), "")
                                    : column_list(p.raw("target_cols"), "target_cols");
  };
  m.check = [columns](const Params& p, const Table& t, const StepContext& s) {
    auto cols = columns(p, s);
    check_columns(t, cols, kDiscrete, s);
    const Json& per = p.raw("drift_magnitudes");
    if (per.is_null()) return;
    if (!per.is_object()) throw InvalidArgument(s.where + ": 'drift_magnitudes' must be a dict");
    for (auto it = per.begin(); it != per.end(); ++it) {
      if (std::find(cols.begin(), cols.end(), it.key()) == cols.end())
        throw InvalidArgument(s.where + ": drift_magnitudes names '" + it.key() +
                              "', not one of target_cols (" + join_names(cols) + ")");
      if (!it.value().is_number() || it.value().get<double>() < 0 || it.value().get<double>() > 1)
        throw InvalidArgument(s.where + ": drift_magnitudes['" + it.key() +
                              "'] must be a number in [0, 1]");
    }
  };
  m.apply = [columns](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
                      const StepContext& s) {
    Table out = t;
    for (const auto& name : columns(p, s)) {
      const Json& per = p.raw("drift_magnitudes");
      double mag = per.is_object() && per.contains(name) ? per[name].get<double>()
                                                         : p.get_double("drift_magnitude");
      Column c = out.column(name);
      change_labels(c, rows, mag, rng, s);
      out = out.with_column(std::move(c));
    }
    return out;
  };
  return m;
}

DriftMethod label_drift_gradual() {
  DriftMethod m;
  m.name = "inject_label_drift_gradual";
  m.summary = "each selected label changes with probability w_i * m (window weights)";
  m.spec = ParamSpec{target_param("target_col", {"target_column"}), magnitude(0.3)};
  add_window_params(m.spec, true);
  add_selection_params(m.spec);
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_target(p, t, s, "target_col");
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    Column c = t.column(target_column(p, "target_col", s));
    auto domain = label_domain(c);
    auto w = window_weights(s.span, window_from(p), &rng);
    const double mag = p.get_double("drift_magnitude");
    for (size_t k = 0; k < rows.size(); ++k) {
      const double u = rng.uniform();
      if (!c.is_missing(rows[k]) && u < w[k] * mag)
        set_cell(c, rows[k], other_value(domain, c.numeric(rows[k]), rng));
    }
    return t.with_column(std::move(c));
  };
  return m;
}

DriftMethod label_shift() {
  DriftMethod m;
  m.name = "inject_label_shift";
  m.summary = "relabels the selected rows so that labels have exactly the target proportions";
  m.spec = spec_with_selection(
      {target_param("target_col", {"target_column"}),
       {.name = "target_distribution",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "{label: weight}, normalised by the sum; labels not in the column are added"}});
  m.required = {"target_distribution"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_target(p, t, s, "target_col");
    const Json& d = p.raw("target_distribution");
    if (!d.is_object() || d.empty())
      throw InvalidArgument(s.where + ": 'target_distribution' must be a dict {label: weight}");
    double sum = 0;
    const Column& c = t.column(target_column(p, "target_col", s));
    for (auto it = d.begin(); it != d.end(); ++it) {
      if (!it.value().is_number() || it.value().get<double>() < 0)
        throw InvalidArgument(s.where + ": weight of label '" + it.key() +
                              "' must be a number >= 0, got " + it.value().dump());
      sum += it.value().get<double>();
      encode_value(c, Json(it.key()));
    }
    if (sum <= 0) throw InvalidArgument(s.where + ": target_distribution weights sum to 0");
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    Column c = t.column(target_column(p, "target_col", s));
    const Json& d = p.raw("target_distribution");
    std::vector<double> labels, share;
    double sum = 0;
    for (auto it = d.begin(); it != d.end(); ++it) {
      labels.push_back(*encode_value(c, Json(it.key()), true));
      share.push_back(it.value().get<double>());
      sum += share.back();
    }
    // Largest remainder (Hamilton) rounding: every count is within one row of n*p.
    const size_t n = rows.size();
    std::vector<size_t> count(labels.size());
    std::vector<size_t> order(labels.size());
    size_t assigned = 0;
    for (size_t k = 0; k < labels.size(); ++k) {
      count[k] = static_cast<size_t>(std::floor(n * share[k] / sum));
      assigned += count[k];
    }
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      double ra = n * share[a] / sum - count[a], rb = n * share[b] / sum - count[b];
      return ra != rb ? ra > rb : share[a] > share[b];
    });
    for (size_t k = 0; assigned < n; ++k, ++assigned) ++count[order[k % order.size()]];
    std::vector<double> pool;
    for (size_t k = 0; k < labels.size(); ++k) pool.insert(pool.end(), count[k], labels[k]);
    for (size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng.below(i)]);
    for (size_t k = 0; k < n; ++k) set_cell(c, rows[k], pool[k]);
    return t.with_column(std::move(c));
  };
  return m;
}

DriftMethod concept_drift() {
  DriftMethod m;
  m.name = "inject_concept_drift";
  m.summary = "label_flip: floor(n*m) selected labels flipped (0/1, booleans) or changed";
  m.spec = spec_with_selection({target_param("target_col", {"target_column"}),
                                {.name = "concept_drift_type",
                                 .type = ParamType::choice,
                                 .default_value = "label_flip",
                                 .doc = "kind of concept drift",
                                 .choices = {"label_flip"}},
                                {.name = "concept_drift_magnitude",
                                 .type = ParamType::number,
                                 .default_value = 0.2,
                                 .doc = "fraction of selected labels flipped",
                                 .aliases = {"drift_magnitude"},
                                 .min = 0.0,
                                 .max = 1.0}});
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    check_target(p, t, s, "target_col");
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng& rng,
               const StepContext& s) {
    Column c = t.column(target_column(p, "target_col", s));
    change_labels(c, rows, p.get_double("concept_drift_magnitude"), rng, s);
    return t.with_column(std::move(c));
  };
  return m;
}

}  // namespace

void add_label_methods(std::vector<DriftMethod>& out) {
  out.push_back(label_drift());
  out.push_back(label_drift_gradual());
  out.push_back(label_shift());
  out.push_back(concept_drift());
}

}  // namespace calm::drift
