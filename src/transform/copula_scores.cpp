// Copula variables, normal scores and the copula correlation (see copula_scores.hpp).
#include "transform/copula_scores.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/matrix_archive.hpp"
#include "core/parallel.hpp"
#include "transform/copula_correlation.hpp"

namespace calm {

void check_copula_variables(const std::vector<ColumnModel>& columns, size_t variables,
                            const std::string& what) {
  auto valid = [&](int v) { return v == -1 || (v >= 0 && static_cast<size_t>(v) < variables); };
  for (const ColumnModel& m : columns)
    if (!valid(m.var) || !valid(m.missing_var))
      throw DataError(what + ": a column's copula variable is out of range");
}

MemoryEstimate copula_fit_memory(size_t rows, size_t columns, size_t variables) {
  const double d = static_cast<double>(variables);
  MemoryEstimate e = table_fit_memory(rows, columns);
  e.bytes += 8.0 * static_cast<double>(rows) * d + 5 * 8.0 * d * d;
  e.driver = "columns^2: the copula correlation, its factor and working copies";
  return e;
}

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

namespace {

// Scores drawn inside category intervals carry no within-category signal, which attenuates
// their correlations; undo that so class-conditional shapes survive sampling.
Eigen::MatrixXd combine_correlations(const Eigen::MatrixXd& observed, const Eigen::MatrixXd& ranks,
                                     const Eigen::VectorXd& between) {
  const Eigen::Index d = observed.cols();
  Eigen::MatrixXd target = disattenuate(observed, between);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index k = 0; k < d; ++k)
      if (between(j) == 1.0 && between(k) == 1.0) target(j, k) = ranks(j, k);
  return blend_to_definite(observed, target);
}

// Pearson correlation from centred cross-products; zero-variance variables stay uncorrelated.
Eigen::MatrixXd correlation_of(const Eigen::MatrixXd& m2) {
  const Eigen::Index d = m2.rows();
  Eigen::MatrixXd r = Eigen::MatrixXd::Identity(d, d);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index k = 0; k < j; ++k)
      if (m2(j, j) > 0 && m2(k, k) > 0)
        r(j, k) = r(k, j) = std::clamp(m2(j, k) / std::sqrt(m2(j, j) * m2(k, k)), -1.0, 1.0);
  return r;
}

void merge_moments(double n_a, Eigen::VectorXd& mean_a, Eigen::MatrixXd& m2_a, double n_b,
                   const Eigen::VectorXd& mean_b, const Eigen::MatrixXd& m2_b) {
  const Eigen::VectorXd delta = mean_b - mean_a;
  const double n = n_a + n_b;
  m2_a += m2_b + delta * delta.transpose() * (n_a * n_b / n);
  mean_a += delta * (n_b / n);
}

}  // namespace

Eigen::MatrixXd copula_correlation(const Eigen::MatrixXd& scores, const Eigen::VectorXd& between) {
  return combine_correlations(score_correlation(scores), rank_correlation(scores), between);
}

void ScoreMoments::add(const Eigen::MatrixXd& scores) {
  if (scores.rows() == 0) return;
  ScoreMoments part;
  part.n = static_cast<double>(scores.rows());
  const Eigen::MatrixXd u = scores.unaryExpr([](double z) { return normal_cdf(z); });
  part.mean_z = scores.colwise().mean().transpose();
  part.mean_u = u.colwise().mean().transpose();
  const Eigen::MatrixXd cz = scores.rowwise() - part.mean_z.transpose();
  const Eigen::MatrixXd cu = u.rowwise() - part.mean_u.transpose();
  // lazyProduct: coefficient-wise sums, so the result does not depend on the thread count.
  part.m2_z = cz.transpose().lazyProduct(cz);
  part.m2_u = cu.transpose().lazyProduct(cu);
  merge(part);
}

void ScoreMoments::merge(const ScoreMoments& other) {
  if (other.n == 0) return;
  if (n == 0) {
    *this = other;
    return;
  }
  if (other.mean_z.size() != mean_z.size())
    throw InternalError("ScoreMoments::merge: different numbers of variables");
  merge_moments(n, mean_z, m2_z, other.n, other.mean_z, other.m2_z);
  merge_moments(n, mean_u, m2_u, other.n, other.mean_u, other.m2_u);
  n += other.n;
}

void ScoreMoments::save(ArchiveWriter& out) const {
  out.tag("score-moments");
  out.f64(n);
  save_matrix(out, mean_z);
  save_matrix(out, mean_u);
  save_matrix(out, m2_z);
  save_matrix(out, m2_u);
}

ScoreMoments ScoreMoments::load(ArchiveReader& in) {
  in.tag("score-moments");
  ScoreMoments m;
  m.n = in.f64();
  const Eigen::MatrixXd mean_z = load_matrix(in, "score moments");
  const Eigen::MatrixXd mean_u = load_matrix(in, "score moments");
  m.m2_z = load_matrix(in, "score moments");
  m.m2_u = load_matrix(in, "score moments");
  const Eigen::Index d = mean_z.rows();
  if (!(m.n >= 0) || mean_z.cols() != 1 || mean_u.rows() != d || mean_u.cols() != 1 ||
      m.m2_z.rows() != d || m.m2_z.cols() != d || m.m2_u.rows() != d || m.m2_u.cols() != d)
    throw DataError("score moments: sizes do not match");
  m.mean_z = mean_z.col(0);
  m.mean_u = mean_u.col(0);
  return m;
}

Eigen::MatrixXd copula_correlation(const ScoreMoments& moments, const Eigen::VectorXd& between) {
  if (moments.n == 0) throw DataError("copula correlation: the score moments hold no rows");
  if (moments.m2_z.rows() != between.size())
    throw DataError("copula correlation: the score moments do not match the variables");
  return combine_correlations(correlation_of(moments.m2_z),
                              spearman_inversion(correlation_of(moments.m2_u)), between);
}

}  // namespace calm
