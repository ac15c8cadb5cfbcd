// Subcommands of the calm CLI; each registers itself on the app and runs from its callback.
#pragma once

#include <CLI/CLI.hpp>

namespace calm::cli {

void add_generate_command(CLI::App& app);
void add_methods_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_inject_commands(CLI::App& app);  // drift, dynamics

}  // namespace calm::cli
