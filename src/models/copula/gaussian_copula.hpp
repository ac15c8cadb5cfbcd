// `gaussian_copula`: every column mapped to a normal score through its marginal (Sklar 1959), the
// scores' correlation learnt (Patki et al. 2016, "The Synthetic Data Vault"), new rows drawn from
// that Gaussian and mapped back through the marginals. Two estimation choices differ from SDV:
// continuous pairs use the Spearman inversion 2 sin(pi r_s / 6) (Kruskal 1958), so synthetic rank
// correlations match the real ones; pairs with a categorical variable are disattenuated (Olsson,
// Drasgow & Dorans 1982), because scores placed at random inside a category's interval dilute its
// link to other columns. Conditional sampling on one column draws that column's score from the
// normal truncated to the requested category's interval and the others from the conditional
// Gaussian, so the other columns keep their class-conditional shape.
#pragma once

#include <Eigen/Dense>
#include <utility>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/synthesizer.hpp"
#include "transform/column_model.hpp"
#include "transform/copula_scores.hpp"

namespace calm {

class GaussianCopulaSynthesizer final : public Synthesizer {
 public:
  static ParamSpec param_spec();

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  bool can_condition() const override { return true; }
  bool concurrent_sampling() const override { return true; }
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

  // Fit from column models and score moments computed elsewhere (the distributed fit:
  // copula_partitions.cpp); the same as fit() from there on.
  void fit_parts(std::vector<ColumnModel> columns, const ScoreMoments& moments,
                 const Params& params, const Logger& log);

  // Per column its model (distribution and parameters, KS distances), plus the shrinkage used.
  Json describe() const;
  // Correlation of the copula variables after shrinkage, and what each variable is.
  const Eigen::MatrixXd& correlation() const { return corr_; }
  double shrinkage() const { return lambda_; }
  size_t num_variables() const { return vars_.size(); }

 private:
  using Variable = CopulaVariable;
  struct Condition;
  Condition prepare_condition(size_t n, const SampleContext& ctx) const;
  // Shrinks the copula correlation r as the params say and keeps its Cholesky factor.
  void set_correlation(const Eigen::MatrixXd& r, const Params& params, const Logger& log);

  std::vector<ColumnModel> columns_;
  std::vector<Variable> vars_;
  Eigen::MatrixXd corr_;   // (1 - lambda) R + lambda I
  Eigen::MatrixXd lower_;  // its Cholesky factor
  double lambda_ = 0;
};

}  // namespace calm
