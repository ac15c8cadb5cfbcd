// Registration of the fcs family: `cart` and `rf` (one FCS engine with two learners) and `lgbm`
// (sequential synthesis with gradient-boosted trees).
#include "models/families.hpp"
#include "models/fcs/fcs_engine.hpp"
#include "models/fcs/fcs_params.hpp"
#include "models/fcs/lgbm_synthesizer.hpp"

namespace calm {

void register_fcs_methods(Registry& r) {
  MethodInfo cart;
  cart.name = "cart";
  cart.family = "fcs";
  cart.summary = "Sequential CART synthesis drawing real donor values from leaves (synthpop-style)";
  cart.reference =
      "Reiter (2005), Using CART to generate partially synthetic public use microdata; "
      "Nowok, Raab & Dibben (2016), synthpop, J. Stat. Softw.";
  cart.params = fcs::cart_param_spec();
  cart.create = [] { return std::make_unique<fcs::FcsSynthesizer>("cart", &fcs::cart_options); };
  r.add(std::move(cart));

  MethodInfo rf;
  rf.name = "rf";
  rf.family = "fcs";
  rf.summary = "Sequential random-forest synthesis drawing donors from the leaf of one random tree";
  rf.reference = "Breiman (2001), Random forests; synthpop's syn.rf (Nowok et al. 2016)";
  rf.params = fcs::rf_param_spec();
  rf.create = [] { return std::make_unique<fcs::FcsSynthesizer>("rf", &fcs::rf_options); };
  r.add(std::move(rf));

  MethodInfo lgbm;
  lgbm.name = "lgbm";
  lgbm.family = "fcs";
  lgbm.summary =
      "Sequential synthesis with leaf-wise gradient-boosted trees (classes drawn from predicted "
      "probabilities, numbers as prediction plus a training residual)";
  lgbm.reference =
      "Ke et al. (2017), LightGBM: a highly efficient gradient boosting decision tree; "
      "Chen & Guestrin (2016), XGBoost; Nowok, Raab & Dibben (2016), synthpop";
  lgbm.params = lgbm::lgbm_param_spec();
  lgbm.create = [] { return std::make_unique<lgbm::LgbmSynthesizer>(); };
  r.add(std::move(lgbm));
}

}  // namespace calm
