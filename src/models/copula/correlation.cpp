// Correlation, shrinkage and Cholesky factors of the Gaussian copula.
#include "models/copula/correlation.hpp"

#include <algorithm>
#include <cmath>

namespace calm {

Eigen::MatrixXd score_correlation(const Eigen::MatrixXd& scores) {
  const Eigen::Index d = scores.cols();
  const double n = static_cast<double>(scores.rows());
  Eigen::MatrixXd centred = scores.rowwise() - scores.colwise().mean();
  Eigen::VectorXd sd(d);
  for (Eigen::Index j = 0; j < d; ++j) sd(j) = std::sqrt(centred.col(j).squaredNorm() / n);
  Eigen::MatrixXd r = Eigen::MatrixXd::Identity(d, d);
  for (Eigen::Index j = 0; j < d; ++j) {
    if (!(sd(j) > 0)) continue;
    for (Eigen::Index k = 0; k < j; ++k) {
      if (!(sd(k) > 0)) continue;
      const double c = centred.col(j).dot(centred.col(k)) / (n * sd(j) * sd(k));
      r(j, k) = r(k, j) = std::clamp(c, -1.0, 1.0);
    }
  }
  return r;
}

ShrunkFactor shrunk_cholesky(const Eigen::MatrixXd& m, double lambda) {
  const Eigen::Index d = m.rows();
  const Eigen::MatrixXd id = Eigen::MatrixXd::Identity(d, d);
  // A pivot this small makes the conditional draws unstable even though LLT "succeeds".
  constexpr double kMinPivot = 1e-5;
  for (;;) {
    Eigen::LLT<Eigen::MatrixXd> llt((1.0 - lambda) * m + lambda * id);
    if (llt.info() == Eigen::Success) {
      Eigen::MatrixXd lower = llt.matrixL();
      if (d == 0 || lower.diagonal().minCoeff() >= kMinPivot) return {std::move(lower), lambda};
    }
    if (lambda >= 1.0) return {id, 1.0};
    lambda = std::min(1.0, lambda < 1e-6 ? 1e-6 : lambda * 10.0);
  }
}

Eigen::MatrixXd conditional_factor(const Eigen::MatrixXd& r, Eigen::Index k) {
  const Eigen::Index d = r.rows();
  // Others: every index but k, in order.
  Eigen::VectorXi others(d - 1);
  for (Eigen::Index j = 0, o = 0; j < d; ++j)
    if (j != k) others(o++) = static_cast<int>(j);
  Eigen::VectorXd cross(d - 1);
  Eigen::MatrixXd schur(d - 1, d - 1);
  for (Eigen::Index a = 0; a < d - 1; ++a) {
    cross(a) = r(others(a), k);
    for (Eigen::Index b = 0; b < d - 1; ++b) schur(a, b) = r(others(a), others(b));
  }
  schur -= cross * cross.transpose();
  const Eigen::MatrixXd ls = shrunk_cholesky(schur, 0.0).lower;
  Eigen::MatrixXd b = Eigen::MatrixXd::Zero(d, d);
  b(k, k) = 1.0;
  for (Eigen::Index a = 0; a < d - 1; ++a) {
    b(others(a), k) = cross(a);
    for (Eigen::Index c = 0; c <= a; ++c) b(others(a), others(c)) = ls(a, c);
  }
  return b;
}

}  // namespace calm
