// Copula variables, normal scores and the copula correlation (see copula_scores.hpp).
#include "transform/copula_scores.hpp"

#include <cmath>

#include "calm/core/rng.hpp"
#include "core/parallel.hpp"
#include "transform/copula_correlation.hpp"

namespace calm {

std::vector<CopulaVariable> assign_copula_variables(std::vector<ColumnModel>& columns) {
  std::vector<CopulaVariable> vars;
  for (size_t j = 0; j < columns.size(); ++j) {
    ColumnModel& m = columns[j];
    if (m.role == ColumnRole::categorical || (m.role == ColumnRole::numeric && m.marginal)) {
      m.var = static_cast<int>(vars.size());
      vars.push_back({j, false});
    }
    if (m.role == ColumnRole::numeric && m.has_missing_var) {
      m.missing_var = static_cast<int>(vars.size());
      vars.push_back({j, true});
    }
  }
  return vars;
}

Eigen::MatrixXd copula_scores(const std::vector<ColumnModel>& columns,
                              const std::vector<CopulaVariable>& vars, const Table& data,
                              uint64_t seed, int threads, uint64_t stream_offset) {
  const size_t n = data.num_rows();
  Eigen::MatrixXd scores(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(vars.size()));
  parallel_tasks(vars.size(), threads, [&](size_t v) {
    const Column& col = data.column(vars[v].column);
    const ColumnModel& m = columns[vars[v].column];
    double* out = scores.col(static_cast<Eigen::Index>(v)).data();
    if (m.role == ColumnRole::numeric && !vars[v].missing_indicator) {
      numeric_scores(m, col, out);
      return;
    }
    // Interval variables: one fit stream per column (a column has at most one such variable).
    std::vector<double> values(n);
    for (size_t i = 0; i < n; ++i) values[i] = col.numeric(i);
    Rng rng(seed, stream_id(StreamPurpose::fit, stream_offset + vars[v].column));
    variable_scores(m, vars[v].missing_indicator, values, rng, out);
  });
  return scores;
}

void variable_scores(const ColumnModel& m, bool missing_indicator,
                     const std::vector<double>& values, Rng& rng, double* out) {
  const size_t n = values.size();
  if (m.role == ColumnRole::numeric && !missing_indicator) {
    numeric_scores(m, Column::float64(m.prototype.name, values), out);
    return;
  }
  for (size_t i = 0; i < n; ++i)
    out[i] = missing_indicator ? (std::isfinite(values[i]) ? 0.0 : 1.0) : values[i];
  m.intervals.encode(out, n, rng, out);
  for (size_t i = 0; i < n; ++i) out[i] = normal_score(out[i]);
}

Eigen::VectorXd copula_between(const std::vector<ColumnModel>& columns,
                               const std::vector<CopulaVariable>& vars) {
  Eigen::VectorXd between(static_cast<Eigen::Index>(vars.size()));
  for (size_t v = 0; v < vars.size(); ++v) {
    const ColumnModel& m = columns[vars[v].column];
    const bool interval = m.role == ColumnRole::categorical || vars[v].missing_indicator;
    between(static_cast<Eigen::Index>(v)) = interval ? between_category_variance(m.intervals) : 1.0;
  }
  return between;
}

Eigen::MatrixXd copula_correlation(const Eigen::MatrixXd& scores, const Eigen::VectorXd& between) {
  // Scores drawn inside category intervals carry no within-category signal, which attenuates
  // their correlations; undo that so class-conditional shapes survive sampling.
  const Eigen::Index d = scores.cols();
  const Eigen::MatrixXd observed = score_correlation(scores);
  Eigen::MatrixXd target = disattenuate(observed, between);
  const Eigen::MatrixXd ranks = rank_correlation(scores);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index k = 0; k < d; ++k)
      if (between(j) == 1.0 && between(k) == 1.0) target(j, k) = ranks(j, k);
  return blend_to_definite(observed, target);
}

}  // namespace calm
