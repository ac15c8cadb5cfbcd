// ParamSpec: every model_param of a method declared once — name, aliases, type, default, valid
// range or choices, one-line doc. The declaration validates user input, drives `calm methods`,
// the CLI help, the Python docstrings and docs/methods.md (LightGBM's config.h idea).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace calm {

using Json = nlohmann::json;

// one_of: the value must match one of ParamDef::alternatives (tried in order; the first that
// accepts it gives the stored value), e.g. max_features = "sqrt" | an integer >= 1 | a fraction.
enum class ParamType {
  integer,
  number,
  boolean,
  string,
  choice,
  int_list,
  string_list,
  column_lists,  // an object {column: non-empty list}, e.g. bounds {"age": [0, 120]}
  one_of,
  any
};
const char* to_string(ParamType t);

// The largest magnitude an integer parameter (or an int_list element) may take whatever its
// declared bounds: parameters are read into C++ ints.
inline constexpr int64_t kMaxIntParam = 2147483647;

struct ParamDef {
  std::string name;
  ParamType type = ParamType::number;
  Json default_value;  // null = "None" (auto / unset)
  std::string doc;
  std::vector<std::string> aliases;  // e.g. sdv_epochs for epochs
  std::optional<double> min, max;    // bounds for integer/number (inclusive unless flagged)
  bool min_exclusive = false;
  std::vector<std::string> choices;  // for ParamType::choice
  bool nullable = false;             // may be None (null) explicitly
  bool max_exclusive = false;
  std::vector<ParamDef> alternatives;  // for ParamType::one_of: the accepted forms (no names)

  // What the parameter accepts, as the error messages and docs say it: "int in [1, 4096]",
  // "one of: none, density", "\"all\" | \"sqrt\" | int in [1, inf) or None".
  std::string accepts() const;
  // {name, type, default, doc, aliases, choices, min, max, min_exclusive, max_exclusive,
  // nullable, accepts, alternatives}: min/max null when unbounded, the lists empty when unused.
  Json to_json() const;
};

// Validated parameters: every declared name present (user value or default).
class Params {
 public:
  Params() = default;
  explicit Params(Json values) : values_(std::move(values)) {}
  bool is_null(const std::string& name) const;
  int64_t get_int(const std::string& name) const;
  double get_double(const std::string& name) const;
  bool get_bool(const std::string& name) const;
  std::string get_string(const std::string& name) const;
  std::vector<int64_t> get_int_list(const std::string& name) const;
  std::vector<std::string> get_string_list(const std::string& name) const;  // null -> empty
  const Json& raw(const std::string& name) const;
  const Json& json() const { return values_; }

 private:
  Json values_ = Json::object();
};

class ParamSpec {
 public:
  ParamSpec() = default;
  ParamSpec(std::initializer_list<ParamDef> defs) : defs_(defs) {}
  ParamSpec& add(ParamDef def);
  const std::vector<ParamDef>& defs() const { return defs_; }
  const ParamDef* find(const std::string& name_or_alias) const;
  // Every ParamDef::to_json, in declaration order.
  Json to_json() const;

  // Resolves aliases, coerces ("5" -> 5 for CLI input), checks types/ranges/choices and fills
  // defaults. Throws InvalidArgument naming the method, the parameter and the valid ones.
  Params resolve(const Json& user, const std::string& method) const;

 private:
  std::vector<ParamDef> defs_;
};

}  // namespace calm
