// The drift method registry (see drift_method.hpp): one lookup by name, no switch over names.
#include <algorithm>

#include "calm/core/error.hpp"
#include "post/drift_method.hpp"

namespace calm::drift {

const std::vector<DriftMethod>& drift_catalogue() {
  static const std::vector<DriftMethod> all = [] {
    std::vector<DriftMethod> v;
    add_feature_methods(v);
    add_label_methods(v);
    add_categorical_methods(v);
    add_quality_methods(v);
    add_correlation_methods(v);
    add_value_methods(v);
    add_unified_methods(v);
    return v;
  }();
  return all;
}

const DriftMethod* find_drift_method(const std::string& name) {
  for (const auto& m : drift_catalogue())
    if (m.name == name) return &m;
  return nullptr;
}

ParamSpec spec_with_selection(std::initializer_list<ParamDef> defs) {
  ParamSpec spec(defs);
  add_selection_params(spec);
  return spec;
}

std::string target_column(const Params& p, const char* param, const StepContext& s) {
  if (!p.is_null(param)) return p.get_string(param);
  if (s.ctx.target_col) return *s.ctx.target_col;
  throw InvalidArgument(s.where + ": missing required parameter '" + param +
                        "' (no target_col was given to the generator either)");
}

void check_columns(const Table& t, const std::vector<std::string>& names,
                   const std::vector<StorageType>& allowed, const StepContext& s) {
  for (const auto& name : names) {
    if (!t.has(name))
      throw InvalidArgument(s.where + ": unknown column '" + name +
                            "'; columns: " + join_names(t.column_names()));
    StorageType type = t.column(name).type;
    if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
      std::vector<std::string> ok;
      for (auto a : allowed) ok.push_back(to_string(a));
      throw InvalidArgument(s.where + ": column '" + name + "' is " + to_string(type) +
                            "; this method works on " + join_names(ok) + " columns");
    }
  }
}

}  // namespace calm::drift
