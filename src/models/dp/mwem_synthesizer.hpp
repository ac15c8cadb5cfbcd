// `dp` with synth_type "mwem": MWEM (mwem.hpp) on the DP domain, pure epsilon-DP (plus the domain
// step's delta when some categorical column has no public domain). The target, when given, keeps
// its most related attributes in its cube, so that conditioning on it (custom_distributions,
// balance_target) carries over to them.
#pragma once

#include "models/dp/mwem.hpp"
#include "privacy/coded_synthesizer.hpp"

namespace calm {

class MwemSynthesizer final : public CodedDpSynthesizer {
 protected:
  const char* mechanism() const override { return "mwem"; }
  DomainAccounting accounting() const override { return DomainAccounting::pure; }
  Json fit_model(const ModelFit& fit) override;
  Codes sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                     const std::vector<int32_t>* fixed_values) const override;
  void save_model(ArchiveWriter& out) const override;
  void load_model(ArchiveReader& in) override;

 private:
  Mwem mwem_;
};

}  // namespace calm
