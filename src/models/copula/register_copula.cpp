// Registration of the copula family: `gaussian_copula`.
#include "models/copula/gaussian_copula.hpp"
#include "models/families.hpp"
#include "transform/copula_scores.hpp"

namespace calm {

void register_copula_methods(Registry& r) {
  MethodInfo m;
  m.name = "gaussian_copula";
  m.family = "statistical";
  m.summary =
      "Gaussian copula over fitted marginals (KS-selected families or empirical CDF); honours "
      "custom_distributions on one column";
  m.reference =
      "Sklar (1959); Patki, Wedge & Veeramachaneni (2016), The Synthetic Data Vault; "
      "Ledoit & Wolf (2004) shrinkage";
  m.params = GaussianCopulaSynthesizer::param_spec();
  m.create = [] { return std::make_unique<GaussianCopulaSynthesizer>(); };
  m.memory = [](size_t rows, size_t columns, const Params&) {
    return copula_fit_memory(rows, columns, columns);
  };
  r.add(std::move(m));
}

}  // namespace calm
