// The `calm` command-line tool: a thin front end over the C++ API.
//   calm generate <data.csv> -n N -m METHOD [--target COL] [--param k=v ...] [-o DIR] [--seed S]
//                 [--config run.json] ...
//   calm methods [--json]         every method, its status and parameters (from the registry)
//   calm inspect <data.csv>       the inferred schema
//   calm sample <model.calm> -n N [--seed S] [-o DIR] [--config run.json]
//                                 rows from a model saved by generate --save-model
// Exit codes: 0 ok, 2 bad input or usage, 1 internal error. User errors never print a stack trace.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "calm/calm.hpp"
#include "calm/core/atomic_file.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f, a quota) write(2) then fails with EFBIG, which the atomic
  // writer reports and cleans up after, instead of the signal killing calm mid-file.
  std::signal(SIGXFSZ, SIG_IGN);
  calm::remove_temp_files_on_interrupt();
  CLI::App app{"calm — learn a real table, generate a synthetic one", "calm"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(calm::version()));
  calm::cli::add_generate_command(app);
  calm::cli::add_methods_command(app);
  calm::cli::add_inspect_command(app);
  calm::cli::add_evaluate_command(app);
  calm::cli::add_inject_commands(app);
  calm::cli::add_sample_command(app);
  calm::cli::add_options_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const calm::Error& e) {
    std::fprintf(stderr, "calm: %s: %s\n", calm::to_string(e.kind()), e.what());
    return e.kind() == calm::ErrorKind::internal ? 1 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calm: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
