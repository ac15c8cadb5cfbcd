// Registration of the fcs family: `cart` and `rf` (one FCS engine with two learners) and `lgbm`
// (sequential synthesis with gradient-boosted trees).
#include "models/families.hpp"
#include "models/fcs/fcs_engine.hpp"
#include "models/fcs/fcs_params.hpp"
#include "models/fcs/lgbm_synthesizer.hpp"

namespace calm {
namespace {

// Every column model is a tree (rf: n_estimators trees) over the other columns' encoded features
// (a copy of the table), keeping its training rows as leaf donors (~8 bytes a row and tree); the
// Gibbs rounds (iterations > 0) keep a second set.
MemoryEstimate tree_memory(size_t rows, size_t columns, const Params& p, double trees,
                           const std::string& driver, const std::string& params) {
  const double sets = p.get_int("iterations") > 0 ? 2 : 1;
  const double r = static_cast<double>(rows), c = static_cast<double>(columns);
  return {r * c * 8 * 2 + sets * trees * c * r * 8, driver, params};
}

// Boosted trees: the quantised feature matrix and gradients of one column model at a time, and
// n_estimators trees of up to 2 x max_leaves nodes (~32 bytes each) for every column.
MemoryEstimate boosted_memory(size_t rows, size_t columns, const Params& p) {
  const double r = static_cast<double>(rows), c = static_cast<double>(columns);
  const double trees = static_cast<double>(p.get_int("n_estimators"));
  const double leaves = static_cast<double>(p.get_int("max_leaves"));
  return {r * c * 8 * 2 + r * c * 4 + c * trees * 2 * leaves * 32,
          "n_estimators=" + std::to_string(p.get_int("n_estimators")) + " x max_leaves=" +
              std::to_string(p.get_int("max_leaves")) + " x columns, and rows x columns",
          "n_estimators or max_leaves"};
}

}  // namespace

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
  cart.memory = [](size_t rows, size_t columns, const Params& p) {
    return tree_memory(rows, columns, p, 1, "a tree of the rows for every column", "");
  };
  r.add(std::move(cart));

  MethodInfo rf;
  rf.name = "rf";
  rf.family = "fcs";
  rf.summary = "Sequential random-forest synthesis drawing donors from the leaf of one random tree";
  rf.reference = "Breiman (2001), Random forests; synthpop's syn.rf (Nowok et al. 2016)";
  rf.params = fcs::rf_param_spec();
  rf.create = [] { return std::make_unique<fcs::FcsSynthesizer>("rf", &fcs::rf_options); };
  rf.memory = [](size_t rows, size_t columns, const Params& p) {
    const int64_t trees = p.get_int("n_estimators");
    return tree_memory(rows, columns, p, static_cast<double>(trees),
                       "n_estimators=" + std::to_string(trees) + " trees x rows x columns",
                       "n_estimators");
  };
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
  lgbm.memory = boosted_memory;
  r.add(std::move(lgbm));
}

}  // namespace calm
