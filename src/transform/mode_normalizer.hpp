// Mode-specific normalisation of one continuous column (Xu et al. 2019, "Modeling Tabular Data
// using Conditional GAN", NeurIPS, section 4.2): a variational Bayesian Gaussian mixture finds the
// column's modes, each value is represented by the one-hot of a mode drawn from its posterior and
// its offset from that mode's mean in units of 4 standard deviations, clipped to [-0.99, 0.99].
//
// The mixture is scikit-learn's BayesianGaussianMixture in one dimension with the settings of
// SDV's ClusterBasedNormalizer: a truncated Dirichlet-process weight prior (stick breaking,
// concentration 0.001), Gauss-Wishart priors centred on the data (mean prior = sample mean,
// mean precision 1, one degree of freedom, scale = sample variance with ddof 1), responsibilities
// initialised by k-means, at most 100 coordinate-ascent iterations stopped when the evidence lower
// bound changes by less than 1e-3 (Bishop 2006, "Pattern Recognition and Machine Learning",
// section 10.2; Blei & Jordan 2006 for the stick-breaking form). Modes whose weight is at most
// 0.005 are dropped. k-means starts from the sample's quantiles, so fitting needs no random seed.
//
// Missing cells (NaN) get a mode of their own, after the mixture's modes, with scalar 0.
#pragma once

#include <cstddef>
#include <vector>

#include "calm/core/rng.hpp"

namespace calm {

struct VariationalGmmOptions {
  int max_components = 10;
  double weight_concentration_prior = 1e-3;
  int max_iter = 100;
  double tol = 1e-3;
  double reg_covar = 1e-6;
};

// A 1-D variational Bayesian Gaussian mixture with a Dirichlet-process weight prior.
class VariationalGmm1d {
 public:
  // Needs at least two values (the covariance prior is their variance).
  void fit(const std::vector<double>& x, const VariationalGmmOptions& options);

  size_t components() const { return means_.size(); }
  const std::vector<double>& weights() const { return weights_; }  // expected stick weights
  const std::vector<double>& means() const { return means_; }
  // Posterior-mean covariances (scikit-learn's covariances_, normalised by the degrees of freedom).
  const std::vector<double>& variances() const { return variances_; }
  bool converged() const { return converged_; }
  int iterations() const { return iterations_; }
  double lower_bound() const { return lower_bound_; }

  // Unnormalised log responsibilities of x (the variational E-step), components() values.
  void log_joint(double x, double* out) const;
  // Posterior probabilities of the components for x (scikit-learn's predict_proba).
  void responsibilities(double x, double* out) const;

 private:
  void m_step(const std::vector<double>& x, const std::vector<double>& resp);
  double e_step(const std::vector<double>& x, std::vector<double>& log_resp) const;
  double elbo(const std::vector<double>& log_resp) const;
  void refresh_expectations();

  // Priors.
  double wc_prior_ = 1e-3, mean_prior_ = 0, mean_precision_prior_ = 1, dof_prior_ = 1;
  double cov_prior_ = 1, reg_covar_ = 1e-6;
  // Variational posterior.
  std::vector<double> conc_a_, conc_b_;  // Beta(a_k, b_k) of each stick
  std::vector<double> mean_precision_, means_, dof_, variances_;
  // Cached per-component terms of the E-step.
  std::vector<double> log_weight_, log_const_, precision_;
  std::vector<double> weights_;
  bool converged_ = false;
  int iterations_ = 0;
  double lower_bound_ = 0;
};

struct ModeNormalizerOptions {
  VariationalGmmOptions gmm;
  double weight_threshold = 0.005;  // modes with weight at most this are dropped
  double clip = 0.99;               // |scalar| limit; CTGAN's, as tanh cannot reach 1
};

// How a value's mode is chosen when encoding.
enum class ModeChoice {
  sample,       // drawn from the posterior over the kept modes (CTGAN; needs an Rng)
  most_likely,  // the kept mode of highest posterior probability
};

class ModeNormalizer {
 public:
  // values[i] for i < n, NaN = missing; at least two distinct present values.
  void fit(const double* values, size_t n, const ModeNormalizerOptions& options = {});

  size_t modes() const { return means_.size(); }  // kept mixture modes
  bool has_missing_mode() const { return has_missing_; }
  size_t one_hot_width() const { return modes() + (has_missing_ ? 1 : 0); }
  const std::vector<double>& means() const { return means_; }
  const std::vector<double>& stds() const { return stds_; }
  const VariationalGmm1d& mixture() const { return gmm_; }

  // The scalar and the one-hot of mode `k` (modes() = the missing mode) into out[0],
  // out[1 .. one_hot_width()]. rng may be null with ModeChoice::most_likely.
  void encode(double value, ModeChoice choice, Rng* rng, double* out) const;
  // The value of an encoded cell: the one-hot's largest entry picks the mode (NaN for the missing
  // mode), the scalar is clipped to [-1, 1].
  double decode(const double* in) const;

 private:
  VariationalGmm1d gmm_;
  std::vector<size_t> kept_;  // mixture component of each kept mode
  std::vector<double> means_, stds_;
  bool has_missing_ = false;
  double clip_ = 0.99;
};

// Digamma function psi(x) for x > 0 (recurrence to x >= 10, then the asymptotic series).
double digamma(double x);

}  // namespace calm
