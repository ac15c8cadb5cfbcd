// `calm inspect`: the schema calm infers for a CSV or AnnData (.h5ad) file (types, missing,
// range, distinct values).
#include <cstdio>
#include <iostream>
#include <memory>

#include "calm/calm.hpp"
#include "calm/io/table_sink.hpp"
#include "cli/commands.hpp"

namespace calm::cli {

void add_inspect_command(CLI::App& app) {
  struct Args {
    std::string data;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      app.add_subcommand("inspect", "Show the schema inferred for a CSV or AnnData (.h5ad) file");
  cmd->add_option("data", args->data, "CSV or .h5ad file")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--json", args->json, "Print as JSON");
  cmd->callback([args] {
    Table t = read_table(args->data, SourceOptions{});
    Schema s = infer_schema(t);
    Json out = Json::array();
    for (const auto& c : s.columns)
      out.push_back({{"name", c.name},
                     {"type", to_string(c.semantic)},
                     {"storage", to_string(c.storage)},
                     {"integer", c.integer},
                     {"decimals", c.decimals},
                     {"missing", c.missing},
                     {"distinct", c.distinct},
                     {"min", c.min},
                     {"max", c.max}});
    if (args->json) {
      std::cout << Json{{"rows", t.num_rows()}, {"columns", out}}.dump(2) << "\n";
      return;
    }
    std::printf("%zu rows x %zu columns\n", t.num_rows(), t.num_columns());
    std::printf("%-24s %-12s %-12s %8s %8s\n", "column", "type", "storage", "missing", "distinct");
    for (const auto& c : s.columns)
      std::printf("%-24s %-12s %-12s %8zu %8zu\n", c.name.c_str(), to_string(c.semantic),
                  to_string(c.storage), c.missing, c.distinct);
  });
}

}  // namespace calm::cli
