// Visit order of sequential synthesis (see visit_order.hpp).
#include "models/fcs/visit_order.hpp"

#include "calm/core/error.hpp"

namespace calm {

std::vector<int> synthesised_columns(const Table& data, const Schema& schema) {
  std::vector<int> model_of(data.num_columns(), -1);
  int next = 0;
  for (size_t t = 0; t < data.num_columns(); ++t)
    if (schema[data.column(t).name].semantic != SemanticType::id) model_of[t] = next++;
  return model_of;
}

std::optional<std::vector<size_t>> table_columns(const std::vector<int>& model_of) {
  std::vector<size_t> table_of;
  for (size_t t = 0; t < model_of.size(); ++t) {
    if (model_of[t] < 0) continue;
    if (model_of[t] != static_cast<int>(table_of.size())) return std::nullopt;
    table_of.push_back(t);
  }
  return table_of;
}

std::vector<int> sequential_visit_order(const Table& data, const std::vector<int>& model_of,
                                        const std::vector<size_t>& table_of,
                                        const std::vector<std::string>& visit_sequence,
                                        const std::optional<std::string>& target_col) {
  const int m = static_cast<int>(table_of.size());
  std::vector<int> order;
  std::vector<bool> placed(m, false);
  for (const auto& name : visit_sequence) {
    auto t = data.find(name);
    if (!t || model_of[*t] < 0) {
      std::vector<std::string> valid;
      for (size_t j : table_of) valid.push_back(data.column(j).name);
      throw InvalidArgument("visit_sequence names '" + name + "', which is not a column that " +
                            "can be synthesised; valid columns: " + join_names(valid));
    }
    const int j = model_of[*t];
    if (placed[j]) throw InvalidArgument("visit_sequence names '" + name + "' twice");
    placed[j] = true;
    order.push_back(j);
  }
  int target = -1;
  if (visit_sequence.empty() && target_col) {
    auto t = data.find(*target_col);
    if (t && model_of[*t] >= 0) target = model_of[*t];
  }
  for (int j = 0; j < m; ++j)
    if (!placed[j] && j != target) order.push_back(j);
  if (target >= 0) order.push_back(target);
  return order;
}

void add_iterations_param(ParamSpec& s, const std::string& prefix, const std::string& learner) {
  s.add({.name = "iterations",
         .type = ParamType::integer,
         .default_value = 0,
         .doc = "Gibbs rounds after the sequential pass; each redraws every column from a " +
                learner +
                " conditional on all other columns (0 = the sequential pass only, as synthpop)",
         .aliases = {prefix + "_iterations"},
         .min = 0,
         .max = 1000});
}

void add_visit_sequence_param(ParamSpec& s) {
  s.add({.name = "visit_sequence",
         .type = ParamType::string_list,
         .default_value = nullptr,
         .doc = "Column names in the order they are synthesised; columns not named follow in "
                "data order. None = data order with target_col last",
         .nullable = true});
}

void add_redraw_copies_param(ParamSpec& s) {
  s.add({.name = "redraw_copies",
         .type = ParamType::boolean,
         .default_value = true,
         .doc = "Redraw synthetic rows that reproduce a real row occurring once in the data "
                "(synthpop's sdc rm.replicated.uniques, redrawn instead of dropped so that the "
                "row count holds); False keeps them"});
}

}  // namespace calm
