// Registration of the boosted family: `lgbm`, sequential synthesis with gradient-boosted trees.
#include "models/boosted/lgbm_synthesizer.hpp"
#include "models/families.hpp"

namespace calm {

void register_boosted_methods(Registry& r) {
  MethodInfo m;
  m.name = "lgbm";
  m.family = "fcs";
  m.summary =
      "Sequential synthesis with leaf-wise gradient-boosted trees (classes drawn from predicted "
      "probabilities, numbers as prediction plus a training residual)";
  m.reference =
      "Ke et al. (2017), LightGBM: a highly efficient gradient boosting decision tree; "
      "Chen & Guestrin (2016), XGBoost; Nowok, Raab & Dibben (2016), synthpop";
  m.params = lgbm::lgbm_param_spec();
  m.create = [] { return std::make_unique<lgbm::LgbmSynthesizer>(); };
  r.add(std::move(m));
}

}  // namespace calm
