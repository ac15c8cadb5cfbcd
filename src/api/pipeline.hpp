// The stages of generate(), shared by RealGenerator and RealBlockGenerator:
// validate (every argument, before anything is fitted) -> synthesize (fit, sample, conform,
// custom distributions and constraints) -> post-process (dynamics -> dates -> drift, the original's
// order) -> write outputs (reports, dataset).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/api/real_generator.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/synthesizer.hpp"
#include "calm/post/constraints.hpp"
#include "calm/post/dates.hpp"

namespace calm {

struct ValidatedRun {
  const MethodInfo* method = nullptr;
  Params params;
  Schema schema;
  std::vector<ColumnShares> shares;
  ConstraintSet constraints;
  std::optional<DateInjection> dates;
};

// Throws InvalidArgument / DataError / NotAvailable on any bad argument; fits nothing.
// `overrides` are semantic types applied before o.column_types (the block generator passes the
// whole table's types so every block is read the same way).
ValidatedRun validate_run(const Table& data, const GenerateOptions& o,
                          const std::map<std::string, SemanticType>& overrides = {});
// Post-processing configs need the output's columns: checked against `data` before fitting.
void validate_post_configs(const Table& data, const GenerateOptions& o);

// Fitted, sampled, conformed to the schema, with custom distributions and constraints met:
// exactly o.n_samples rows.
Table synthesize(const Table& data, const GenerateOptions& o, const ValidatedRun& v, uint64_t seed,
                 int threads, const Logger& log);

// dynamics -> dates -> drift.
Table post_process(const Table& synthetic, const GenerateOptions& o, const ValidatedRun& v,
                   uint64_t seed, const Logger& log);

// Reports (when auto_report) and the dataset (when save_dataset) into o.output_dir.
std::vector<std::string> write_outputs(const Table& real, const Table& synthetic,
                                       const Schema& schema, const GenerateOptions& o,
                                       const GeneratorSettings& settings, int threads,
                                       uint64_t seed, const Logger& log);

}  // namespace calm
