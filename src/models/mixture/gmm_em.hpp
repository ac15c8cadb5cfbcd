// Expectation-maximisation for a latent-class mixture over mixed rows (Dempster, Laird & Rubin
// 1977): each component holds a Gaussian over the numeric features and, independently of it, one
// categorical distribution per discrete feature (the latent class model of Lazarsfeld; Hunt &
// Jorgensen 2003 for the mixed Gaussian/categorical case).
//
// The Gaussian part follows scikit-learn's GaussianMixture: covariance types full, tied, diag and
// spherical; reg_covar added to the diagonal; weights N_k / n; the lower bound is the mean
// log-likelihood per row, and a run stops when it changes by less than tol. Initialisation is
// k-means (k-means++ seeding, Arthur & Vassilvitskii 2007, then Lloyd) turned into hard
// responsibilities, as scikit-learn's init_params="kmeans".
//
// Missing numeric values are marginalised, not imputed: the E-step scores a row by the density of
// its observed dimensions only, and the M-step uses the conditional expectation of the missing
// dimensions plus the conditional covariance (Ghahramani & Jordan 1994, "Supervised learning from
// incomplete data via an EM approach"). Rows are grouped by missing pattern so each pattern costs
// one Cholesky factorisation per component and iteration.
//
// Discrete features are smoothed with a symmetric Dirichlet prior: theta = (count + alpha) /
// (N_k + alpha * levels), so a level unseen in a component keeps a small probability.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "calm/core/rng.hpp"

namespace calm {

enum class CovarianceType { full, tied, diag, spherical };
CovarianceType covariance_type_from_string(const std::string& s);  // throws listing valid names
std::vector<std::string> covariance_type_names();

// Rows to fit: numeric features (row-major n x p, NaN = missing) and discrete level indices
// (row-major n x q, every index in [0, levels[j])).
struct MixtureData {
  size_t n = 0, p = 0, q = 0;
  const double* numeric = nullptr;
  const int32_t* codes = nullptr;
  std::vector<int> levels;
};

struct EmOptions {
  int components = 5;
  CovarianceType covariance = CovarianceType::full;
  int n_init = 1;
  int max_iter = 100;
  double tol = 1e-3;
  double reg_covar = 1e-6;
  double alpha = 0.1;  // Dirichlet smoothing of the discrete features
};

struct MixtureModel {
  Eigen::VectorXd weights;                   // K
  std::vector<Eigen::VectorXd> means;        // K x p
  std::vector<Eigen::MatrixXd> covariances;  // K x (p x p), every type stored as a full matrix
  std::vector<Eigen::MatrixXd> log_theta;    // K x (q x max levels), log probabilities
  double lower_bound = 0;  // mean log-likelihood of the last E-step (what convergence watches)
  double score = 0;        // mean log-likelihood per row under the final parameters
  int iterations = 0;
  bool converged = false;

  int components() const { return static_cast<int>(weights.size()); }
  // Free parameters, for the BIC.
  double num_parameters(CovarianceType type, const std::vector<int>& levels) const;
};

// Mean log-likelihood per row of `data` under `model`.
double mean_log_likelihood(const MixtureModel& model, const MixtureData& data);

// n_init runs from different k-means seeds (stream `seed_stream + init` of `seed`); the run with
// the highest lower bound wins, as in scikit-learn.
MixtureModel fit_mixture(const MixtureData& data, const EmOptions& options, uint64_t seed);

}  // namespace calm
