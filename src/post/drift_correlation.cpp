// inject_correlation_matrix_drift: re-colours the selected rows of k numeric columns so that their
// correlation matrix becomes a target R. With X standardised (ddof 0), C = corr(X) = L_c L_c^T and
// R = L_t L_t^T (Cholesky), X' = X L_c^{-T} L_t^T has covariance L_t L_c^{-1} C L_c^{-T} L_t^T = R
// exactly in the sample; X' is then de-standardised, so each column keeps its mean and std.
// Matrices that are not positive definite are repaired by eigenvalue clipping (Higham-style
// nearest-correlation projection, one step) and rescaled to a unit diagonal.
#include <Eigen/Dense>
#include <cmath>

#include "calm/core/error.hpp"
#include "post/drift_cells.hpp"
#include "post/drift_method.hpp"

namespace calm::drift {
namespace {

Eigen::MatrixXd repair_correlation(const Eigen::MatrixXd& m) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(0.5 * (m + m.transpose()));
  Eigen::VectorXd ev = es.eigenvalues().cwiseMax(1e-6);
  Eigen::MatrixXd r = es.eigenvectors() * ev.asDiagonal() * es.eigenvectors().transpose();
  Eigen::VectorXd d = r.diagonal().cwiseSqrt().cwiseInverse();
  return d.asDiagonal() * r * d.asDiagonal();
}

Eigen::MatrixXd cholesky(const Eigen::MatrixXd& m) {
  Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (llt.info() == Eigen::Success) return llt.matrixL();
  Eigen::LLT<Eigen::MatrixXd> again(
      repair_correlation(m + 0.01 * Eigen::MatrixXd::Identity(m.rows(), m.cols())));
  if (again.info() != Eigen::Success)
    throw DataError("correlation matrix has no Cholesky factor even after repair");
  return again.matrixL();
}

Eigen::MatrixXd target_matrix(const Json& j, size_t k, const std::string& where) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument(where + ": target_correlation_matrix " + why + " (feature_cols has " +
                           std::to_string(k) + " columns, so it must be " + std::to_string(k) +
                           "x" + std::to_string(k) + ")");
  };
  if (!j.is_array() || j.size() != k) throw bad("has the wrong number of rows");
  Eigen::MatrixXd m(k, k);
  for (size_t r = 0; r < k; ++r) {
    if (!j[r].is_array() || j[r].size() != k) throw bad("has a row of the wrong length");
    for (size_t c = 0; c < k; ++c) {
      if (!j[r][c].is_number()) throw bad("holds a non-number");
      m(r, c) = j[r][c].get<double>();
      if (std::abs(m(r, c)) > 1) throw bad("holds a value outside [-1, 1]");
    }
  }
  for (size_t r = 0; r < k; ++r) {
    if (std::abs(m(r, r) - 1) > 1e-9) throw bad("must have 1 on the diagonal");
    for (size_t c = 0; c < r; ++c)
      if (std::abs(m(r, c) - m(c, r)) > 1e-9) throw bad("must be symmetric");
  }
  return m;
}

}  // namespace

void add_correlation_methods(std::vector<DriftMethod>& out) {
  DriftMethod m;
  m.name = "inject_correlation_matrix_drift";
  m.summary = "re-colours the selected rows so the columns' correlation matrix becomes the target";
  m.spec = spec_with_selection(
      {{.name = "feature_cols",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "the k numeric columns",
        .aliases = {"columns", "cols"}},
       {.name = "target_correlation_matrix",
        .type = ParamType::any,
        .default_value = nullptr,
        .doc = "k x k correlation matrix (list of lists) in feature_cols order"}});
  m.required = {"feature_cols", "target_correlation_matrix"};
  m.check = [](const Params& p, const Table& t, const StepContext& s) {
    auto cols = column_list(p.raw("feature_cols"), "feature_cols");
    check_columns(t, cols, kNumeric, s);
    if (cols.size() < 2)
      throw InvalidArgument(s.where + ": correlation drift needs at least 2 feature_cols");
    target_matrix(p.raw("target_correlation_matrix"), cols.size(), s.where);
  };
  m.apply = [](const Table& t, const Params& p, const std::vector<size_t>& rows, Rng&,
               const StepContext& s) {
    auto names = column_list(p.raw("feature_cols"), "feature_cols");
    const size_t k = names.size();
    std::vector<Column> cols;
    for (const auto& n : names) cols.push_back(t.column(n));
    // Rows with a missing cell in any of the columns keep their values.
    std::vector<size_t> complete;
    for (size_t i : rows) {
      bool ok = true;
      for (const auto& c : cols) ok = ok && !c.is_missing(i);
      if (ok) complete.push_back(i);
    }
    if (complete.size() < k + 1) {
      warn(s.ctx.log, s.where + ": fewer than k+1 complete selected rows; unchanged");
      return t;
    }
    Eigen::MatrixXd x(complete.size(), k);
    Eigen::VectorXd mean(k), sd(k);
    for (size_t j = 0; j < k; ++j) {
      auto mo = moments(cols[j], complete);
      mean(j) = mo.mean;
      sd(j) = mo.std > 0 ? mo.std : 1.0;
      for (size_t r = 0; r < complete.size(); ++r)
        x(r, j) = (cols[j].numeric(complete[r]) - mean(j)) / sd(j);
    }
    Eigen::MatrixXd corr = (x.transpose() * x) / static_cast<double>(complete.size());
    if (!corr.allFinite()) corr = Eigen::MatrixXd::Identity(k, k);
    Eigen::MatrixXd lc = cholesky(repair_correlation(corr));
    Eigen::MatrixXd lt =
        cholesky(repair_correlation(target_matrix(p.raw("target_correlation_matrix"), k, s.where)));
    // X' = X L_c^{-T} L_t^T, computed with a triangular solve instead of an inverse.
    Eigen::MatrixXd white = lc.triangularView<Eigen::Lower>().solve(x.transpose()).transpose();
    Eigen::MatrixXd y = white * lt.transpose();
    Table result = t;
    for (size_t j = 0; j < k; ++j) {
      for (size_t r = 0; r < complete.size(); ++r)
        set_cell(cols[j], complete[r], y(r, j) * sd(j) + mean(j));
      result = result.with_column(std::move(cols[j]));
    }
    return result;
  };
  out.push_back(std::move(m));
}

}  // namespace calm::drift
