// The visit sequence of sequential (fully conditional) synthesis, shared by the FCS methods
// (cart, rf) and lgbm: the columns named in visit_sequence first, in that order, then the others
// in data order, with the target last when no visit_sequence is given (so it is predicted from
// every other column).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

// model_of for sequential synthesis: the non-id columns of `data` numbered 0, 1, ... in table
// order, -1 for id columns (they get fresh keys instead of a model).
std::vector<int> synthesised_columns(const Table& data, const Schema& schema);
// table_of, the inverse of model_of; nullopt unless model_of numbers its columns 0, 1, ... in table
// order (the check a loaded model's roles must pass).
std::optional<std::vector<size_t>> table_columns(const std::vector<int>& model_of);

// model_of: table column -> model column (-1: not synthesised, e.g. id); table_of: the inverse.
// Returns model columns in visiting order; throws InvalidArgument for unknown or repeated names.
std::vector<int> sequential_visit_order(const Table& data, const std::vector<int>& model_of,
                                        const std::vector<size_t>& table_of,
                                        const std::vector<std::string>& visit_sequence,
                                        const std::optional<std::string>& target_col);

// The model_params every sequential method shares, declared once: `iterations` (Gibbs rounds after
// the sequential pass; alias <prefix>_iterations; `learner` names what redraws a column: "tree",
// "model") and `visit_sequence` (list of column names, read with Params::get_string_list).
void add_iterations_param(ParamSpec& spec, const std::string& prefix, const std::string& learner);
void add_visit_sequence_param(ParamSpec& spec);
// `redraw_copies` (cart, rf, lgbm): redraw synthetic rows that reproduce a unique real row.
void add_redraw_copies_param(ParamSpec& spec);

}  // namespace calm
