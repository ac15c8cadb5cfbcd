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

}  // namespace calm
