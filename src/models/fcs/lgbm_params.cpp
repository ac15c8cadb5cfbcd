// The model_params of `lgbm` (LightGBM's names, with the seed's lgbm_ aliases and LightGBM's own
// aliases) and their translation into LgbmOptions. Defaults are LightGBM's where XGBoost has the
// same knob (100 rounds at most, 31 leaves grown leaf-wise, no depth limit, 256 bins), except:
//  - learning_rate = 0.3 with early stopping (10 rounds without gain on 15% held-out rows; each
//    model is boosted from its column's marginal, so a model stopped early stays calibrated).
//    Measured with `calm generate DATA -n ROWS -m lgbm --seed S --threads 1` then `calm evaluate`
//    (overall quality, seeds 1/2) and /usr/bin/time's user seconds of the generate step, on a
//    loaded 2-core machine:
//                  100 rounds, lr .1   early stop, lr .1   lr .2         lr .3 (default)
//      penguins    .963 .957                                                .968 .961
//      credit      .980 .982  2.4 s    .989 .988  1.2 s    .990 .991 1.0 s  .992 .990  0.8 s
//      telco       .986 .987  3.3 s    .983 .986  2.7 s    .984 .986 1.7 s  .984 .986  1.3 s
//      diamonds    .989 (seed 1) 31 s* .965 .992 12.6 s    .994 .994 7.4 s  .994 .995  5.3 s
//    (* wall seconds on 2 threads: 16 s fit + 15 s sample. The diamonds .965 is SDMetrics'
//    cut-depth binning between each table's own min and max, see fcs_params.cpp: it swings with
//    whether the extreme depths are drawn.) max_bin 64 / 128 (lr .2) was no faster and scored
//    .992 / .991. Early stopping also guards small tables against memorising: penguins (344 rows,
//    1000 drawn, seeds 1..3) gave 1.4-1.7% exact copies of real rows at 100 rounds of lr .1 and
//    9-11% at lr .3, but 0.2-0.5% with early stopping on 51 held-out rows (hence the least
//    held-out rows for early stopping is 30, xgb_booster.hpp).
//  - pmm donors dealt without replacement within prediction blocks (lgbm_column.hpp), as cart
//    deals its leaves (fcs_params.cpp): independent draws left SDMetrics' diamonds score at the
//    mercy of whether the 2 rows with depth 43 / 79 were drawn (.956 - .995 by seed). Defaults
//    above, seeds 1..3, independent / dealt: penguins .964 / .973, credit .991 / .993, telco
//    .985 / .987, diamonds .982 (min .956) / .995 (min .995).
// residuals = pmm is measured (calm::evaluate_quality overall, synthetic rows = real rows, seeds
// 1/2, other parameters default as they were then — 100 rounds, lr .1; cart's figures from
// fcs_params.cpp for comparison):
//            pmm    local  global  | cart
//   penguins .942   .943   -       | .915
//   credit   .981   .968   .948    | .991  (zero-inflated Debt/Assets: pmm keeps their zeros)
//   telco    .992   .992   .967    | .989
//   diamonds .993   .993   -       | .996
// snap = true: credit .959 vs .957 and telco .988 vs .985 (local residuals, before the
// tie-aware window); with pmm the draws are observed values already.
#include "calm/core/error.hpp"
#include "models/fcs/lgbm_synthesizer.hpp"
#include "models/fcs/visit_order.hpp"

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
         .default_value = 0.3,
         .doc = "Shrinkage of each tree's contribution (0.3 with early stopping: see "
                "lgbm_params.cpp)",
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
  s.add({.name = "max_bin",
         .type = ParamType::integer,
         .default_value = 256,
         .doc = "Histogram bins per numeric feature (quantile bins of XGBoost's hist method)",
         .aliases = {"lgbm_max_bin"},
         .min = 2,
         .max = 65536});
  s.add({.name = "early_stopping_rounds",
         .type = ParamType::integer,
         .default_value = 10,
         .doc = "Stop a column model's boosting once its loss on held-out rows has not improved "
                "for this many rounds, and keep its best round (0 = always n_estimators rounds; "
                "only when validation_fraction holds out at least 30 rows)",
         .aliases = {"lgbm_early_stopping_rounds", "early_stopping_round"},
         .min = 0,
         .max = 10000});
  s.add({.name = "validation_fraction",
         .type = ParamType::number,
         .default_value = 0.15,
         .doc = "Share of the real rows (seeded) held out of each column model's boosting to "
                "measure early stopping",
         .min = 0,
         .max = 0.5});
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
  add_redraw_copies_param(s);
  add_iterations_param(s, "lgbm", "model");
  add_visit_sequence_param(s);
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
  b.max_bin = static_cast<int>(p.get_int("max_bin"));
  b.early_stopping_rounds = static_cast<int>(p.get_int("early_stopping_rounds"));
  b.validation_fraction = p.get_double("validation_fraction");
  const std::string r = p.get_string("residuals");
  o.column.residuals = r == "global" ? Residuals::global
                       : r == "pmm"  ? Residuals::pmm
                                     : Residuals::local;
  o.column.snap = p.get_bool("snap");
  o.iterations = static_cast<int>(p.get_int("iterations"));
  o.redraw_copies = p.get_bool("redraw_copies");
  o.visit_sequence = p.get_string_list("visit_sequence");
  return o;
}

}  // namespace calm::lgbm
