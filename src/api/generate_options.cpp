// GenerateOptions from a JSON config (CLI --config, Python keyword arguments). Each key is declared
// once here with its JSON reader; unknown keys and wrongly typed values are errors naming the key.
#include <functional>

#include "calm/api/real_generator.hpp"
#include "calm/core/error.hpp"

namespace calm {
namespace {

using Reader = std::function<void(GenerateOptions&, const Json&)>;

std::string expect_string(const std::string& key, const Json& v) {
  if (!v.is_string()) throw InvalidArgument(key + " must be a string, got " + v.dump());
  return v.get<std::string>();
}

std::optional<std::string> optional_string(const std::string& key, const Json& v) {
  if (v.is_null()) return std::nullopt;
  return expect_string(key, v);
}

bool expect_bool(const std::string& key, const Json& v) {
  if (!v.is_boolean()) throw InvalidArgument(key + " must be true or false, got " + v.dump());
  return v.get<bool>();
}

int64_t expect_int(const std::string& key, const Json& v) {
  if (v.is_number_float() &&
      v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>())))
    return static_cast<int64_t>(v.get<double>());
  if (!v.is_number_integer()) throw InvalidArgument(key + " must be an integer, got " + v.dump());
  return v.get<int64_t>();
}

const std::vector<std::pair<std::string, Reader>>& readers() {
  static const std::vector<std::pair<std::string, Reader>> r = {
      {"n_samples",
       [](GenerateOptions& o, const Json& v) { o.n_samples = expect_int("n_samples", v); }},
      {"method", [](GenerateOptions& o, const Json& v) { o.method = expect_string("method", v); }},
      {"target_col",
       [](GenerateOptions& o, const Json& v) { o.target_col = optional_string("target_col", v); }},
      {"output_dir",
       [](GenerateOptions& o, const Json& v) { o.output_dir = optional_string("output_dir", v); }},
      {"generator_name",
       [](GenerateOptions& o, const Json& v) {
         o.generator_name = expect_string("generator_name", v);
       }},
      {"save_dataset",
       [](GenerateOptions& o, const Json& v) { o.save_dataset = expect_bool("save_dataset", v); }},
      {"custom_distributions",
       [](GenerateOptions& o, const Json& v) { o.custom_distributions = v; }},
      {"date_col",
       [](GenerateOptions& o, const Json& v) { o.date_col = optional_string("date_col", v); }},
      {"date_start",
       [](GenerateOptions& o, const Json& v) { o.date_start = optional_string("date_start", v); }},
      {"date_step", [](GenerateOptions& o, const Json& v) { o.date_step = v; }},
      {"date_every",
       [](GenerateOptions& o, const Json& v) { o.date_every = expect_int("date_every", v); }},
      {"drift_injection_config",
       [](GenerateOptions& o, const Json& v) { o.drift_injection_config = v; }},
      {"block_column", [](GenerateOptions& o,
                          const Json& v) { o.block_column = optional_string("block_column", v); }},
      {"dynamics_config", [](GenerateOptions& o, const Json& v) { o.dynamics_config = v; }},
      {"model_params", [](GenerateOptions& o, const Json& v) { o.model_params = v; }},
      {"constraints", [](GenerateOptions& o, const Json& v) { o.constraints = v; }},
      {"adversarial_validation",
       [](GenerateOptions& o, const Json& v) {
         o.adversarial_validation = expect_bool("adversarial_validation", v);
       }},
      {"balance_target",
       [](GenerateOptions& o, const Json& v) {
         o.balance_target = expect_bool("balance_target", v);
       }},
      {"column_types",
       [](GenerateOptions& o, const Json& v) {
         if (!v.is_object())
           throw InvalidArgument("column_types must be a dict {column: type}, got " + v.dump());
         for (auto it = v.begin(); it != v.end(); ++it)
           o.column_types[it.key()] = expect_string("column_types['" + it.key() + "']", it.value());
       }},
  };
  return r;
}

}  // namespace

std::vector<std::string> GenerateOptions::option_names() {
  std::vector<std::string> names;
  for (const auto& [name, reader] : readers()) names.push_back(name);
  return names;
}

GenerateOptions GenerateOptions::from_json(const Json& config) {
  if (!config.is_object())
    throw InvalidArgument("a generate() config must be a JSON object, got " + config.dump());
  GenerateOptions o;
  for (auto it = config.begin(); it != config.end(); ++it) {
    bool known = false;
    for (const auto& [name, reader] : readers())
      if (name == it.key()) {
        reader(o, it.value());
        known = true;
      }
    if (!known)
      throw InvalidArgument("unknown generate() option '" + it.key() +
                            "'; valid options: " + join_names(option_names()));
  }
  return o;
}

}  // namespace calm
