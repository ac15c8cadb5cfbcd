// `gmm`: a Gaussian mixture learnt by EM (scikit-learn GaussianMixture semantics for the numeric
// part) extended to mixed tables as a latent-class mixture: each component holds a Gaussian over
// the standardised numeric columns and an independent categorical distribution per categorical or
// boolean column, so categories are never faked as numbers. A numeric column with missing cells
// gets an is-missing indicator, modelled as one more categorical feature, and its missing values
// are marginalised out of the Gaussian (see gmm_em.hpp). Datetime columns are numerics (epoch ns);
// id columns get fresh unique keys. n_components="auto" picks the count in 1..10 with the lowest
// BIC (Schwarz 1978). Sampling draws each row's component from the weights, then its numerics
// from that component's Gaussian and its categories from its tables, in deterministic chunks.
#pragma once

#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/synthesizer.hpp"
#include "models/mixture/gmm_em.hpp"
#include "transform/mixed_layout.hpp"

namespace calm {

class GaussianMixtureSynthesizer final : public Synthesizer {
 public:
  static ParamSpec param_spec();

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  bool concurrent_sampling() const override { return true; }
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

  const MixtureModel& model() const { return model_; }
  CovarianceType covariance_type() const { return covariance_; }
  // Mean log-likelihood per row of the training table under the fitted model, on the data's own
  // scale (the standardisation's Jacobian removed), comparable to scikit-learn's score(X).
  double mean_log_likelihood() const { return score_; }

 private:
  MixedLayout layout_;
  MixtureModel model_;
  CovarianceType covariance_ = CovarianceType::full;
  // Indicator feature (index among the model's discrete features) of each numeric, or -1.
  std::vector<int> indicator_of_numeric_;
  std::vector<Eigen::MatrixXd> chol_;                        // per component
  std::vector<double> cum_weights_;                          // K
  std::vector<std::vector<std::vector<double>>> cum_theta_;  // [k][feature][level]
  double score_ = 0;
};

}  // namespace calm
