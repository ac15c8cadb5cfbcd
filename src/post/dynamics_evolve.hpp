// Feature evolution types of dynamics_config.evolve_features (the original ScenarioInjector):
// each type maps the time variable t of every row to a change of the column, additive
// (x + delta(t)) or multiplicative (x * factor(t)). Math table: docs/dynamics.md.
#pragma once

#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/rng.hpp"

namespace calm::dynamics {

struct EvolutionType {
  std::string name;
  std::vector<std::string> aliases;
  std::string formula;  // for docs and messages
  bool multiplicative = false;
  ParamSpec spec;
  // delta (additive) or factor (multiplicative) for each t (NaN t gives NaN: cell unchanged).
  // `order` lists the rows by increasing t, for path-dependent types (random_walk).
  std::vector<double> (*effect)(const std::vector<double>& t, const std::vector<size_t>& order,
                                const Params& p, Rng& rng);
};

const std::vector<EvolutionType>& evolution_types();
// nullptr if unknown; matches names and aliases.
const EvolutionType* find_evolution_type(const std::string& name);
std::vector<std::string> evolution_type_names();

}  // namespace calm::dynamics
