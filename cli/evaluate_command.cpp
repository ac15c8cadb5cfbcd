// `calm evaluate`: quality scores of a synthetic CSV against the real one (built with the
// evaluator; see docs/metrics.md).
#include "calm/calm.hpp"
#include "cli/commands.hpp"

namespace calm::cli {

void add_evaluate_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("evaluate", "Score a synthetic CSV against the real one");
  cmd->allow_extras();
  cmd->callback([] { throw NotAvailable("not available yet: calm evaluate"); });
}

}  // namespace calm::cli
