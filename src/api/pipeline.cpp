// Validation, synthesis and outputs of the generate() pipeline (see pipeline.hpp). Nothing is
// fitted or written before all arguments have been checked, so bad input never leaves a partial
// output behind.
#include "api/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>

#include "api/calendar_derived.hpp"
#include "api/column_shares.hpp"
#include "api/memory_guard.hpp"
#include "api/sample_to_targets.hpp"
#include "calm/api/methods.hpp"
#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/row_blocks.hpp"
#include "calm/eval/privacy.hpp"
#include "calm/eval/single_cell_metrics.hpp"
#include "calm/io/csv.hpp"
#include "calm/post/conform.hpp"
#include "calm/report/reports.hpp"
#include "core/sequence_table.hpp"

namespace calm {
namespace {

void check_data(const Table& data, const Schema& schema) {
  if (data.num_rows() < 2)
    throw DataError("the table has " + std::to_string(data.num_rows()) +
                    " row; at least 2 rows are needed to learn a distribution");
  for (const auto& c : schema.columns)
    if (c.missing == data.num_rows())
      throw DataError("column '" + c.name + "' has no values (every cell is missing); drop it");
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The column a conditioning method meets itself: the target when it has shares, else the first.
int conditioned_column(const std::vector<ColumnShares>& shares,
                       const std::optional<std::string>& target) {
  for (size_t j = 0; j < shares.size(); ++j)
    if (target && shares[j].column == *target) return static_cast<int>(j);
  return shares.empty() ? -1 : 0;
}

// Sequence methods (docs/sequences.md) generate whole entities: their key and time columns are
// made by the method (fresh keys, ordered stamps), and their rows are kept or dropped entity by
// entity.

bool is_sequence_method(const ValidatedRun& v) {
  return v.method && v.method->family == kSequenceFamily;
}

// The schema a sequence method's output is shaped by: its key and time columns are not clipped to
// the real range (fresh keys run past it, and clipping stamps would break their order).
Schema sequence_shape(const Schema& schema, const SequenceColumns& s) {
  Schema shape = schema;
  for (auto& c : shape.columns)
    if (c.name == s.key || (s.time && c.name == *s.time)) c.semantic = SemanticType::id;
  return shape;
}

}  // namespace

ValidatedRun validate_run(const Table& data, const GenerateOptions& o,
                          const std::map<std::string, SemanticType>& overrides) {
  if (o.n_samples <= 0)
    throw InvalidArgument("n_samples must be a positive integer, got " +
                          std::to_string(o.n_samples));
  ValidatedRun v;
  v.method = &method_registry().get(o.method);
  v.params = v.method->params.resolve(o.model_params, o.method);
  if (o.target_col && !data.has(*o.target_col))
    throw InvalidArgument("target_col '" + *o.target_col +
                          "' is not a column; columns are: " + join_names(data.column_names()));
  if (o.block_column && !data.has(*o.block_column))
    throw InvalidArgument("block_column '" + *o.block_column +
                          "' is not a column; columns are: " + join_names(data.column_names()));
  if (v.method->needs_target && !o.target_col)
    throw InvalidArgument("method '" + o.method + "' needs target_col (the class column)");
  if (o.fit_rows < 0 || o.fit_rows == 1)
    throw InvalidArgument("fit_rows must be 0 (fit on every row) or at least 2, got " +
                          std::to_string(o.fit_rows));
  if (!(o.holdout_fraction >= 0 && o.holdout_fraction <= 0.9))
    throw InvalidArgument("holdout_fraction must be in [0, 0.9] (0 = off), got " +
                          std::to_string(o.holdout_fraction));
  SchemaOptions schema_options;
  schema_options.overrides = overrides;
  std::optional<SequenceColumns> sequence;
  if (is_sequence_method(v)) {
    // The entity key is an id (fresh keys, left out of the quality scores) unless typed otherwise.
    sequence = sequence_columns(v.params, o.method);
    check_sequence_columns(*sequence, data);
    schema_options.overrides[sequence->key] = SemanticType::id;
  }
  for (const auto& [col, type] : o.column_types)
    schema_options.overrides[col] = semantic_type_from_string(type);
  v.schema = infer_schema(data, schema_options);
  check_data(data, v.schema);
  // Bad sequences (one row per entity, a time column of mixed types, ...) fail before fitting.
  if (sequence) SequenceTable::build(data, *sequence);
  validate_sampling(data, o, v);
  return v;
}

void validate_sampling(const Table& data, const GenerateOptions& o, ValidatedRun& v) {
  if (o.save_dataset && !o.output_dir) throw InvalidArgument("save_dataset=True needs output_dir");
  if (o.output_dir && !std::filesystem::is_directory(*o.output_dir) &&
      std::filesystem::exists(*o.output_dir))
    throw InvalidArgument("output_dir '" + *o.output_dir + "' exists and is not a directory");
  if (o.generator_name.empty() || o.generator_name.find('/') != std::string::npos)
    throw InvalidArgument("generator_name must be a non-empty file name without '/', got '" +
                          o.generator_name + "'");
  if (o.date_start) {
    v.dates = parse_date_injection(o.date_col.value_or("timestamp"), *o.date_start, o.date_step,
                                   o.date_every);
    check_date_span(*v.dates, static_cast<size_t>(std::max<int64_t>(o.n_samples, 0)));
  } else if (!o.date_step.is_null() || o.date_every != 1)
    throw InvalidArgument("date_step/date_every need date_start (the first date)");
  v.shares =
      parse_custom_distributions(data, o.custom_distributions, o.target_col, o.balance_target);
  if (is_sequence_method(v) && !v.shares.empty())
    throw InvalidArgument("custom_distributions and balance_target set shares of rows; method '" +
                          o.method +
                          "' generates whole sequences (entities), whose rows cannot be drawn "
                          "to shares; leave them out");
  if (is_sequence_method(v) && o.constraints.is_array())
    for (const auto& c : o.constraints)
      if (c.is_object() && c.value("type", "") == "unique")
        throw InvalidArgument("a unique constraint tests single rows; method '" + o.method +
                              "' keeps or drops whole entities, so it takes row tests "
                              "(inequality, range, formula, ...) but not unique");
  if (v.method->family == "privacy" && o.constraints.is_array())
    for (const auto& c : o.constraints)
      if (c.is_object() && c.value("type", "") == "fixed_combinations")
        throw InvalidArgument(
            "constraint fixed_combinations keeps the real data's value combinations, which a "
            "differentially private method ('" +
            o.method +
            "') cannot publish; use a "
            "public domain (model_params domain) or a formula constraint instead");
  v.constraints = ConstraintSet::parse(o.constraints, data);
  v.constraints.check_feasible(data, static_cast<size_t>(o.n_samples));
  validate_post_configs(data, o);
}

std::shared_ptr<Synthesizer> fit_model(const Table& data, const GenerateOptions& o,
                                       const ValidatedRun& v, uint64_t seed, int threads,
                                       const Logger& log) {
  check_fit_memory(*v.method, data, v.params);
  v.constraints.warn_if_real_violates(data, log);
  auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<Synthesizer> synth = v.method->create();
  if (auto derived = plan_calendar_columns(data, o, v, log); !derived.empty())
    synth = std::make_shared<CalendarDerivedSynthesizer>(std::move(synth), std::move(derived));
  FitContext fit_ctx{v.schema, o.target_col, v.params, seed, threads, log};
  synth->fit(data, fit_ctx);
  log.info("fitted '" + o.method + "' on " + std::to_string(data.num_rows()) + " rows x " +
           std::to_string(data.num_columns()) + " columns in " +
           std::to_string(seconds_since(t0)).substr(0, 5) + " s");
  return synth;
}

Table synthesize(const Table& data, const GenerateOptions& o, const ValidatedRun& v, uint64_t seed,
                 int threads, const Logger& log, std::shared_ptr<const Synthesizer>* fitted) {
  std::shared_ptr<Synthesizer> synth = fit_model(data, o, v, seed, threads, log);
  if (fitted) *fitted = synth;
  return sample_fitted(*synth, data, true, o, v, seed, threads, log);
}

namespace {

constexpr int kMaxSequenceRounds = 50;

// One block of a sequence method: its sample(n) (n rows or n entities, as the method counts),
// conformed. With constraints, an entity with a failing row is dropped whole and more are drawn
// (round r seeded derive_seed(seed, r)) until n rows or entities are kept; the kept entities are
// numbered from 1.
Table sample_sequences(const Synthesizer& model, const GenerateOptions& o, const ValidatedRun& v,
                       size_t n, uint64_t seed, int threads, const Logger& log) {
  const SequenceColumns s = sequence_columns(v.params, o.method);
  const Schema shape = sequence_shape(v.schema, s);
  auto draw = [&](uint64_t round_seed) {
    SampleContext ctx{round_seed, threads, log, nullptr};
    return conform_to_schema(model.sample(n, ctx), shape);
  };
  if (v.constraints.empty()) return draw(seed);
  const bool rows_unit = v.params.json().value("sample_unit", std::string()) == "rows";
  std::vector<Table> kept;
  size_t have = 0, drawn = 0, accepted = 0;
  for (int r = 0; have < n; ++r) {
    if (r == kMaxSequenceRounds)
      throw DataError("constraints: " + std::to_string(accepted) + " of " + std::to_string(drawn) +
                      " generated entities pass every constraint (" + std::to_string(have) +
                      " of the " + std::to_string(n) + " " + (rows_unit ? "rows" : "entities") +
                      " wanted after " + std::to_string(kMaxSequenceRounds) +
                      " rounds); relax the constraints or check them against the real data");
    const Table t = v.constraints.transform(draw(r == 0 ? seed : derive_seed(seed, 0x5E9000 + r)));
    std::vector<size_t> violations(v.constraints.size(), 0);
    const std::vector<uint8_t> ok = v.constraints.check(t, violations);
    const std::vector<size_t> runs = entity_runs(t.column(s.key));
    std::vector<int64_t> rows;
    for (size_t e = 0; e + 1 < runs.size() && have < n; ++e) {
      ++drawn;
      if (!std::all_of(ok.begin() + static_cast<ptrdiff_t>(runs[e]),
                       ok.begin() + static_cast<ptrdiff_t>(runs[e + 1]),
                       [](uint8_t x) { return x != 0; }))
        continue;
      ++accepted;
      const size_t take =
          rows_unit ? std::min(runs[e + 1] - runs[e], n - have) : runs[e + 1] - runs[e];
      for (size_t i = runs[e]; i < runs[e] + take; ++i) rows.push_back(static_cast<int64_t>(i));
      have += rows_unit ? take : 1;
    }
    if (!rows.empty()) kept.push_back(t.take_rows(rows));
  }
  log.info("constraints: kept " + std::to_string(accepted) + " of " + std::to_string(drawn) +
           " generated entities (an entity with a failing row is dropped whole)");
  const Table out = kept.size() == 1 ? kept.front() : concat_rows(kept);
  return out.with_column(renumber_entity_keys(out.column(s.key), 1));
}

// n rows sampled with `seed`, conformed, with shares and constraints met: one block of a run.
Table sample_rows(const Synthesizer& model, const Table& real, bool real_rows,
                  const GenerateOptions& o, const ValidatedRun& v, size_t n, uint64_t seed,
                  int threads, const Logger& log) {
  if (is_sequence_method(v)) return sample_sequences(model, o, v, n, seed, threads, log);
  auto t0 = std::chrono::steady_clock::now();
  // A DP model's output is shaped by its released schema: the real ranges and decimals are not
  // public.
  const Schema& shape = model.released_schema() ? *model.released_schema() : v.schema;
  const bool private_model = !model.privacy_guarantee().is_null();
  RowSource source = [&](size_t n, uint64_t s, const ColumnShares* shares) {
    SampleContext ctx{s, threads, log, shares};
    return conform_to_schema(model.sample(n, ctx), shape);
  };
  int conditioned = model.can_condition() ? conditioned_column(v.shares, o.target_col) : -1;
  Table synthetic;
  const bool direct =
      v.constraints.empty() && (v.shares.empty() || (v.shares.size() == 1 && conditioned == 0));
  TargetRequest req{n,
                    seed,
                    real,
                    v.shares,
                    conditioned,
                    v.constraints,
                    log,
                    [&](const std::vector<int64_t>& rows, uint64_t s) -> RowSource {
                      if (private_model)
                        throw DataError(
                            "these custom_distributions would need a model fitted per value, "
                            "which would spend the privacy budget again; ask for shares of the "
                            "target_col only");
                      if (!real_rows)
                        throw DataError(
                            "a loaded model has no training rows to fit a per-value model on; "
                            "pass the real data to generate() to refit");
                      std::shared_ptr<Synthesizer> own = v.method->create();
                      FitContext ctx{v.schema, o.target_col, v.params, s, threads, log};
                      own->fit(real.take_rows(rows), ctx);
                      return [own, &v, threads, &log](size_t m, uint64_t ss, const ColumnShares*) {
                        SampleContext sc{ss, threads, log, nullptr};
                        return conform_to_schema(own->sample(m, sc), v.schema);
                      };
                    }};
  try {
    synthetic = direct ? source(n, seed, v.shares.empty() ? nullptr : &v.shares.front())
                       : sample_to_targets(req, source);
  } catch (const NotAvailable& e) {
    if (conditioned < 0) throw;
    // The method conditions, but not on this column (smote/adasyn: only the target).
    log.info(std::string(e.what()) + "; meeting custom_distributions by rejection instead");
    req.conditioned = -1;
    synthetic = sample_to_targets(req, source);
  }
  log.debug("sampled " + std::to_string(synthetic.num_rows()) + " rows in " +
            std::to_string(seconds_since(t0)).substr(0, 5) + " s");
  return synthetic;
}

}  // namespace

Table sample_block(const Synthesizer& model, const Table& real, bool real_rows,
                   const GenerateOptions& o, const ValidatedRun& v, uint64_t seed, int threads,
                   const Logger& log, size_t block) {
  const size_t n = static_cast<size_t>(o.n_samples);
  Table rows = sample_rows(model, real, real_rows, o, v, row_block_rows(n, block),
                           row_block_seed(seed, block), threads, log);
  if (!is_sequence_method(v) || block == 0) return rows;
  // Block b's entities are numbered from b * kRowBlock + 1: a block holds at most kRowBlock of
  // them, so keys never repeat across blocks (or shards).
  const std::string key = sequence_columns(v.params, o.method).key;
  return rows.with_column(renumber_entity_keys(rows.column(key), row_block_begin(block) + 1));
}

Table sample_fitted(const Synthesizer& model, const Table& real, bool real_rows,
                    const GenerateOptions& o, const ValidatedRun& v, uint64_t seed, int threads,
                    const Logger& log) {
  check_output_memory(static_cast<size_t>(o.n_samples), real.num_columns());
  auto t0 = std::chrono::steady_clock::now();
  const size_t blocks = row_block_count(static_cast<size_t>(o.n_samples));
  std::vector<Table> parts;
  for (size_t b = 0; b < blocks; ++b)
    parts.push_back(sample_block(model, real, real_rows, o, v, seed, threads, log, b));
  Table synthetic = blocks == 1 ? std::move(parts.front()) : concat_rows(parts);
  log.info("sampled " + std::to_string(synthetic.num_rows()) + " rows in " +
           std::to_string(seconds_since(t0)).substr(0, 5) + " s");
  return synthetic;
}

std::pair<Table, Table> split_holdout(const Table& data, double fraction, uint64_t seed,
                                      const Logger& log) {
  // A stream of its own: the report's privacy split of the training rows uses the run's seed.
  auto [train, holdout] = split_for_privacy(data, fraction, derive_seed(seed, 0x401D0));
  char line[200];
  std::snprintf(line, sizeof line,
                "holdout_fraction %g: %zu of %zu real rows held out of fitting (seeded); the model "
                "learns from the other %zu",
                fraction, holdout.num_rows(), data.num_rows(), train.num_rows());
  log.info(line);
  return {std::move(train), std::move(holdout)};
}

Table sample_fit_rows(const Table& data, size_t rows, const std::optional<std::string>& target,
                      uint64_t seed, const Logger& log) {
  Rng rng(derive_seed(seed, 0xF17205), 0);
  std::vector<int64_t> keep;
  if (!target) {
    keep.resize(data.num_rows());
    std::iota(keep.begin(), keep.end(), int64_t{0});
    keep_random_subset(keep, rows, rng);
  } else {
    // Classes (missing included, as a class of its own) in order of first appearance.
    const Column& t = data.column(*target);
    std::map<std::string, std::vector<int64_t>> by_class;
    std::vector<std::string> order;
    for (size_t i = 0; i < data.num_rows(); ++i) {
      std::string key = t.is_missing(i) ? std::string("\x01missing") : t.text(i);
      auto [it, fresh] = by_class.try_emplace(key);
      if (fresh) order.push_back(key);
      it->second.push_back(static_cast<int64_t>(i));
    }
    std::vector<double> sizes;
    for (const auto& k : order) sizes.push_back(static_cast<double>(by_class[k].size()));
    std::vector<size_t> counts = largest_remainder(rows, sizes);
    for (size_t k = 0; k < order.size(); ++k) {
      std::vector<int64_t>& members = by_class[order[k]];
      keep_random_subset(members, std::max<size_t>(counts[k], 1), rng);
      keep.insert(keep.end(), members.begin(), members.end());
    }
    std::sort(keep.begin(), keep.end());
  }
  log.info("fit_rows " + std::to_string(rows) + ": fitting on a seeded " +
           (target ? "sample stratified by '" + *target + "'" : std::string("uniform sample")) +
           " of " + std::to_string(keep.size()) + " of the " + std::to_string(data.num_rows()) +
           " real rows");
  return data.take_rows(keep);
}

void create_output_dir(const GenerateOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(*o.output_dir, ec);
  if (ec) throw IoError("cannot create output_dir '" + *o.output_dir + "': " + ec.message());
}

ReportRequest run_report_request(const Table& real, const Table& synthetic, const Schema& schema,
                                 const GenerateOptions& o, const GeneratorSettings& settings,
                                 int threads, uint64_t seed) {
  return ReportRequest{real,
                       synthetic,
                       schema,
                       o.target_col,
                       *o.output_dir,
                       o.generator_name,
                       o.method,
                       settings.minimal_report,
                       o.adversarial_validation,
                       threads,
                       seed};
}

std::vector<std::string> write_outputs(const Table& real, const Table& synthetic,
                                       const ValidatedRun& v, const GenerateOptions& o,
                                       const GeneratorSettings& settings, int threads,
                                       uint64_t seed, const Logger& log,
                                       const std::vector<DriftWindow>& drift_windows,
                                       const Json& privacy_guarantee, const Table* holdout) {
  std::vector<std::string> files;
  if (!o.output_dir) return files;
  create_output_dir(o);
  if (settings.auto_report) {
    ReportRequest req = run_report_request(real, synthetic, v.schema, o, settings, threads, seed);
    req.drift_windows = drift_windows;
    req.holdout = holdout;
    req.privacy_guarantee = privacy_guarantee;
    if (is_sequence_method(v)) {
      const SequenceColumns s = sequence_columns(v.params, o.method);
      req.sequence_key = s.key;
      req.time_col = s.time;
    }
    if (v.method && v.method->family == kSingleCellFamily) {
      // Genes as the method reads them (docs/single_cell.md): model_params gene_columns, else the
      // numeric columns with no negative value other than the columns the run names (target,
      // condition, batch: every string parameter naming a column; obs_columns).
      const Json& params = v.params.json();
      if (params.contains("gene_columns") && params["gene_columns"].is_array() &&
          !params["gene_columns"].empty()) {
        req.gene_columns = params["gene_columns"].get<std::vector<std::string>>();
      } else {
        std::vector<std::string> named;
        if (o.target_col) named.push_back(*o.target_col);
        for (const auto& [key, value] : params.items()) {
          if (value.is_string()) named.push_back(value.get<std::string>());
          if (key == "obs_columns" && value.is_array())
            for (const Json& c : value)
              if (c.is_string()) named.push_back(c.get<std::string>());
        }
        req.gene_columns = detect_gene_columns(real, named);
      }
    }
    files = write_reports(req, log);
  }
  if (o.save_dataset) {
    std::string path =
        (std::filesystem::path(*o.output_dir) / (o.generator_name + "_synthetic.csv")).string();
    write_csv(synthetic, path);
    files.push_back(path);
    log.info("wrote " + path);
  }
  return files;
}

}  // namespace calm
