// The Gaussian part of the copula: Pearson correlation of the normal scores, shrinkage towards
// the identity (the convex combination (1 - lambda) R + lambda I of Ledoit & Wolf 2004, here with
// a given or minimal lambda) so that the Cholesky factor always exists, and the factor of the
// conditional Gaussian given one variable (Schur complement).
#pragma once

#include <Eigen/Dense>

namespace calm {

// Correlation of the columns of `scores` (rows = observations). A column with zero variance gets
// a unit diagonal and no correlation. Computed column pair by column pair, so the result does
// not depend on the thread count.
Eigen::MatrixXd score_correlation(const Eigen::MatrixXd& scores);

// Gaussian-copula correlation from Spearman's rank correlation, 2 sin(pi r_s / 6) (Kruskal 1958),
// with r_s the correlation of Phi(scores). For continuous pairs it is the estimator that makes the
// synthetic rank correlations match the real ones; the Pearson correlation of normal scores
// weights the tails, and under misspecification (clustered data) it understates the dependence.
Eigen::MatrixXd rank_correlation(const Eigen::MatrixXd& scores);
// The same inversion 2 sin(pi r / 6) applied to a rank correlation matrix r (unit diagonal kept).
Eigen::MatrixXd spearman_inversion(const Eigen::MatrixXd& r);

// Latent correlation behind scores drawn at random inside category intervals: r_jk / (v_j v_k),
// v_j = between_category_variance of an interval variable and 1 for a continuous one. Exact in
// expectation for an interval/continuous pair (Olsson, Drasgow & Dorans 1982, ad hoc polyserial
// estimator), a first-order approximation of the polychoric correlation for two interval
// variables. Clipped to [-1, 1]; may be indefinite (see blend_to_definite).
Eigen::MatrixXd disattenuate(const Eigen::MatrixXd& r, const Eigen::VectorXd& v);

// sample + t (target - sample) with the largest t in [0, 1] (bisection, 1/1024 resolution) whose
// Cholesky factor exists; `sample` is an observed correlation, hence positive semidefinite.
Eigen::MatrixXd blend_to_definite(const Eigen::MatrixXd& sample, const Eigen::MatrixXd& target);

struct ShrunkFactor {
  Eigen::MatrixXd lower;  // L with L L^T = (1 - lambda) M + lambda I
  double lambda = 0;      // the shrinkage actually used
};

// Factors (1 - lambda) M + lambda I, starting from `lambda`; when that is not safely positive
// definite (a pivot below 1e-5), lambda grows geometrically from 1e-6 until it is.
ShrunkFactor shrunk_cholesky(const Eigen::MatrixXd& m, double lambda);

// Matrix B such that z = B w, with w_k = the given score of variable k and the other w_j
// independent N(0, 1), draws z from N(0, R) conditioned on z_k. R must have a unit diagonal.
Eigen::MatrixXd conditional_factor(const Eigen::MatrixXd& r, Eigen::Index k);

// The Gaussian of the last variables y given the first p variables c of N(0, R):
// y | c ~ N(gain c, lower lower^T), gain = R_yc R_cc^-1, lower the Cholesky factor of the Schur
// complement R_yy - gain R_cy (shrunk as shrunk_cholesky does if it is not safely definite).
struct ConditionalGaussian {
  Eigen::MatrixXd gain;   // q x p
  Eigen::MatrixXd lower;  // q x q
};
ConditionalGaussian conditional_gaussian(const Eigen::MatrixXd& r, Eigen::Index p);

}  // namespace calm
