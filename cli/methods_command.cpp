// `calm methods`: every method, its status and parameters, straight from the registry.
#include <iostream>
#include <memory>

#include "calm/calm.hpp"
#include "cli/commands.hpp"

namespace calm::cli {

Json methods_as_json() {
  Json out = Json::array();
  for (const auto& m : Registry::global().all()) {
    Json params = Json::array();
    for (const auto& d : m.params.defs()) {
      Json p = {{"name", d.name},
                {"type", to_string(d.type)},
                {"default", d.default_value},
                {"doc", d.doc},
                {"aliases", d.aliases}};
      if (!d.choices.empty()) p["choices"] = d.choices;
      if (d.min) p["min"] = *d.min;
      if (d.max) p["max"] = *d.max;
      params.push_back(p);
    }
    out.push_back({{"name", m.name},
                   {"family", m.family},
                   {"summary", m.summary},
                   {"reference", m.reference},
                   {"available", m.available},
                   {"needs_target", m.needs_target},
                   {"params", params}});
  }
  return out;
}

void add_methods_command(CLI::App& app) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("methods", "List every synthesis method and its parameters");
  cmd->add_flag("--json", *as_json, "Print as JSON");
  cmd->callback([as_json] {
    Json methods = methods_as_json();
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
                  << "  (" << p["type"].get<std::string>() << ") " << p["doc"].get<std::string>();
        if (!p["aliases"].empty()) std::cout << " [aliases: " << join_names(p["aliases"]) << "]";
        if (p.contains("choices")) std::cout << " {" << join_names(p["choices"]) << "}";
        std::cout << "\n";
      }
    }
  });
}

}  // namespace calm::cli
