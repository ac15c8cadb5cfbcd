// Declarations of the DP methods' model_params (see dp_params.hpp).
#include "models/dp/dp_params.hpp"

namespace calm {

std::vector<std::string> dp_synth_types() {
  return {"mst", "aim", "mwem", "pate_ctgan", "dpctgan"};
}

std::vector<ParamDef> dp_common_params(double default_epsilon, int default_bins) {
  return {
      {.name = "epsilon",
       .type = ParamType::number,
       .default_value = default_epsilon,
       .doc = "privacy budget epsilon of (epsilon, delta)-DP: smaller is more private",
       .aliases = {"dp_epsilon"},
       .min = 0.0,
       .max = 1000.0,
       .min_exclusive = true},
      {.name = "delta",
       .type = ParamType::number,
       .default_value = 1e-5,
       .doc = "delta of (epsilon, delta)-DP, below 1/rows; spent by the zCDP conversion and by "
              "releasing categories that are not public",
       .aliases = {"dp_delta"},
       .min = 0.0,
       .max = 1.0,
       .min_exclusive = true,
       .max_exclusive = true},
      {.name = "preprocessor_eps",
       .type = ParamType::number,
       .default_value = nullptr,
       .doc = "part of epsilon that learns the bounds, bins and categories of the columns not "
              "given in bounds/domain (None: 10% of epsilon; under zCDP the same share of rho)",
       .min = 0.0,
       .min_exclusive = true,
       .nullable = true},
      {.name = "bounds",
       .type = ParamType::column_lists,
       .default_value = Json::object(),
       .doc = "public ranges {column: [low, high]} of numeric/datetime columns: no budget is "
              "spent on them; values outside are clipped (with a warning)"},
      {.name = "domain",
       .type = ParamType::column_lists,
       .default_value = Json::object(),
       .doc = "public categories {column: [values...]} of categorical columns: no budget is "
              "spent on them; other values are modelled as missing (with a warning)"},
      {.name = "bins",
       .type = ParamType::integer,
       .default_value = default_bins,
       .doc = "bins of a numeric column in the model (equal-mass bins learnt privately, or equal "
              "width within public bounds; one per integer for small integer ranges)",
       .min = 2.0,
       .max = 4096.0},
  };
}

std::vector<ParamDef> dp_marginal_params() {
  return {
      {.name = "synth_type",
       .type = ParamType::choice,
       .default_value = "pate_ctgan",
       .doc = "the DP algorithm: mst (McKenna et al. 2021), aim (McKenna et al. 2022), mwem "
              "(Hardt et al. 2012), pate_ctgan (Jordon et al. 2019), dpctgan (DP-SGD CTGAN)",
       .choices = dp_synth_types()},
      {.name = "iterations",
       .type = ParamType::integer,
       .default_value = 2000,
       .doc = "mst/aim: mirror-descent iterations of Private-PGM's final fit",
       .min = 1.0,
       .max = 1000000.0},
      {.name = "round_iterations",
       .type = ParamType::integer,
       .default_value = 100,
       .doc = "aim: mirror-descent iterations of the warm-started fit after each round",
       .min = 1.0,
       .max = 1000000.0},
      {.name = "rounds",
       .type = ParamType::integer,
       .default_value = nullptr,
       .doc = "aim: planned rounds (None: 16 x columns, as the paper); mwem: iterations (None: "
              "its default)",
       .min = 1.0,
       .max = 100000.0,
       .nullable = true},
      {.name = "degree",
       .type = ParamType::integer,
       .default_value = 2,
       .doc = "aim: size of the workload's marginals (all degree-way marginals)",
       .min = 1.0,
       .max = 5.0},
      {.name = "max_cells",
       .type = ParamType::number,
       .default_value = 10000.0,
       .doc = "aim: workload marginals with more cells are left out",
       .min = 1.0},
      {.name = "max_model_size",
       .type = ParamType::number,
       .default_value = 80.0,
       .doc = "aim: largest model (MB of junction-tree tables) at the end of the budget",
       .min = 0.0,
       .min_exclusive = true},
      {.name = "split_factor",
       .type = ParamType::integer,
       .default_value = 5,
       .doc = "mwem: most columns per cube (each cube's joint histogram is learnt on its own)",
       .min = 1.0,
       .max = 16.0},
      {.name = "mwem_queries",
       .type = ParamType::integer,
       .default_value = 0,
       .doc = "mwem: random range queries added to each cube's marginal workload",
       .min = 0.0,
       .max = 100000.0},
  };
}

}  // namespace calm
