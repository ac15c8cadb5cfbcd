// Validation and alias resolution of model_params against a ParamSpec.
#include "calm/core/params.hpp"

#include <charconv>
#include <cmath>

#include "calm/core/error.hpp"

namespace calm {

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::integer:
      return "int";
    case ParamType::number:
      return "float";
    case ParamType::boolean:
      return "bool";
    case ParamType::string:
      return "str";
    case ParamType::choice:
      return "choice";
    case ParamType::int_list:
      return "list[int]";
    case ParamType::string_list:
      return "list[str]";
    case ParamType::column_lists:
      return "dict[str, list]";
    case ParamType::one_of:
      return "one_of";
    case ParamType::any:
      return "any";
  }
  return "?";
}

bool Params::is_null(const std::string& name) const {
  return raw(name).is_null();
}

const Json& Params::raw(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw InternalError("parameter '" + name + "' was never declared");
  return *it;
}

int64_t Params::get_int(const std::string& name) const {
  return raw(name).get<int64_t>();
}
double Params::get_double(const std::string& name) const {
  return raw(name).get<double>();
}
bool Params::get_bool(const std::string& name) const {
  return raw(name).get<bool>();
}
std::string Params::get_string(const std::string& name) const {
  const Json& v = raw(name);
  return v.is_string() ? v.get<std::string>() : v.dump();
}
std::vector<int64_t> Params::get_int_list(const std::string& name) const {
  return raw(name).get<std::vector<int64_t>>();
}
std::vector<std::string> Params::get_string_list(const std::string& name) const {
  const Json& v = raw(name);
  return v.is_null() ? std::vector<std::string>{} : v.get<std::vector<std::string>>();
}

ParamSpec& ParamSpec::add(ParamDef def) {
  defs_.push_back(std::move(def));
  return *this;
}

const ParamDef* ParamSpec::find(const std::string& key) const {
  for (const auto& d : defs_) {
    if (d.name == key) return &d;
    for (const auto& a : d.aliases)
      if (a == key) return &d;
  }
  return nullptr;
}

// CLI values arrive as strings: "5", "0.1", "true", "[256,256]". Parse them as JSON when they are.
static Json coerce_text(const Json& v) {
  if (!v.is_string()) return v;
  const std::string s = v.get<std::string>();
  if (s == "None" || s == "none" || s == "null") return nullptr;
  if (s == "True") return true;
  if (s == "False") return false;
  try {
    return Json::parse(s);
  } catch (...) {
    return v;
  }
}

static std::string bound_text(double x) {
  if (x == std::floor(x) && std::abs(x) < 1e15) return std::to_string(static_cast<int64_t>(x));
  return Json(x).dump();
}

std::string ParamDef::accepts() const {
  std::string out;
  if (type == ParamType::one_of) {
    std::vector<std::string> forms;
    for (const ParamDef& alt : alternatives) {
      if (alt.type != ParamType::choice) {
        forms.push_back(alt.accepts());
        continue;
      }
      for (const auto& c : alt.choices) forms.push_back(Json(c).dump());
    }
    for (size_t i = 0; i < forms.size(); ++i)
      out += (i == 0 ? "" : i + 1 == forms.size() ? " or " : ", ") + forms[i];
  } else if (type == ParamType::choice) {
    out = "one of: " + join_names(choices);
  } else {
    out = to_string(type);
  }
  if (min || max) {
    out += " in ";
    out += min ? ((min_exclusive ? "(" : "[") + bound_text(*min)) : "(-inf";
    out += ", ";
    out += max ? bound_text(*max) + (max_exclusive ? ")" : "]") : "inf)";
  }
  if (nullable) out += type == ParamType::one_of ? ", or None" : " or None";
  return out;
}

Json ParamDef::to_json() const {
  Json alts = Json::array();
  for (const ParamDef& alt : alternatives) alts.push_back(alt.to_json());
  return {{"name", name},
          {"type", to_string(type)},
          {"default", default_value},
          {"doc", doc},
          {"aliases", aliases},
          {"choices", choices},
          {"min", min ? Json(*min) : Json()},
          {"max", max ? Json(*max) : Json()},
          {"min_exclusive", min_exclusive},
          {"max_exclusive", max_exclusive},
          {"nullable", nullable},
          {"accepts", accepts()},
          {"alternatives", alts}};
}

Json ParamSpec::to_json() const {
  Json out = Json::array();
  for (const ParamDef& d : defs_) out.push_back(d.to_json());
  return out;
}

static Json check_value(const ParamDef& d, const Json& input, const std::string& method) {
  Json v = coerce_text(input);
  auto bad = [&](const std::string& why) {
    return InvalidArgument("model_param '" + d.name + "' of method '" + method + "' " + why +
                           " (got " + input.dump() + "; expected " + d.accepts() + ")");
  };
  if (v.is_null()) {
    if (d.nullable || d.default_value.is_null()) return v;
    throw bad("may not be None");
  }
  switch (d.type) {
    case ParamType::integer: {
      // Every integer parameter becomes a C++ int, so one past int's range is refused here
      // rather than wrapped (batch_size=3e9 would turn negative); a def may allow less.
      const double x = v.is_number() ? v.get<double>() : 0;
      if (v.is_number() && std::fabs(x) > kMaxIntParam)
        throw bad("is out of range (integers stop at " + std::to_string(kMaxIntParam) + ")");
      if (v.is_number_float() && std::floor(x) == x) v = static_cast<int64_t>(x);
      if (!v.is_number_integer()) throw bad("must be an integer");
      break;
    }
    case ParamType::number:
      if (!v.is_number()) throw bad("must be a number");
      if (!std::isfinite(v.get<double>())) throw bad("must be finite");
      v = v.get<double>();
      break;
    case ParamType::boolean:
      if (v.is_number_integer() && (v == 0 || v == 1)) v = v.get<int>() == 1;
      if (!v.is_boolean()) throw bad("must be true or false");
      break;
    case ParamType::string:
      if (!v.is_string()) throw bad("must be a string");
      break;
    case ParamType::choice: {
      if (!v.is_string()) throw bad("must be a string");
      bool ok = false;
      for (const auto& c : d.choices) ok = ok || c == v.get<std::string>();
      if (!ok) throw bad("is not a valid choice");
      break;
    }
    case ParamType::int_list:
      if (v.is_number_integer()) v = Json::array({v});
      if (!v.is_array()) throw bad("must be a list of integers");
      for (const auto& e : v)
        if (!e.is_number_integer() || e.get<int64_t>() <= 0 || e.get<int64_t>() > kMaxIntParam)
          throw bad("must hold positive integers up to " + std::to_string(kMaxIntParam));
      break;
    case ParamType::string_list:
      if (v.is_string()) v = Json::array({v});
      if (!v.is_array()) throw bad("must be a list of strings");
      for (const auto& e : v)
        if (!e.is_string()) throw bad("must hold strings");
      break;
    case ParamType::column_lists:
      if (!v.is_object()) throw bad("must be an object {column: [values...]}");
      for (const auto& [column, list] : v.items())
        if (!list.is_array() || list.empty())
          throw bad("must map each column to a non-empty list, '" + column + "' does not");
      break;
    case ParamType::one_of:
      for (const ParamDef& alt : d.alternatives) {
        try {
          return check_value(alt, v, method);
        } catch (const InvalidArgument&) {
        }
      }
      throw bad("matches none of the accepted forms");
    case ParamType::any:
      break;
  }
  if (v.is_number() && (d.min || d.max)) {
    double x = v.get<double>();
    if (d.min && (d.min_exclusive ? x <= *d.min : x < *d.min)) throw bad("is out of range");
    if (d.max && (d.max_exclusive ? x >= *d.max : x > *d.max)) throw bad("is out of range");
  }
  return v;
}

Params ParamSpec::resolve(const Json& user, const std::string& method) const {
  Json out = Json::object();
  for (const auto& d : defs_) out[d.name] = d.default_value;
  if (user.is_null()) return Params(out);
  if (!user.is_object())
    throw InvalidArgument("model_params must be a dict of name -> value, got " + user.dump());
  Json seen = Json::object();
  for (auto it = user.begin(); it != user.end(); ++it) {
    const ParamDef* d = find(it.key());
    if (!d) {
      std::vector<std::string> valid;
      for (const auto& def : defs_) {
        std::string entry = def.name;
        if (!def.aliases.empty()) entry += " (alias " + join_names(def.aliases, ", ") + ")";
        valid.push_back(entry);
      }
      throw InvalidArgument(
          "unknown model_param '" + it.key() + "' for method '" + method +
          "'; valid parameters: " + (valid.empty() ? std::string("none") : join_names(valid)));
    }
    if (seen.contains(d->name))
      throw InvalidArgument("model_param '" + d->name + "' of method '" + method +
                            "' given twice (as '" + seen[d->name].get<std::string>() + "' and '" +
                            it.key() + "')");
    seen[d->name] = it.key();
    out[d->name] = check_value(*d, it.value(), method);
  }
  return Params(out);
}

}  // namespace calm
