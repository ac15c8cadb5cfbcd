// generate()'s options, declared once: name, member of GenerateOptions, doc, the Python
// annotation and the CLI flag. The JSON reader (CLI --config, Python keyword arguments), `calm
// options`, the Python docstring and the checks of the Python signature and stub all read this
// table; a default is the value the GenerateOptions struct is initialised with.
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <variant>

#include "calm/api/real_generator.hpp"
#include "calm/core/error.hpp"

namespace calm {
namespace {

std::string expect_string(const std::string& key, const Json& v) {
  if (!v.is_string()) throw InvalidArgument(key + " must be a string, got " + v.dump());
  return v.get<std::string>();
}

bool expect_bool(const std::string& key, const Json& v) {
  if (!v.is_boolean()) throw InvalidArgument(key + " must be true or false, got " + v.dump());
  return v.get<bool>();
}

double expect_number(const std::string& key, const Json& v) {
  if (!v.is_number()) throw InvalidArgument(key + " must be a number, got " + v.dump());
  return v.get<double>();
}

int64_t expect_int(const std::string& key, const Json& v) {
  // 2^63 as a double: the first value past int64's range (a cast from beyond it is undefined).
  constexpr double kPastInt64 = 9223372036854775808.0;
  const bool fits = v.is_number_unsigned() ? v.get<uint64_t>() <= uint64_t{INT64_MAX}
                    : v.is_number_float()  ? std::fabs(v.get<double>()) < kPastInt64
                                           : v.is_number_integer();
  if (!fits && v.is_number()) throw InvalidArgument(key + " is out of range, got " + v.dump());
  if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>())
    return static_cast<int64_t>(v.get<double>());
  if (!v.is_number_integer()) throw InvalidArgument(key + " must be an integer, got " + v.dump());
  return v.get<int64_t>();
}

using ColumnTypes = std::map<std::string, std::string>;
using Member =
    std::variant<int64_t GenerateOptions::*, double GenerateOptions::*, bool GenerateOptions::*,
                 std::string GenerateOptions::*, std::optional<std::string> GenerateOptions::*,
                 Json GenerateOptions::*, ColumnTypes GenerateOptions::*>;

struct OptionDecl {
  GenerateOptionInfo info;
  Member member;
};

void read_value(int64_t& out, const std::string& key, const Json& v) {
  out = expect_int(key, v);
}
void read_value(double& out, const std::string& key, const Json& v) {
  out = expect_number(key, v);
}
void read_value(bool& out, const std::string& key, const Json& v) {
  out = expect_bool(key, v);
}
void read_value(std::string& out, const std::string& key, const Json& v) {
  out = expect_string(key, v);
}
void read_value(std::optional<std::string>& out, const std::string& key, const Json& v) {
  out = v.is_null() ? std::nullopt : std::optional<std::string>(expect_string(key, v));
}
void read_value(Json& out, const std::string&, const Json& v) {
  out = v;
}
void read_value(ColumnTypes& out, const std::string& key, const Json& v) {
  if (v.is_null()) return;  // no overrides
  if (!v.is_object())
    throw InvalidArgument(key + " must be a dict {column: type}, got " + v.dump());
  for (auto it = v.begin(); it != v.end(); ++it)
    out[it.key()] = expect_string(key + "['" + it.key() + "']", it.value());
}

Json write_value(const int64_t& v) {
  return v;
}
Json write_value(const double& v) {
  return v;
}
Json write_value(const bool& v) {
  return v;
}
Json write_value(const std::string& v) {
  return v;
}
Json write_value(const std::optional<std::string>& v) {
  return v ? Json(*v) : Json();
}
Json write_value(const Json& v) {
  return v;
}
Json write_value(const ColumnTypes& v) {
  return v.empty() ? Json() : Json(v);
}

const char* type_name(const Member& m) {
  return std::visit(
      [](auto member) -> const char* {
        using T = std::remove_cvref_t<decltype(GenerateOptions{}.*member)>;
        if constexpr (std::is_same_v<T, int64_t>) return "int";
        if constexpr (std::is_same_v<T, double>) return "float";
        if constexpr (std::is_same_v<T, bool>) return "bool";
        if constexpr (std::is_same_v<T, std::string>) return "str";
        if constexpr (std::is_same_v<T, std::optional<std::string>>) return "str or None";
        if constexpr (std::is_same_v<T, Json>) return "json";
        if constexpr (std::is_same_v<T, ColumnTypes>) return "dict[str, str]";
      },
      m);
}

// The order is the seed's generate() signature (Python keeps it); calm's extensions follow.
std::vector<OptionDecl> declare() {
  struct Row {
    const char* name;
    Member member;
    const char* python;  // annotation in Python's generate(); "" = not a Python keyword
    const char* cli;     // flag of `calm generate`; "" = --config only
    const char* doc;
    bool required = false;
    bool column = false;  // names a column: Python passes labels as text
  };
  const std::vector<Row> rows = {
      {"n_samples", &GenerateOptions::n_samples, "int", "-n,--n-samples",
       "Number of rows to generate (> 0)", true},
      {"method", &GenerateOptions::method, "str", "-m,--method",
       "The synthesis method (`calm methods`); unknown names are an error listing the valid ones"},
      {"target_col", &GenerateOptions::target_col, "Optional[str]", "--target",
       "The target/class column (conditioning, balancing, FCS visit order)", false, true},
      {"output_dir", &GenerateOptions::output_dir, "Optional[Union[str, os.PathLike]]",
       "-o,--output-dir", "Folder for reports and the saved dataset; created if missing"},
      {"generator_name", &GenerateOptions::generator_name, "str", "--name",
       "Base name of the files written to output_dir"},
      {"save_dataset", &GenerateOptions::save_dataset, "bool", "",
       "Write <output_dir>/<generator_name>_synthetic.csv (needs output_dir; the CLI always "
       "does)"},
      {"custom_distributions", &GenerateOptions::custom_distributions, "Optional[Dict[str, Any]]",
       "",
       "{column: {value: share, ...}} (shares sum to 1) or {column: \"balanced\"}; forces the "
       "share of each value in the listed columns"},
      {"date_col", &GenerateOptions::date_col, "Optional[str]", "",
       "Name of the injected date column (default \"timestamp\" when date_start is given)", false,
       true},
      {"date_start", &GenerateOptions::date_start, "Optional[str]", "",
       "First date, \"YYYY-MM-DD\" or an ISO datetime; turns date injection on"},
      {"date_step", &GenerateOptions::date_step, "Optional[Dict[str, int]]", "",
       "Calendar step between dates, e.g. {\"days\": 1} (the default), {\"months\": 1} (years, "
       "months, weeks, days, hours, minutes, seconds, microseconds, nanoseconds)"},
      {"date_every", &GenerateOptions::date_every, "int", "",
       "The date advances every date_every rows"},
      {"drift_injection_config", &GenerateOptions::drift_injection_config,
       "Optional[List[Dict[str, Any]]]", "",
       "List of drift steps {\"method\": name, \"params\": {...}} applied to the synthetic rows "
       "(docs/drift.md)"},
      {"dynamics_config", &GenerateOptions::dynamics_config, "Optional[Dict[str, Any]]", "",
       "Feature dynamics (scenario evolution) applied to the synthetic rows (docs/dynamics.md)"},
      {"model_params", &GenerateOptions::model_params, "Optional[Dict[str, Any]]", "--param",
       "The method's hyper-parameters (`calm methods`); unknown names are an error"},
      {"constraints", &GenerateOptions::constraints, "Optional[List[Dict[str, Any]]]", "",
       "List of integrity rules every generated row satisfies (docs/constraints.md)"},
      {"adversarial_validation", &GenerateOptions::adversarial_validation, "bool",
       "--adversarial-validation",
       "Also write the real-vs-synthetic discriminator report (needs output_dir and "
       "auto_report)"},
      {"balance_target", &GenerateOptions::balance_target, "bool", "",
       "Give every class of target_col the same share"},
      {"block_column", &GenerateOptions::block_column, "", "",
       "Block context of drift row selection (set by RealBlockGenerator)", false, true},
      {"column_types", &GenerateOptions::column_types, "", "--type",
       "Per-column schema overrides {column: numerical|categorical|boolean|datetime|id} (calm "
       "extension)"},
      {"holdout_fraction", &GenerateOptions::holdout_fraction, "float", "--holdout-fraction",
       "Share of the real rows held out of fitting (seeded) so that the report can measure "
       "membership inference; the model learns from the rest (0 = off, at most 0.9; calm "
       "extension)"},
      {"fit_rows", &GenerateOptions::fit_rows, "int", "--fit-rows",
       "Fit on a seeded uniform sample of this many real rows (stratified by target_col when "
       "given) instead of all of them; 0 = all rows (calm extension)"},
  };
  const GenerateOptions defaults;
  std::vector<OptionDecl> out;
  for (const Row& r : rows) {
    OptionDecl d{{.name = r.name,
                  .type = type_name(r.member),
                  .doc = r.doc,
                  .python_annotation = r.python,
                  .cli_flag = r.cli,
                  .required = r.required,
                  .names_column = r.column},
                 r.member};
    d.info.default_value =
        r.required ? Json()
                   : std::visit([&](auto m) { return write_value(defaults.*m); }, r.member);
    out.push_back(std::move(d));
  }
  return out;
}

const std::vector<OptionDecl>& declared() {
  static const std::vector<OptionDecl> d = declare();
  return d;
}

}  // namespace

const std::vector<GenerateOptionInfo>& GenerateOptions::declared_options() {
  static const std::vector<GenerateOptionInfo> infos = [] {
    std::vector<GenerateOptionInfo> out;
    for (const auto& d : declared()) out.push_back(d.info);
    return out;
  }();
  return infos;
}

const GenerateOptionInfo& GenerateOptions::option(const std::string& name) {
  for (const auto& info : declared_options())
    if (info.name == name) return info;
  throw InternalError("generate() option '" + name + "' is not declared");
}

std::vector<std::string> GenerateOptions::option_names() {
  std::vector<std::string> names;
  for (const auto& info : declared_options()) names.push_back(info.name);
  return names;
}

Json GenerateOptions::declaration_json() {
  Json out = Json::array();
  for (const auto& i : declared_options())
    out.push_back({{"name", i.name},
                   {"type", i.type},
                   {"default", i.default_value},
                   {"required", i.required},
                   {"doc", i.doc},
                   {"python", i.python_annotation},
                   {"cli", i.cli_flag},
                   {"column", i.names_column}});
  return out;
}

GenerateOptions GenerateOptions::from_json(const Json& config) {
  if (!config.is_object())
    throw InvalidArgument("a generate() config must be a JSON object, got " + config.dump());
  GenerateOptions o;
  for (auto it = config.begin(); it != config.end(); ++it) {
    const OptionDecl* decl = nullptr;
    for (const auto& d : declared())
      if (d.info.name == it.key()) decl = &d;
    if (!decl)
      throw InvalidArgument("unknown generate() option '" + it.key() +
                            "'; valid options: " + join_names(option_names()));
    std::visit([&](auto m) { read_value(o.*m, it.key(), it.value()); }, decl->member);
  }
  return o;
}

Json GenerateOptions::to_json() const {
  Json out = Json::object();
  for (const auto& d : declared())
    out[d.info.name] = std::visit([&](auto m) { return write_value(this->*m); }, d.member);
  return out;
}

}  // namespace calm
