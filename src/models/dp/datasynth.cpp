// `datasynth`: PrivBayes (privbayes.hpp) on the DP domain, pure epsilon-DP (plus the domain
// step's delta when some categorical column has no public domain). The target, when given, is the
// network's root, so custom_distributions / balance_target on it are met by exact conditioning.
#include "models/dp/datasynth.hpp"

#include "calm/core/error.hpp"

namespace calm {

Json DatasynthSynthesizer::fit_model(const ModelFit& fit) {
  PrivBayesOptions o;
  o.degree = static_cast<int>(fit.params.get_int("k"));
  o.usefulness = fit.params.get_double("theta");
  o.epsilon = fit.budget;
  o.root = fit.target;
  o.progress = [&fit](const std::string& line) { fit.log.info("datasynth: " + line); };
  bayes_.fit(fit.data, o, fit.rng);
  const PrivBayesSpend& s = bayes_.spend();
  Json spends = Json::array();
  if (s.rows > 0)
    spends.push_back(
        {{"what", "row count for theta-usefulness (discrete Laplace)"}, {"epsilon", s.rows}});
  spends.push_back(
      {{"what", "Bayesian network structure (exponential mechanism)"}, {"epsilon", s.structure}});
  spends.push_back({{"what", "noisy conditional distributions (discrete Laplace)"},
                    {"epsilon", s.conditionals}});
  return spends;
}

Codes DatasynthSynthesizer::sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                                         const std::vector<int32_t>* fixed_values) const {
  if (fixed_attr >= 0 && fixed_attr != bayes_.root())
    throw NotAvailable("datasynth conditions exactly on its network's root (the target_col) only");
  return bayes_.sample(n, seed, threads, fixed_attr >= 0 ? fixed_values : nullptr);
}

void DatasynthSynthesizer::save_model(ArchiveWriter& out) const {
  bayes_.save(out);
}
void DatasynthSynthesizer::load_model(ArchiveReader& in) {
  bayes_.load(in);
}

}  // namespace calm
