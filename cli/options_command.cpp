// `calm options`: every generate() option (the keys of a --config file) from its one declaration
// (GenerateOptions::declared_options), and the help text the flags that set them take from it.
#include <iostream>
#include <memory>

#include "calm/calm.hpp"
#include "cli/commands.hpp"

namespace calm::cli {

std::string option_help(const std::string& name, const std::string& form) {
  const GenerateOptionInfo& info = GenerateOptions::option(name);
  return info.doc + " (" + (form.empty() ? name : form) + ")";
}

void add_options_command(CLI::App& app) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "options", "List every generate() option: the keys of a --config file, their flags");
  cmd->add_flag("--json", *as_json, "Print as JSON");
  cmd->callback([as_json] {
    if (*as_json) {
      std::cout << GenerateOptions::declaration_json().dump(2) << "\n";
      return;
    }
    for (const GenerateOptionInfo& o : GenerateOptions::declared_options()) {
      std::cout << o.name << "  (" << o.type << "; "
                << (o.required ? std::string("required") : "default " + o.default_value.dump())
                << (o.cli_flag.empty() ? std::string() : "; flag " + o.cli_flag) << ")\n    "
                << o.doc << "\n";
    }
  });
}

}  // namespace calm::cli
