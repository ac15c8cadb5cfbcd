// The post-processing steps after synthesis, in the original's order: dynamics -> dates -> drift
// (constraints are met during sampling, before all of them). Configs are validated before fitting.
#include "api/pipeline.hpp"
#include "calm/core/error.hpp"

namespace calm {
namespace {

bool given(const Json& v) {
  return !v.is_null() && !(v.is_array() && v.empty()) && !(v.is_object() && v.empty());
}

}  // namespace

void validate_post_configs(const Table&, const GenerateOptions& o) {
  if (given(o.drift_injection_config))
    throw NotAvailable("not available yet: drift_injection_config (drift injection)");
  if (given(o.dynamics_config))
    throw NotAvailable("not available yet: dynamics_config (scenario dynamics)");
}

Table post_process(const Table& synthetic, const GenerateOptions&, const ValidatedRun& v, uint64_t,
                   const Logger&) {
  Table out = synthetic;
  if (v.dates) out = inject_dates(out, *v.dates);
  return out;
}

}  // namespace calm
