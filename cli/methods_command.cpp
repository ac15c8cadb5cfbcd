// `calm methods`: every method, its status and parameters, straight from the registry.
#include <iostream>
#include <memory>

#include "calm/calm.hpp"
#include "cli/commands.hpp"

namespace calm::cli {

void add_methods_command(CLI::App& app) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("methods", "List every synthesis method and its parameters");
  cmd->add_flag("--json", *as_json, "Print as JSON");
  cmd->callback([as_json] {
    const Json methods = method_registry().to_json();
    if (*as_json) {
      std::cout << methods.dump(2) << "\n";
      return;
    }
    for (const auto& m : methods) {
      std::cout << m["name"].get<std::string>() << "  [" << m["family"].get<std::string>() << ", "
                << (m["available"].get<bool>() ? "available" : "not available yet") << "]\n    "
                << m["summary"].get<std::string>() << "\n";
      for (const auto& p : m["params"]) {
        std::cout << "    --param " << p["name"].get<std::string>() << "=" << p["default"].dump()
                  << "  (" << p["accepts"].get<std::string>() << ") "
                  << p["doc"].get<std::string>();
        if (!p["aliases"].empty()) std::cout << " [aliases: " << join_names(p["aliases"]) << "]";
        std::cout << "\n";
      }
    }
  });
}

}  // namespace calm::cli
