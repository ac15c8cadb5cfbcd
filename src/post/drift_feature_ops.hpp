// Per-value feature drift operations (the original's _apply_numeric_op_with_weights and
// _apply_categorical_with_weights): with weights w_i in [0, 1] over the selected rows, numeric
// cells move by w_i times the full drift of `drift_type`; categorical and boolean cells switch to
// another value with probability w_i * clip(magnitude, 0, 1). Math table: docs/drift.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/table.hpp"
#include "post/drift_method.hpp"

namespace calm::drift {

const std::vector<std::string>& numeric_drift_types();

struct FeatureOp {
  std::string type = "gaussian_noise";
  double magnitude = 0.2;
  std::optional<double> value;  // drift_values[col], else drift_value
};

// feature_cols, drift_type, drift_magnitude, drift_value, drift_values.
std::vector<ParamDef> feature_op_params();
void check_feature_op(const Params& p, const Table& t, const StepContext& s);
// `type_param` names the parameter holding the operation (inject_drift calls it
// "numeric_operation").
FeatureOp feature_op_for(const Params& p, const std::string& column,
                         const std::string& type_param = "drift_type");

// Applies the op to column `c` at `rows` with weights `w` (same length as rows).
void apply_feature_op(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w,
                      const FeatureOp& op, Rng& rng);

// Every feature_cols column of `t`, drifted with weights `w` over `rows`.
Table drift_feature_columns(const Table& t, const Params& p, const std::vector<size_t>& rows,
                            const std::vector<double>& w, Rng& rng);

// Conditions [{"column", "operator", "value"}] (all must hold; a missing cell meets none).
const std::vector<std::string>& condition_operators();
void check_conditions(const Json& conditions, const Table& t, const StepContext& s);
std::vector<size_t> rows_meeting(const Table& t, const std::vector<size_t>& rows,
                                 const Json& conditions);

}  // namespace calm::drift
