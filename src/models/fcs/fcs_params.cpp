// ParamSpecs of the FCS methods. Defaults and why (figures: SDMetrics-equivalent quality of
// calm::evaluate_quality, synthetic rows = real rows, mean of 3 seeds, one core):
//  - iterations = 0: one sequential pass, as synthpop. Gibbs rounds that redraw every column from
//    a tree conditional on all the others (the seed's 10 sweeps) drift away from the data because
//    leaf-pooled conditionals are not compatible: quality 0 / 2 / 10 rounds = penguins .915 / .886
//    / .836, telco_churn .989 / .976 / .951, credit_data .991 / .969 / .945, diamonds .996 / .994
//    / .963; each round also costs a full pass of sampling and a second set of models.
//  - min_samples_leaf = None: max(10, rows / 2000) (see auto_min_samples_leaf). On diamonds a leaf
//    of 1 copies 87% of the real rows exactly; the floor of 10 (synthpop uses 5) trades no
//    measurable quality for privacy: on telco_churn a leaf of 5 / 10 / 20 gave .990 / .989 / .987
//    with 2.3% / 0.7% / 0.2% exact copies, credit_data .986 / .992 (leaf 5 / 10). rf keeps a
//    floor of 5: its bootstrap already mixes donors, and a floor of 10 shifted a boolean share by
//    3 points in tests/cpp/test_fcs.cpp. Re-checked over the 13 tables of the issue 18 study
//    (bench/study_defaults.py, 3 seeds; BENCHMARKS.md "Defaults that generalise"): a floor of 5
//    beats 10 on pbc_longitudinal (+.008), clinical_missing (+.007), small_int_classes and
//    skewed_money (+.001), loses on airquality (-.008), credit_card_applications (-.006),
//    high_cardinality (-.021) and diamonds (-.001), and copies more (shuttle 59% vs 20%): 10 stays.
//  - redraw_copies = True: rows reproducing a unique real row are redrawn (copy_guard.hpp), the
//    visit order's last column, then the last two, ... up to every column but the first, each
//    keeping whether its value is missing. Over the same study it took cart's copies of unique
//    rows (beyond the real table's own duplicate rate) from 35% to none on shuttle, 5.8% to 1.1%
//    on tx_housing_monthly, 37% to 0.4% on high_cardinality and 11% to none on
//    small_int_classes, and rf's from 17% / 5.8% to none / 1.1%. Quality: cart -.004 on shuttle
//    and tx_housing_monthly, rf -.006 on tx_housing_monthly (the redrawn rows move the year
//    marginal: their all-missing blocks are early years), at most .001 on the other shared
//    tables, -.021 on high_cardinality (a 600-shop table whose rows are mostly unique
//    combinations). Redrawing only the last 4
//    columns left shuttle at 20% (its later columns are functions of the first ones).
//  - Donors are dealt without replacement within each leaf (balanced_draws.hpp), not drawn
//    independently. Measured with `calm generate DATA -n ROWS -m cart --seed S --threads 1` then
//    `calm evaluate DATA SYN --json` (SDMetrics QualityReport-equivalent overall; copies = share
//    of synthetic rows equal to a real row), seeds 1..5, mean (min) / copies:
//                            independent draws          dealt (default)        synthpop
//      penguins (1000)       .959 (.955) / 0.14%        .975 (.974) / 0.14%    .954 / 0.3%
//      telco_churn (5000)    .988 (.986) / 0.74%        .992 (.991) / 0.72%    .989 / 0.2%
//      credit_data (5000)    .992 (.990) / 0.01%        .995 (.995) / 0.00%    .992 / 0.06%
//      diamonds (53940)      .992 (.988) / 0.05%        .998 (.998) / 0.05%    .997 / 0.3%
//    With independent draws the diamonds score swung by seed (.988 - .995, and .960 / .962 for
//    leaf floors 5 / 10): SDMetrics bins each numeric column between its own min and max for the
//    category-number pairs, so a synthetic depth column that misses the real extreme 43 or 79
//    (2 rows each; an independent draw misses a given donor with probability 1/e) shifts every
//    bin edge and cut-depth scored .22 - .996; a repeated outlier (y = 58.9) bent the x-y, y-z
//    correlations. Lower leaf floors did not remove this (independent draws, diamonds, 5 seeds:
//    leaf 5 .988 (.960) / 1.00% copies, 10 .988 (.962) / 0.23%, 15 .993 (.988) / 0.11%, auto
//    .992 (.988) / 0.05%); dealt draws with the auto rule do, at unchanged copy rates, so the auto
//    rule stays. Dealing changes only the noise between draws: each draw is still uniform over
//    its leaf's donors.
//  - rf n_estimators = 10: a value is drawn from the donors of one tree, so more trees add little:
//    30 trees cost 3x the fit time for +0.000..0.015 quality.
//  - rf max_features = None (bagged trees, every feature at each split): per-split feature
//    subsampling ("sqrt") weakens each tree's conditional and showed directly in quality —
//    sqrt / None = diamonds .966 / .996, telco_churn .973 / .988, credit_data .954 / .990.
#include "models/fcs/fcs_params.hpp"

#include "models/fcs/visit_order.hpp"

namespace calm::fcs {

namespace {

void add_common(ParamSpec& s, const std::string& prefix, const Json& max_features_default) {
  add_iterations_param(s, prefix, "tree");
  s.add({.name = "min_samples_leaf",
         .type = ParamType::integer,
         .default_value = nullptr,
         .doc = "Fewest training rows (donors) per leaf; None = max(10, rows/2000) for cart, "
                "max(5, rows/2000) for rf",
         .aliases = {prefix + "_min_samples_leaf"},
         .min = 1,
         .nullable = true});
  s.add({.name = "max_depth",
         .type = ParamType::integer,
         .default_value = nullptr,
         .doc = "Deepest tree level; None = unlimited",
         .min = 1,
         .nullable = true});
  s.add({.name = "min_samples_split",
         .type = ParamType::integer,
         .default_value = 2,
         .doc = "Fewest rows a node needs to be split",
         .min = 2});
  s.add({.name = "max_features",
         .type = ParamType::one_of,
         .default_value = max_features_default,
         .doc = "Candidate features per split: None/\"all\", \"sqrt\", \"log2\", a count >= 1 or "
                "a fraction in (0, 1)",
         .nullable = true,
         .alternatives = {{.type = ParamType::choice, .choices = {"all", "sqrt", "log2"}},
                          {.type = ParamType::integer, .min = 1},
                          {.type = ParamType::number,
                           .min = 0,
                           .max = 1,
                           .min_exclusive = true,
                           .max_exclusive = true}}});
  s.add({.name = "ccp_alpha",
         .type = ParamType::number,
         .default_value = 0.0,
         .doc = "Minimal cost-complexity pruning strength (regression impurity measured on the "
                "target divided by its standard deviation)",
         .min = 0});
  s.add({.name = "smoothing",
         .type = ParamType::choice,
         .default_value = "none",
         .doc = "none: donor values as they are; density: Gaussian kernel around numeric donors "
                "with the leaf's bw.nrd0 bandwidth (synthpop smoothing = \"density\")",
         .choices = {"none", "density"}});
  add_redraw_copies_param(s);
  add_visit_sequence_param(s);
}

// max_features as ParamSpec validated it: null, "all", "sqrt", "log2", an integer or a fraction.
tree::MaxFeatures max_features(const Json& v) {
  using K = tree::MaxFeatures::Kind;
  if (v.is_null() || v == "all") return {K::all, 0};
  if (v == "sqrt") return {K::sqrt, 0};
  if (v == "log2") return {K::log2, 0};
  return {v.is_number_integer() ? K::count : K::fraction, v.get<double>()};
}

FcsOptions common_options(const Params& p) {
  FcsOptions o;
  o.iterations = static_cast<int>(p.get_int("iterations"));
  o.auto_min_samples_leaf = p.is_null("min_samples_leaf");
  if (!o.auto_min_samples_leaf) o.learner.tree.min_samples_leaf = p.get_int("min_samples_leaf");
  o.learner.tree.max_depth = p.is_null("max_depth") ? 0 : static_cast<int>(p.get_int("max_depth"));
  o.learner.tree.min_samples_split = p.get_int("min_samples_split");
  o.learner.tree.ccp_alpha = p.get_double("ccp_alpha");
  o.learner.max_features = max_features(p.raw("max_features"));
  o.smoothing = p.get_string("smoothing") == "density";
  o.redraw_copies = p.get_bool("redraw_copies");
  o.visit_sequence = p.get_string_list("visit_sequence");
  return o;
}

}  // namespace

ParamSpec cart_param_spec() {
  ParamSpec s;
  add_common(s, "cart", nullptr);
  return s;
}

ParamSpec rf_param_spec() {
  ParamSpec s;
  s.add({.name = "n_estimators",
         .type = ParamType::integer,
         .default_value = 10,
         .doc = "Trees in the forest; each synthetic value comes from the donors of one tree",
         .aliases = {"rf_n_estimators"},
         .min = 1,
         .max = 4096});
  s.add({.name = "bootstrap",
         .type = ParamType::boolean,
         .default_value = true,
         .doc = "Fit each tree on a bootstrap sample of the rows"});
  add_common(s, "rf", nullptr);
  return s;
}

FcsOptions cart_options(const Params& p) {
  return common_options(p);
}

FcsOptions rf_options(const Params& p) {
  FcsOptions o = common_options(p);
  o.auto_leaf_floor = 5;  // synthpop's minbucket: bagging already blurs single donors
  o.learner.n_estimators = static_cast<int>(p.get_int("n_estimators"));
  o.learner.bootstrap = p.get_bool("bootstrap");
  return o;
}

}  // namespace calm::fcs
