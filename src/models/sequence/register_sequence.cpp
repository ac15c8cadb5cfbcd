// Registration of the sequence family (docs/sequences.md): `copula_temporal`.
#include "models/families.hpp"
#include "models/sequence/copula_temporal.hpp"
#include "transform/copula_scores.hpp"

namespace calm {

void register_sequence_methods(Registry& r) {
  MethodInfo m;
  m.name = "copula_temporal";
  m.family = kSequenceFamily;
  m.summary =
      "Gaussian copula over whole entities: context, length, start and first step, then each "
      "step given the previous one (lag-1 copula); regular time stays on its grid, context "
      "bounds such as day <= futime hold";
  m.reference =
      "Sklar (1959); Darsow, Nguyen & Olsen (1992), copulas and Markov processes; Joe (2015), "
      "Dependence Modeling with Copulas, ch. 8; Patki et al. (2016), The Synthetic Data Vault";
  m.params = CopulaTemporalSynthesizer::param_spec();
  m.create = [] { return std::make_unique<CopulaTemporalSynthesizer>(); };
  // Context columns once, step columns twice (the step and the previous one).
  m.memory = [](size_t rows, size_t columns, const Params&) {
    return copula_fit_memory(rows, columns, 2 * columns);
  };
  r.add(std::move(m));
}

}  // namespace calm
