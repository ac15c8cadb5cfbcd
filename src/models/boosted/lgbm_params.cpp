// The model_params of `lgbm` (LightGBM's names, with the seed's lgbm_ aliases and LightGBM's own
// aliases) and their translation into LgbmOptions. Defaults are LightGBM's where XGBoost has the
// same knob (100 rounds, learning rate 0.1, 31 leaves grown leaf-wise, no depth limit); the
// residual default and iterations = 0 are measured choices, see docs in lgbm_column.hpp and the
// figures in the header of register_boosted.cpp.
#include "calm/core/error.hpp"
#include "models/boosted/lgbm_synthesizer.hpp"

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
         .default_value = "local",
         .doc = "Noise added to a numeric prediction: a training residual of a row with a similar "
                "prediction (local) or of any row (global)",
         .choices = {"local", "global"}});
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
  o.column.residuals = p.get_string("residuals") == "global" ? Residuals::global : Residuals::local;
  o.iterations = static_cast<int>(p.get_int("iterations"));
  const Json& vs = p.raw("visit_sequence");
  if (!vs.is_null()) {
    if (!vs.is_array())
      throw InvalidArgument("model_param 'visit_sequence' must be a list of column names, got " +
                            vs.dump());
    for (const auto& name : vs) {
      if (!name.is_string())
        throw InvalidArgument("model_param 'visit_sequence' must hold column names, got " +
                              name.dump());
      o.visit_sequence.push_back(name.get<std::string>());
    }
  }
  return o;
}

}  // namespace calm::lgbm
