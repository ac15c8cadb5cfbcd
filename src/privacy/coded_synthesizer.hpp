// The frame every DP method (mst, aim, mwem, datasynth in models/dp/; pate_ctgan, dpctgan in
// models/deep/) shares: plan the budget, learn the DP domain, fit the method's model on the
// coded table with the rest of the budget, sample codes (conditionally on one column when
// custom_distributions asks), decode them, and report the guarantee. Nothing after the domain
// step reads the real data.
#pragma once

#include <string>
#include <vector>

#include "calm/core/synthesizer.hpp"
#include "privacy/dp_budget.hpp"
#include "privacy/dp_domain.hpp"

namespace calm {

using Codes = std::vector<std::vector<int32_t>>;  // [attribute][row]

class CodedDpSynthesizer : public Synthesizer {
 public:
  void fit(const Table& data, const FitContext& ctx) final;
  Table sample(size_t n, const SampleContext& ctx) const final;
  bool can_condition() const override { return true; }
  bool concurrent_sampling() const override { return true; }
  const Schema* released_schema() const override { return &domain_.released_schema(); }
  Json privacy_guarantee() const override;
  void save(ArchiveWriter& out) const final;
  void load(ArchiveReader& in) final;

 protected:
  struct ModelFit {
    const CodedTable& data;
    double budget;    // rho (zcdp) or epsilon (pure) left for the model
    int target = -1;  // attribute of target_col, or -1
    const Params& params;
    Rng& rng;
    int threads;
    const Logger& log;
  };
  virtual const char* mechanism() const = 0;  // e.g. "mst"
  virtual DomainAccounting accounting() const = 0;
  // Fits the model; returns its spends for the report ([{what, rho|epsilon}]), which must add up
  // to at most fit.budget.
  virtual Json fit_model(const ModelFit& fit) = 0;
  // n rows of codes; with fixed_attr >= 0 that attribute takes fixed_values.
  virtual Codes sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                             const std::vector<int32_t>* fixed_values) const = 0;
  virtual void save_model(ArchiveWriter& out) const = 0;
  virtual void load_model(ArchiveReader& in) = 0;

  const DpDomain& domain() const { return domain_; }
  // The delta the domain step used (its zCDP conversion and category thresholds): the model of
  // a pure method may spend the user's delta less this.
  double domain_delta() const { return domain_delta_used(budget_, domain_); }

 private:
  DpDomain domain_;
  DpBudget budget_;
  Json model_spends_ = Json::array();
};

}  // namespace calm
