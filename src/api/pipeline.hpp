// The stages of generate(), shared by RealGenerator and RealBlockGenerator:
// validate (every argument, before anything is fitted) -> synthesize (fit, sample, conform,
// custom distributions and constraints) -> post-process (dynamics -> dates -> drift, the original's
// order) -> write outputs (reports, dataset).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/model_file.hpp"
#include "calm/api/real_generator.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/synthesizer.hpp"
#include "calm/post/constraints.hpp"
#include "calm/post/dates.hpp"
#include "calm/post/drift.hpp"
#include "calm/report/reports.hpp"

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
// Checks against a kept model what validate_run checks against the data; `data` is the real
// table or the model's support table (real_rows false). Fills o's fit-time options from the model.
ValidatedRun validate_fitted(const FittedModel& m, const Table& data, bool real_rows,
                             GenerateOptions& o, const Logger& log);

// Post-processing configs need the output's columns: checked against `data` before fitting.
void validate_post_configs(const Table& data, const GenerateOptions& o);

// The checks of validate_run that concern sampling and outputs (output_dir, dates,
// custom_distributions, constraints, post-processing configs), against `data`: the real table or
// a loaded model's support table. v.schema must be set.
void validate_sampling(const Table& data, const GenerateOptions& o, ValidatedRun& v);

// o.method fitted on `data` (logs the time).
std::shared_ptr<Synthesizer> fit_model(const Table& data, const GenerateOptions& o,
                                       const ValidatedRun& v, uint64_t seed, int threads,
                                       const Logger& log);

// Fitted, sampled, conformed to the schema, with custom distributions and constraints met:
// exactly o.n_samples rows. `fitted`, when given, receives the fitted model.
Table synthesize(const Table& data, const GenerateOptions& o, const ValidatedRun& v, uint64_t seed,
                 int threads, const Logger& log,
                 std::shared_ptr<const Synthesizer>* fitted = nullptr);

// The sampling half of synthesize() on an already fitted model: o.n_samples rows, the blocks of
// core/row_blocks.hpp one after the other. `real` is the training table or, for a loaded model,
// its support table (then real_rows is false: a value the model produces too rarely cannot get
// its own model, and the run says so).
Table sample_fitted(const Synthesizer& model, const Table& real, bool real_rows,
                    const GenerateOptions& o, const ValidatedRun& v, uint64_t seed, int threads,
                    const Logger& log);

// Block `block` of sample_fitted's output alone (custom shares and constraints are met per block).
Table sample_block(const Synthesizer& model, const Table& real, bool real_rows,
                   const GenerateOptions& o, const ValidatedRun& v, uint64_t seed, int threads,
                   const Logger& log, size_t block);

// dynamics -> dates -> drift. `drift_windows` (optional) receives where drift changed the table,
// for the comparison report's drift plots.
// `row_offset` is the position of synthetic's first row in the run (a streamed block) of
// `total_rows` rows (kEndless: an endless stream; 0: offset + synthetic's rows): dates and
// drift count rows of the whole run, and drift draws from the block's own stream. A whole output
// of several blocks is post-processed block by block the same way, so that it equals its
// stream. Dynamics see the whole output (row_offset 0).
Table post_process(const Table& synthetic, const GenerateOptions& o, const ValidatedRun& v,
                   uint64_t seed, const Logger& log,
                   std::vector<DriftWindow>* drift_windows = nullptr, size_t row_offset = 0,
                   size_t total_rows = 0);
inline constexpr size_t kEndless = static_cast<size_t>(-1);
// True when post_process needs the whole output at once (dynamics are configured).
bool post_needs_whole_output(const GenerateOptions& o);
// Windows of the same (column, method) joined into one (they come block by block).
void merge_drift_windows(std::vector<DriftWindow>& windows);

// The run's rows (o.n_samples, or the blocks of stream.shard) post-processed and written to
// stream.sink, which is committed; returns the reports' sample (StreamOptions::report_rows).
Table stream_output(const Synthesizer& model, const Table& real, bool real_rows,
                    const GenerateOptions& o, const ValidatedRun& v, uint64_t seed, int threads,
                    const Logger& log, const StreamOptions& stream,
                    std::vector<DriftWindow>* drift_windows);

// holdout_fraction: (training rows, hold-out rows) of `data` by a seeded shuffle; logs the sizes.
std::pair<Table, Table> split_holdout(const Table& data, double fraction, uint64_t seed,
                                      const Logger& log);

// fit_rows: a seeded uniform sample of `rows` rows of `data`, stratified by `target` when given
// (each class keeps its share, at least one row); logs what it did.
Table sample_fit_rows(const Table& data, size_t rows, const std::optional<std::string>& target,
                      uint64_t seed, const Logger& log);

// The registry family of the single-cell methods (docs/single_cell.md): their reports score the
// genes as cells, and they also run on cells held as a matrix (cell_generator.hpp).
inline constexpr const char* kSingleCellFamily = "single-cell";

// Creates o.output_dir (IoError naming it when it cannot be made).
void create_output_dir(const GenerateOptions& o);
// The reports' request for a run's tables as every generate() path fills it (o.output_dir must be
// set); the caller adds what its path has (drift windows, hold-out, sequence or cell columns).
ReportRequest run_report_request(const Table& real, const Table& synthetic, const Schema& schema,
                                 const GenerateOptions& o, const GeneratorSettings& settings,
                                 int threads, uint64_t seed);

// Reports (when auto_report) and the dataset (when save_dataset) into o.output_dir. `real` is what
// the model was fitted on; `holdout`, real rows it never saw (the reports' membership inference).
std::vector<std::string> write_outputs(const Table& real, const Table& synthetic,
                                       const ValidatedRun& v, const GenerateOptions& o,
                                       const GeneratorSettings& settings, int threads,
                                       uint64_t seed, const Logger& log,
                                       const std::vector<DriftWindow>& drift_windows = {},
                                       const Json& privacy_guarantee = nullptr,
                                       const Table* holdout = nullptr);

}  // namespace calm
