// dynamics_config: {"time_col"?, "evolve_features": {col: {"type", ...}}, "construct_target":
// {...}}. The whole config is validated first; then every evolved column changes by its type's
// effect over the time variable t, and finally the target is built from a formula of the
// (evolved) features with the shared safe expression language (post/expression.hpp).
// Randomness: column j of evolve_features (key order) draws from stream post + kDynamicsBase + j,
// the target noise from post + kDynamicsBase + kTargetStream.
#include "calm/post/dynamics.hpp"

#include <algorithm>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/text.hpp"
#include "post/drift_cells.hpp"
#include "post/dynamics_evolve.hpp"
#include "post/expression.hpp"

namespace calm {
namespace {

using dynamics::EvolutionType;

constexpr uint64_t kDynamicsBase = 2ULL << 32;
constexpr uint64_t kTargetStream = 1ULL << 20;
const std::vector<std::string> kTopKeys = {"evolve_features", "construct_target", "time_col"};

struct Evolution {
  std::string column;
  const EvolutionType* type;
  Params params;
};

struct Target {
  std::string column;
  std::string formula;
  double noise_std = 0;
  bool classification = false;
  double threshold = 0;
};

struct Plan {
  std::optional<std::string> time_col;
  std::vector<Evolution> evolutions;
  std::optional<Target> target;
};

const ParamSpec& target_spec() {
  static const ParamSpec spec{
      {.name = "target_col",
       .type = ParamType::string,
       .default_value = nullptr,
       .doc = "column created or overwritten",
       .aliases = {"target_column"}},
      {.name = "formula",
       .type = ParamType::string,
       .default_value = nullptr,
       .doc = "arithmetic of columns and numbers: + - * / ( ) and unary minus"},
      {.name = "noise_std",
       .type = ParamType::number,
       .default_value = 0.0,
       .doc = "standard deviation of the N(0, noise_std) noise added to the score",
       .min = 0.0},
      {.name = "task_type",
       .type = ParamType::choice,
       .default_value = "regression",
       .doc = "regression: the score (float); classification: 1 if score > threshold else 0",
       .choices = {"regression", "classification"}},
      {.name = "threshold",
       .type = ParamType::number,
       .default_value = 0.0,
       .doc = "classification cut-off",
       .nullable = true},
  };
  return spec;
}

std::string reword(std::string msg) {
  for (size_t at; (at = msg.find("model_param")) != std::string::npos;)
    msg.replace(at, 11, "parameter");
  return msg;
}

Params resolve(const ParamSpec& spec, const Json& user, const std::string& where) {
  Params p;
  try {
    p = spec.resolve(user, where);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("dynamics_config: " + reword(e.what()));
  }
  // A parameter without a default is required.
  for (const auto& d : spec.defs())
    if (d.default_value.is_null() && !d.nullable && p.is_null(d.name))
      throw InvalidArgument("dynamics_config " + where + ": missing required parameter '" + d.name +
                            "'");
  return p;
}

Evolution parse_evolution(const std::string& col, const Json& spec, const Table& table) {
  const std::string where = "evolve_features['" + col + "']";
  drift::require_column(table, col, "dynamics_config " + where);
  if (!table.column(col).is_numeric_storage())
    throw InvalidArgument("dynamics_config " + where + ": column '" + col + "' is " +
                          to_string(table.column(col).type) +
                          "; features can evolve only in float64 or int64 columns");
  if (!spec.is_object() || !spec.contains("type") || !spec["type"].is_string())
    throw InvalidArgument("dynamics_config " + where + ": needs a \"type\"; valid types: " +
                          join_names(dynamics::evolution_type_names()));
  const std::string name = spec["type"].get<std::string>();
  const EvolutionType* type = dynamics::find_evolution_type(name);
  if (!type)
    throw InvalidArgument("dynamics_config " + where + ": unknown type '" + name +
                          "'; valid types: " + join_names(dynamics::evolution_type_names()));
  Json user = spec;
  user.erase("type");
  return {col, type, resolve(type->spec, user, where + " (" + type->name + ")")};
}

Plan parse(const Json& config, const Table& table) {
  Plan plan;
  if (config.is_null()) return plan;
  if (!config.is_object())
    throw InvalidArgument("dynamics_config must be a dict with keys " + join_names(kTopKeys) +
                          ", got " + config.dump());
  for (auto it = config.begin(); it != config.end(); ++it)
    if (std::find(kTopKeys.begin(), kTopKeys.end(), it.key()) == kTopKeys.end())
      throw InvalidArgument("dynamics_config: unknown key '" + it.key() +
                            "'; valid keys: " + join_names(kTopKeys));
  if (config.contains("time_col") && !config["time_col"].is_null()) {
    if (!config["time_col"].is_string())
      throw InvalidArgument("dynamics_config: time_col must be a column name");
    plan.time_col = config["time_col"].get<std::string>();
    drift::require_column(table, *plan.time_col, "dynamics_config time_col");
    auto type = table.column(*plan.time_col).type;
    if (type != StorageType::float64 && type != StorageType::int64 && type != StorageType::datetime)
      throw InvalidArgument("dynamics_config: time_col '" + *plan.time_col + "' is " +
                            to_string(type) + "; it must be numeric or datetime");
  }
  if (config.contains("evolve_features")) {
    const Json& ev = config["evolve_features"];
    if (!ev.is_object())
      throw InvalidArgument("dynamics_config: evolve_features must be a dict {column: spec}");
    for (auto it = ev.begin(); it != ev.end(); ++it)
      plan.evolutions.push_back(parse_evolution(it.key(), it.value(), table));
  }
  if (config.contains("construct_target") && !config["construct_target"].is_null()) {
    Params p = resolve(target_spec(), config["construct_target"], "construct_target");
    Target t;
    t.column = p.get_string("target_col");
    t.formula = p.get_string("formula");
    try {
      Expression::parse(t.formula, table.column_names());
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("dynamics_config construct_target: ") + e.what());
    }
    t.noise_std = p.get_double("noise_std");
    t.classification = p.get_string("task_type") == "classification";
    t.threshold = p.is_null("threshold") ? 0.0 : p.get_double("threshold");
    plan.target = t;
  }
  return plan;
}

// Row positions, the time column's values, or days since the earliest timestamp.
std::vector<double> time_variable(const Table& table, const std::optional<std::string>& col) {
  std::vector<double> t(table.num_rows());
  if (!col) {
    std::iota(t.begin(), t.end(), 0.0);
    return t;
  }
  const Column& c = table.column(*col);
  for (size_t i = 0; i < t.size(); ++i) t[i] = c.numeric(i);
  if (c.type == StorageType::datetime) {
    double first = INFINITY;
    for (double x : t)
      if (!std::isnan(x)) first = std::min(first, x);
    for (double& x : t) x = (x - first) / static_cast<double>(kNanosPerDay);
  }
  return t;
}

}  // namespace

void validate_dynamics_config(const Json& config, const Table& columns_like) {
  parse(config, columns_like);
}

Table apply_dynamics_config(const Table& table, const Json& config, const DynamicsContext& ctx) {
  const Plan plan = parse(config, table);
  Table out = table;
  const auto t = time_variable(table, plan.time_col);
  std::vector<size_t> order(t.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::isnan(t[b]) ? !std::isnan(t[a]) : t[a] < t[b];
  });
  while (!order.empty() && std::isnan(t[order.back()])) order.pop_back();
  for (size_t j = 0; j < plan.evolutions.size(); ++j) {
    const Evolution& e = plan.evolutions[j];
    Rng rng(ctx.seed, stream_id(StreamPurpose::post, kDynamicsBase + j));
    auto effect = e.type->effect(t, order, e.params, rng);
    Column c = out.column(e.column);
    for (size_t i = 0; i < effect.size(); ++i) {
      const double x = c.numeric(i);
      if (std::isnan(x) || std::isnan(effect[i])) continue;
      drift::set_cell(c, i, e.type->multiplicative ? x * effect[i] : x + effect[i]);
    }
    out = out.with_column(std::move(c));
    if (ctx.log) ctx.log->debug("dynamics: evolved '" + e.column + "' (" + e.type->name + ")");
  }
  if (plan.target) {
    const Target& tg = *plan.target;
    auto score = Expression::parse(tg.formula, out.column_names()).evaluate(out);
    if (tg.noise_std > 0) {
      Rng rng(ctx.seed, stream_id(StreamPurpose::post, kDynamicsBase + kTargetStream));
      for (double& s : score) s += tg.noise_std * rng.normal();
    }
    if (tg.classification) {
      std::vector<int64_t> label(score.size());
      std::vector<uint8_t> valid(score.size(), 1);
      for (size_t i = 0; i < score.size(); ++i) {
        valid[i] = !std::isnan(score[i]);
        label[i] = score[i] > tg.threshold;
      }
      out = out.with_column(Column::int64(tg.column, std::move(label), std::move(valid)));
    } else {
      out = out.with_column(Column::float64(tg.column, std::move(score)));
    }
  }
  return out;
}

}  // namespace calm
