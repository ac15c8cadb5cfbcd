// Correlation, shrinkage and Cholesky factors of the Gaussian copula.
#include "transform/copula_correlation.hpp"

#include <algorithm>
#include <cmath>

#include "transform/normal_scores.hpp"

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

Eigen::MatrixXd rank_correlation(const Eigen::MatrixXd& scores) {
  Eigen::MatrixXd u = scores.unaryExpr([](double z) { return normal_cdf(z); });
  return spearman_inversion(score_correlation(u));
}

Eigen::MatrixXd spearman_inversion(const Eigen::MatrixXd& r) {
  Eigen::MatrixXd out = r;
  for (Eigen::Index j = 0; j < r.rows(); ++j)
    for (Eigen::Index k = 0; k < r.cols(); ++k)
      if (j != k) out(j, k) = 2.0 * std::sin(M_PI * r(j, k) / 6.0);
  return out;
}

namespace {

// Cholesky factor of m into `lower`, false when m is not safely positive definite: a pivot below
// 1e-5 makes the conditional draws unstable even where LLT itself "succeeds".
bool factor(const Eigen::MatrixXd& m, Eigen::MatrixXd& lower) {
  Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (llt.info() != Eigen::Success) return false;
  lower = llt.matrixL();
  return m.rows() == 0 || lower.diagonal().minCoeff() >= 1e-5;
}

}  // namespace

Eigen::MatrixXd disattenuate(const Eigen::MatrixXd& r, const Eigen::VectorXd& v) {
  Eigen::MatrixXd out = r;
  for (Eigen::Index j = 0; j < r.rows(); ++j)
    for (Eigen::Index k = 0; k < r.cols(); ++k)
      if (j != k && v(j) > 0 && v(k) > 0)
        out(j, k) = std::clamp(r(j, k) / (v(j) * v(k)), -1.0, 1.0);
  return out;
}

Eigen::MatrixXd blend_to_definite(const Eigen::MatrixXd& sample, const Eigen::MatrixXd& target) {
  Eigen::MatrixXd lower;
  if (factor(target, lower)) return target;
  double good = 0, bad = 1;
  for (int step = 0; step < 10; ++step) {
    const double t = 0.5 * (good + bad);
    if (factor(sample + t * (target - sample), lower))
      good = t;
    else
      bad = t;
  }
  return sample + good * (target - sample);
}

ShrunkFactor shrunk_cholesky(const Eigen::MatrixXd& m, double lambda) {
  const Eigen::Index d = m.rows();
  const Eigen::MatrixXd id = Eigen::MatrixXd::Identity(d, d);
  Eigen::MatrixXd lower;
  for (;;) {
    if (factor((1.0 - lambda) * m + lambda * id, lower)) return {std::move(lower), lambda};
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

ConditionalGaussian conditional_gaussian(const Eigen::MatrixXd& r, Eigen::Index p) {
  const Eigen::Index q = r.rows() - p;
  ConditionalGaussian g;
  if (p == 0) {
    g.gain = Eigen::MatrixXd::Zero(q, 0);
    g.lower = shrunk_cholesky(r, 0.0).lower;
    return g;
  }
  const Eigen::LLT<Eigen::MatrixXd> cc(r.topLeftCorner(p, p));
  g.gain = cc.solve(r.topRightCorner(p, q)).transpose();
  const Eigen::MatrixXd schur = r.bottomRightCorner(q, q) - g.gain * r.topRightCorner(p, q);
  g.lower = shrunk_cholesky(0.5 * (schur + schur.transpose()), 0.0).lower;
  return g;
}

}  // namespace calm
