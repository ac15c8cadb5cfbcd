// The api face of fitting from partitions (partitioned_fit.hpp): option checks, the plan (schema,
// target, support values and the copula family's state), and the model file at the end.
#include "calm/api/partitioned_fit.hpp"

#include <algorithm>
#include <map>

#include "api/model_file.hpp"
#include "calm/api/methods.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"
#include "models/families.hpp"

namespace calm::partitioned_fit {
namespace {

constexpr const char* kPlanTag = "calm-partitioned-fit-plan-v1";

struct Plan {
  std::string method;
  Params params;
  Schema schema;
  std::optional<std::string> target_col;
  Table support;
  uint64_t seed = 0;
  std::string state;  // the family's
};

std::string plan_bytes(const Plan& p) {
  ArchiveWriter out;
  out.tag(kPlanTag);
  out.str(p.method);
  out.str(p.params.json().dump());
  out.schema(p.schema);
  out.boolean(p.target_col.has_value());
  out.str(p.target_col.value_or(""));
  out.table(p.support);
  out.u64(p.seed);
  out.bytes(p.state);
  return out.take();
}

Plan read_plan(std::string_view bytes) {
  ArchiveReader in(bytes, "partitioned-fit plan");
  in.tag(kPlanTag);
  Plan p;
  p.method = in.str();
  try {
    p.params = Params(Json::parse(in.str()));
  } catch (const Json::exception&) {
    throw DataError("partitioned-fit plan is corrupt (its params are not JSON)");
  }
  p.schema = in.schema();
  const bool has_target = in.boolean();
  std::string target = in.str();
  if (has_target) p.target_col = std::move(target);
  p.support = in.table();
  p.seed = in.u64();
  p.state = in.bytes();
  return p;
}

}  // namespace

bool supports(const std::string& method) {
  return method == "gaussian_copula";
}

std::string sketch(const Table& partition) {
  return copula_partitions::sketch(partition);
}

std::string merge_sketches(std::string_view a, std::string_view b) {
  return copula_partitions::merge_sketches(a, b);
}

std::string plan(std::string_view sketch, const Json& options, uint64_t seed, const Logger& log) {
  static const std::vector<std::string> kKeys = {"method", "target_col", "model_params",
                                                 "column_types"};
  if (!options.is_object()) throw InvalidArgument("fit options must be a JSON object");
  for (auto it = options.begin(); it != options.end(); ++it)
    if (std::find(kKeys.begin(), kKeys.end(), it.key()) == kKeys.end())
      throw InvalidArgument("unknown option '" + it.key() +
                            "' for fitting from partitions; valid options: " + join_names(kKeys));
  Plan p;
  p.method = options.value("method", std::string("gaussian_copula"));
  const MethodInfo& info = method_registry().get(p.method);  // names the valid methods
  if (!supports(p.method))
    throw InvalidArgument("method '" + p.method +
                          "' cannot be fitted from partitions; gaussian_copula can (the others "
                          "fit on a sample of the partitions: sample_rows)");
  p.params = info.params.resolve(options.value("model_params", Json::object()), p.method);
  SchemaOptions schema_options;
  if (options.contains("column_types") && !options["column_types"].is_null()) {
    if (!options["column_types"].is_object())
      throw InvalidArgument("column_types must map column names to types");
    for (auto it = options["column_types"].begin(); it != options["column_types"].end(); ++it) {
      if (!it.value().is_string())
        throw InvalidArgument("column_types['" + it.key() + "'] must be a type name");
      schema_options.overrides[it.key()] = semantic_type_from_string(it.value());
    }
  }
  copula_partitions::Marginals m =
      copula_partitions::fit_marginals(sketch, schema_options, p.params);
  if (options.contains("target_col") && !options["target_col"].is_null()) {
    if (!options["target_col"].is_string())
      throw InvalidArgument("target_col must be a column name");
    p.target_col = options["target_col"].get<std::string>();
    if (!m.values.has(*p.target_col))
      throw InvalidArgument("target_col '" + *p.target_col + "' is not a column; columns are: " +
                            join_names(m.values.column_names()));
  }
  p.schema = std::move(m.schema);
  p.support = support_table(m.values, p.schema);
  p.seed = seed;
  p.state = std::move(m.state);
  if (m.rank_error > 0)
    log.info("fit from partitions: numeric marginals from quantile summaries, rank error at most " +
             std::to_string(m.rank_error));
  return plan_bytes(p);
}

std::string moments(std::string_view plan, const Table& partition, uint64_t partition_index) {
  const Plan p = read_plan(plan);
  return copula_partitions::moments(p.state, partition, partition_index, p.seed);
}

std::string merge_moments(std::string_view a, std::string_view b) {
  return copula_partitions::merge_moments(a, b);
}

namespace {

FittedModel fitted_model(std::string_view plan, std::string_view moments,
                         const std::string& front_end_info, const Logger& log) {
  Plan p = read_plan(plan);
  FittedModel model;
  model.method = p.method;
  model.params = p.params;
  model.schema = std::move(p.schema);
  model.target_col = p.target_col;
  model.support = std::move(p.support);
  model.front_end_info = front_end_info;
  model.synth = copula_partitions::synthesizer(p.state, moments, p.params, log);
  return model;
}

}  // namespace

std::string model_file(std::string_view plan, std::string_view moments,
                       const std::string& front_end_info, const Logger& log) {
  return model_file_bytes(fitted_model(plan, moments, front_end_info, log));
}

void save_model(std::string_view plan, std::string_view moments, const std::string& front_end_info,
                const std::string& path, const Logger& log) {
  const FittedModel model = fitted_model(plan, moments, front_end_info, log);
  save_model_file(model, path);
  log.info("saved the '" + model.method + "' model fitted from partitions to " + path);
}

}  // namespace calm::partitioned_fit
