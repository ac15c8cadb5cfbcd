// The model_params of `lgbm` (LightGBM's names, with the seed's lgbm_ aliases and LightGBM's own
// aliases) and their translation into LgbmOptions. Defaults are LightGBM's where XGBoost has the
// same knob (100 rounds, learning rate 0.1, 31 leaves grown leaf-wise, no depth limit).
// residuals = pmm is measured (calm::evaluate_quality overall, synthetic rows = real rows, seeds
// 1/2, other parameters default; cart's figures from fcs_params.cpp for comparison):
//            pmm    local  global  | cart
//   penguins .942   .943   -       | .915
//   credit   .981   .968   .948    | .991  (zero-inflated Debt/Assets: pmm keeps their zeros)
//   telco    .992   .992   .967    | .989
//   diamonds .993   .993   -       | .996
// snap = true: credit .959 vs .957 and telco .988 vs .985 (local residuals, before the
// tie-aware window); with pmm the draws are observed values already.
#include "calm/core/error.hpp"
#include "models/boosted/lgbm_synthesizer.hpp"
#include "models/visit_order.hpp"

namespace calm::lgbm {

ParamSpec lgbm_param_spec() {
  ParamSpec s;
  s.add({.name = "n_estimators",
         .type = ParamType::integer,
         .default_value = 100,
         .doc = "Boosting rounds of every column model (a multiclass model grows one tree per "
                "class and round)",
         .aliases = {"lgbm_n_estimators", "num_iterations", "num_boost_round"},
         .min = 1,
         .max = 10000});
  s.add({.name = "learning_rate",
         .type = ParamType::number,
         .default_value = 0.1,
         .doc = "Shrinkage of each tree's contribution",
         .aliases = {"lgbm_learning_rate", "eta"},
         .min = 0,
         .max = 1,
         .min_exclusive = true});
  s.add({.name = "max_leaves",
         .type = ParamType::integer,
         .default_value = 31,
         .doc = "Leaves per tree; trees grow leaf-wise (best split first), as LightGBM",
         .aliases = {"num_leaves", "lgbm_num_leaves"},
         .min = 2,
         .max = 131072});
  s.add({.name = "max_depth",
         .type = ParamType::integer,
         .default_value = -1,
         .doc = "Deepest tree level; -1 = no limit (leaves bound the size)",
         .min = -1,
         .max = 64});
  s.add({.name = "min_child_weight",
         .type = ParamType::number,
         .default_value = 1.0,
         .doc = "Least hessian sum in a leaf (rows for regression; fewer for confident classes)",
         .aliases = {"min_sum_hessian_in_leaf"},
         .min = 0});
  s.add({.name = "subsample",
         .type = ParamType::number,
         .default_value = 1.0,
         .doc = "Fraction of rows each tree is grown on (seeded)",
         .aliases = {"bagging_fraction"},
         .min = 0,
         .max = 1,
         .min_exclusive = true});
  s.add({.name = "colsample_bytree",
         .type = ParamType::number,
         .default_value = 1.0,
         .doc = "Fraction of the features each tree may split on (seeded)",
         .aliases = {"feature_fraction"},
         .min = 0,
         .max = 1,
         .min_exclusive = true});
  s.add({.name = "residuals",
         .type = ParamType::choice,
         .default_value = "pmm",
         .doc = "How a numeric value is drawn around its prediction: the real value of one of the "
                "training rows with the nearest predictions (pmm, predictive mean matching), the "
                "prediction plus such a row's residual (local) or plus any row's residual (global)",
         .choices = {"local", "global", "pmm"}});
  s.add({.name = "snap",
         .type = ParamType::boolean,
         .default_value = true,
         .doc = "Move each numeric draw to the nearest value observed in the column (keeps the "
                "support of discrete and zero-inflated columns)"});
  s.add({.name = "iterations",
         .type = ParamType::integer,
         .default_value = 0,
         .doc = "Gibbs rounds after the sequential pass; each redraws every column from a model "
                "conditional on all other columns (0 = the sequential pass only)",
         .aliases = {"lgbm_iterations"},
         .min = 0,
         .max = 1000});
  s.add({.name = "visit_sequence",
         .type = ParamType::any,
         .default_value = nullptr,
         .doc = "Column names in the order they are synthesised; columns not named follow in "
                "data order. None = data order with target_col last",
         .nullable = true});
  return s;
}

LgbmOptions lgbm_options(const Params& p) {
  LgbmOptions o;
  xgb::BoosterParams& b = o.column.booster;
  b.n_estimators = static_cast<int>(p.get_int("n_estimators"));
  b.learning_rate = p.get_double("learning_rate");
  b.max_leaves = static_cast<int>(p.get_int("max_leaves"));
  b.max_depth = std::max<int>(0, static_cast<int>(p.get_int("max_depth")));
  b.min_child_weight = p.get_double("min_child_weight");
  b.subsample = p.get_double("subsample");
  b.colsample_bytree = p.get_double("colsample_bytree");
  const std::string r = p.get_string("residuals");
  o.column.residuals = r == "global" ? Residuals::global
                       : r == "pmm"  ? Residuals::pmm
                                     : Residuals::local;
  o.column.snap = p.get_bool("snap");
  o.iterations = static_cast<int>(p.get_int("iterations"));
  o.visit_sequence = parse_visit_sequence(p.raw("visit_sequence"));
  return o;
}

}  // namespace calm::lgbm
