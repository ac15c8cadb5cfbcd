// The `datasynth` method: DataSynthesizer's correlated attribute mode (PrivBayes) re-created on
// calm's DP domain.
#pragma once

#include "models/dp/privbayes.hpp"
#include "privacy/coded_synthesizer.hpp"

namespace calm {

class DatasynthSynthesizer final : public CodedDpSynthesizer {
 public:
  static ParamSpec param_spec();

 protected:
  const char* mechanism() const override { return "privbayes"; }
  DomainAccounting accounting() const override { return DomainAccounting::pure; }
  Json fit_model(const ModelFit& fit) override;
  Codes sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                     const std::vector<int32_t>* fixed_values) const override;
  void save_model(ArchiveWriter& out) const override;
  void load_model(ArchiveReader& in) override;

 private:
  PrivBayes bayes_;
};

}  // namespace calm
