// drift_injection_config: normalises each step ({"method", "params"} or flat), validates every
// step against the catalogue (drift_method.hpp) before anything is applied, then applies the steps
// in order to a copy of the table. Step i draws its random numbers from the Philox stream
// (seed, post + kDriftStreamBase + i), so a run is repeatable and steps never share numbers.
#include "calm/post/drift.hpp"

#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "post/drift_method.hpp"

namespace calm {
namespace {

using drift::DriftMethod;
using drift::StepContext;

constexpr uint64_t kDriftStreamBase = 1ULL << 32;

struct Step {
  const DriftMethod* method;
  Params params;
  std::string where;
};

std::vector<std::string> method_names() {
  std::vector<std::string> names;
  for (const auto& m : drift::drift_catalogue()) names.push_back(m.name);
  return names;
}

std::string reword(std::string msg) {
  // ParamSpec speaks of model_params; in a drift step they are the step's parameters.
  for (size_t at; (at = msg.find("model_param")) != std::string::npos;)
    msg.replace(at, 11, "parameter");
  return msg;
}

std::vector<Json> step_list(const Json& config) {
  if (config.is_null()) return {};
  if (config.is_object()) return {config};
  if (!config.is_array())
    throw InvalidArgument(
        "drift_injection_config must be a list of steps {\"method\": ..., "
        "\"params\": {...}}, got " +
        config.dump());
  return std::vector<Json>(config.begin(), config.end());
}

Step parse_step(const Json& item, size_t index, const Table& table, const DriftContext& ctx) {
  std::string where = "drift_injection_config[" + std::to_string(index) + "]";
  if (!item.is_object() || !item.contains("method") || !item["method"].is_string())
    throw InvalidArgument(where + ": each step needs a \"method\" name; valid methods: " +
                          join_names(method_names()));
  const std::string name = item["method"].get<std::string>();
  const DriftMethod* method = drift::find_drift_method(name);
  if (!method)
    throw InvalidArgument(where + ": unknown drift method '" + name +
                          "'; valid methods: " + join_names(method_names()));
  where += " (" + name + ")";
  // Flat keys and a "params" dict may be mixed; a name given both ways is ambiguous.
  Json user = Json::object();
  if (item.contains("params")) {
    if (!item["params"].is_object())
      throw InvalidArgument(where + ": \"params\" must be a dict, got " + item["params"].dump());
    user = item["params"];
  }
  for (auto it = item.begin(); it != item.end(); ++it) {
    if (it.key() == "method" || it.key() == "params") continue;
    if (user.contains(it.key()))
      throw InvalidArgument(where + ": parameter '" + it.key() +
                            "' given both in \"params\" and at the top level");
    user[it.key()] = it.value();
  }
  for (const auto& req : method->required) {
    bool present = false;
    for (auto it = user.begin(); it != user.end(); ++it) {
      const ParamDef* d = method->spec.find(it.key());
      present = present || (d && d->name == req && !it.value().is_null());
    }
    if (!present) throw InvalidArgument(where + ": missing required parameter '" + req + "'");
  }
  Params params;
  try {
    params = method->spec.resolve(user, name);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + reword(e.what()));
  }
  StepContext sc{ctx, where, {ctx.time_col, ctx.block_column}};
  drift::check_selection(params, table, sc.defaults, where);
  method->check(params, table, sc);
  return {method, std::move(params), where};
}

std::vector<Step> parse_all(const Json& config, const Table& table, const DriftContext& ctx) {
  std::vector<Step> steps;
  auto items = step_list(config);
  for (size_t i = 0; i < items.size(); ++i) steps.push_back(parse_step(items[i], i, table, ctx));
  return steps;
}

bool same_cell(const Column& a, const Column& b, size_t i) {
  const double x = a.numeric(i), y = b.numeric(i);
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  return x == y;
}

// Columns whose cells differ at `rows` between two versions of a table (columns are shared
// pointers, so an untouched column is skipped without comparing cells).
std::vector<std::string> changed_columns(const Table& before, const Table& after,
                                         const std::vector<size_t>& rows) {
  std::vector<std::string> out;
  for (size_t j = 0; j < after.num_columns(); ++j) {
    const Column& b = after.column(j);
    auto at = before.find(b.name);
    if (!at) continue;
    const Column& a = before.column(*at);
    if (&a == &b) continue;
    for (size_t i : rows)
      if (!same_cell(a, b, i)) {
        out.push_back(b.name);
        break;
      }
  }
  return out;
}

}  // namespace

void validate_drift_config(const Json& config, const Table& columns_like, const DriftContext& ctx) {
  parse_all(config, columns_like, ctx);
}

Table apply_drift_config(const Table& table, const Json& config, const DriftContext& ctx,
                         std::vector<DriftWindow>* applied) {
  auto steps = parse_all(config, table, ctx);
  Table out = table;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    StepContext sc{ctx, s.where, {ctx.time_col, ctx.block_column}, {}};
    auto rows = drift::select_rows(s.params, out, sc.defaults, s.where,
                                   {ctx.row_offset, ctx.total_rows}, &sc.span);
    Rng rng(ctx.seed, stream_id(StreamPurpose::post, kDriftStreamBase + i));
    Table next = s.method->apply(out, s.params, rows, rng, sc);
    if (applied && !rows.empty())
      for (const auto& name : changed_columns(out, next, rows))
        applied->push_back(
            {name, ctx.row_offset + rows.front(), ctx.row_offset + rows.back(), s.method->name});
    out = std::move(next);
    if (ctx.log) ctx.log->debug(s.where + ": applied to " + std::to_string(rows.size()) + " rows");
  }
  return out;
}

Json drift_methods_catalogue() {
  Json out = Json::array();
  for (const auto& m : drift::drift_catalogue()) {
    Json params = Json::array();
    for (const auto& d : m.spec.defs())
      params.push_back({{"name", d.name},
                        {"type", to_string(d.type)},
                        {"default", d.default_value},
                        {"doc", d.doc},
                        {"aliases", d.aliases},
                        {"choices", d.choices}});
    out.push_back(
        {{"method", m.name}, {"summary", m.summary}, {"required", m.required}, {"params", params}});
  }
  return out;
}

}  // namespace calm
