// Subcommands of the calm CLI; each registers itself on the app and runs from its callback.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "calm/core/params.hpp"

namespace calm::cli {

void add_generate_command(CLI::App& app);
void add_methods_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_inject_commands(CLI::App& app);  // drift, dynamics
void add_sample_command(CLI::App& app);   // sample from a model saved by generate --save-model
void add_options_command(CLI::App& app);  // generate()'s options

// The help of a flag that sets generate() option `name`: its declared doc, then `form` (how the
// flag spells the value, e.g. "model_params KEY=VALUE"; default: the option's name).
std::string option_help(const std::string& name, const std::string& form = {});

// A --config JSON file; IoError when it cannot be read, InvalidArgument when it is not JSON.
Json read_config(const std::string& path);

}  // namespace calm::cli
