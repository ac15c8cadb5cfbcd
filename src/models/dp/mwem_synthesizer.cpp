// `dp` synth_type mwem: the frame of coded_synthesizer.hpp around the cube-wise MWEM of mwem.hpp.
#include "models/dp/mwem_synthesizer.hpp"

namespace calm {

Json MwemSynthesizer::fit_model(const ModelFit& fit) {
  MwemOptions o;
  o.epsilon = fit.budget;
  if (!fit.params.is_null("rounds")) o.iterations = static_cast<int>(fit.params.get_int("rounds"));
  o.queries = static_cast<int>(fit.params.get_int("mwem_queries"));
  o.split_factor = static_cast<int>(fit.params.get_int("split_factor"));
  o.marginal_width = std::min(o.split_factor, 3);
  o.keep_together = fit.target;
  o.threads = fit.threads;
  o.progress = [&fit](const std::string& line) { fit.log.info(line); };
  mwem_.fit(fit.data, o, fit.rng);
  const double row_count = fit.budget * o.total_share;
  return Json::array({{{"what", "row count (discrete Laplace)"}, {"epsilon", row_count}},
                      {{"what",
                        "cube selection and MWEM rounds (exponential mechanism, "
                        "discrete Laplace measurements)"},
                       {"epsilon", mwem_.epsilon_spent() - row_count}}});
}

Codes MwemSynthesizer::sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                                    const std::vector<int32_t>* fixed_values) const {
  return mwem_.sample(n, seed, threads, fixed_attr, fixed_values);
}

void MwemSynthesizer::save_model(ArchiveWriter& out) const {
  mwem_.save(out);
}
void MwemSynthesizer::load_model(ArchiveReader& in) {
  mwem_.load(in);
}

}  // namespace calm
