// The catalogue of drift methods behind drift_injection_config: each method declares its
// parameters once (ParamSpec, which validates them and names the valid ones), the ones that are
// required, a check against the table's columns, and its operation on the selected rows. Families
// register themselves from their own files (drift_feature.cpp, drift_label.cpp, ...).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/table.hpp"
#include "calm/post/drift.hpp"
#include "post/drift_weights.hpp"
#include "post/row_selection.hpp"

namespace calm::drift {

struct StepContext {
  const DriftContext& ctx;
  std::string where;  // "drift_injection_config[2] (inject_feature_drift)", for messages
  SelectionDefaults defaults;
  // Where the selected rows sit in the step's whole selection (a block of a stream holds a part
  // of it); window and mode weights are computed at these positions.
  SelectionSpan span;
};

struct DriftMethod {
  std::string name;
  std::string summary;
  ParamSpec spec;  // method parameters plus the shared selection parameters
  std::vector<std::string> required;
  // Checks columns and values against a table shaped like the input; throws InvalidArgument.
  std::function<void(const Params&, const Table&, const StepContext&)> check;
  // Returns the table with the drift applied to `rows` (ascending positions).
  std::function<Table(const Table&, const Params&, const std::vector<size_t>& rows, Rng&,
                      const StepContext&)>
      apply;
};

const std::vector<DriftMethod>& drift_catalogue();
const DriftMethod* find_drift_method(const std::string& name);

// Family registrations, called once by drift_catalogue().
void add_feature_methods(std::vector<DriftMethod>& out);
void add_label_methods(std::vector<DriftMethod>& out);
void add_categorical_methods(std::vector<DriftMethod>& out);
void add_quality_methods(std::vector<DriftMethod>& out);
void add_correlation_methods(std::vector<DriftMethod>& out);
void add_value_methods(std::vector<DriftMethod>& out);
void add_unified_methods(std::vector<DriftMethod>& out);

// A ParamSpec holding `defs` and the selection parameters.
ParamSpec spec_with_selection(std::initializer_list<ParamDef> defs);

// The column a label method works on: its parameter, else the generator's target column.
std::string target_column(const Params& p, const char* param, const StepContext& s);

// Checks that every column exists and has one of the allowed storage types.
void check_columns(const Table& t, const std::vector<std::string>& names,
                   const std::vector<StorageType>& allowed, const StepContext& s);

// The kinds of columns each family accepts.
inline const std::vector<StorageType> kNumeric = {StorageType::float64, StorageType::int64};
inline const std::vector<StorageType> kDiscrete = {StorageType::categorical, StorageType::int64,
                                                   StorageType::boolean, StorageType::float64};
inline const std::vector<StorageType> kAnyType = {StorageType::float64, StorageType::int64,
                                                  StorageType::boolean, StorageType::categorical,
                                                  StorageType::datetime};

}  // namespace calm::drift
