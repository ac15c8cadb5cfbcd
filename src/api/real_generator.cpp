// RealGenerator::run: validate everything -> synthesize (fit, sample, conform, custom
// distributions, constraints) -> post-process (dynamics, dates, drift) -> write dataset and
// reports. The stages live in pipeline.cpp so that RealBlockGenerator runs the same ones.
// run_fitted / save / load: the same sampling and post-processing on a kept or loaded model
// (model_file.cpp holds the file format).
#include "calm/api/real_generator.hpp"

#include <omp.h>

#include <optional>
#include <tuple>

#include "api/memory_guard.hpp"
#include "api/model_file.hpp"
#include "api/pipeline.hpp"
#include "calm/api/methods.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/row_blocks.hpp"

namespace calm {
namespace {

bool given(const Json& v) {
  return !v.is_null() && !(v.is_object() && v.empty());
}

}  // namespace

ValidatedRun validate_fitted(const FittedModel& m, const Table& data, bool real_rows,
                             GenerateOptions& o, const Logger& log) {
  if (o.n_samples <= 0)
    throw InvalidArgument("n_samples must be a positive integer, got " +
                          std::to_string(o.n_samples));
  // "cart" is generate()'s default, so it cannot tell a user's choice from no choice.
  if (o.method != m.method && o.method != GenerateOptions{}.method)
    throw InvalidArgument("this generator holds a fitted '" + m.method + "' model; method '" +
                          o.method + "' needs data to fit (pass data to generate())");
  if (o.target_col && o.target_col != m.target_col)
    throw InvalidArgument("this generator's model was fitted with target_col " +
                          (m.target_col ? "'" + *m.target_col + "'" : std::string("None")) +
                          ", not '" + *o.target_col + "'");
  if (given(o.model_params) || !o.column_types.empty())
    log.warning("model_params and column_types are fit-time options; the loaded '" + m.method +
                "' model keeps the ones it was fitted with");
  if (o.fit_rows != 0) {
    log.warning("fit_rows is a fit-time option: the loaded '" + m.method +
                "' model is not refitted");
    o.fit_rows = 0;
  }
  if (o.holdout_fraction != 0) {
    log.warning("holdout_fraction is a fit-time option: the loaded '" + m.method +
                "' model is not refitted, so nothing is held out (and no membership inference is "
                "reported)");
    o.holdout_fraction = 0;
  }
  if (o.block_column)
    throw InvalidArgument(
        "block_column needs the real data (RealBlockGenerator fits one model "
        "per block)");
  o.method = m.method;
  o.model_params = m.params.json();
  o.target_col = m.target_col;
  o.column_types.clear();
  if (real_rows) {
    if (data.column_names() != m.support.column_names())
      throw InvalidArgument("the data's columns (" + join_names(data.column_names()) +
                            ") are not the ones the model was fitted on (" +
                            join_names(m.support.column_names()) + ")");
  } else {
    for (const Json& c : o.constraints.is_array() ? o.constraints : Json::array())
      if (c.is_object() && c.value("type", "") == "fixed_combinations")
        throw InvalidArgument(
            "constraint type 'fixed_combinations' needs the real data (the "
            "combinations that occur in it); pass it to generate()");
    // custom_distributions on numeric columns needs their values: the support table keeps them
    // only for columns with at most 50 (more is refused anyway, see column_shares.cpp).
    if (o.custom_distributions.is_object())
      for (auto it = o.custom_distributions.begin(); it != o.custom_distributions.end(); ++it)
        if (data.has(it.key())) {
          const Column& c = data.column(it.key());
          const ColumnSchema& s = m.schema[it.key()];
          if (c.is_numeric_storage() && s.distinct > 50)
            throw InvalidArgument("custom_distributions on '" + it.key() + "': the column has " +
                                  std::to_string(s.distinct) +
                                  " distinct values; shares apply to categorical, boolean or "
                                  "numeric columns with at most 50 values");
        }
  }
  ValidatedRun v;
  v.method = &method_registry().get(m.method);
  v.params = m.params;
  v.schema = m.schema;
  validate_sampling(data, o, v);
  return v;
}

RealGenerator::RealGenerator(GeneratorSettings settings)
    : settings_(std::move(settings)),
      logger_(settings_.logger ? settings_.logger : std::make_shared<Logger>()) {
  if (settings_.threads < 0)
    throw InvalidArgument("threads must be >= 0 (0 = all cores), got " +
                          std::to_string(settings_.threads));
}

Table RealGenerator::generate(const Table& data, const GenerateOptions& options) {
  return run(data, options).synthetic;
}

GenerateResult RealGenerator::run(const Table& data, const GenerateOptions& o) {
  return run_impl(data, o, nullptr);
}

GenerateResult RealGenerator::run_streamed(const Table& data, const GenerateOptions& o,
                                           const StreamOptions& stream) {
  return run_impl(data, o, &stream);
}

GenerateResult RealGenerator::run_impl(const Table& data, const GenerateOptions& o,
                                       const StreamOptions* stream) {
  const Logger& log = *logger_;
  ValidatedRun v = validate_run(data, o);
  // An output held in memory whole must fit before anything is fitted.
  if (!stream) check_output_memory(static_cast<size_t>(o.n_samples), data.num_columns());
  const uint64_t seed = seed_or_draw(settings_.random_state, &log);
  const int threads = settings_.threads > 0 ? settings_.threads : omp_get_max_threads();
  // With a hold-out the model sees the training rows only, its schema included (a level or range
  // that only hold-out rows have must not reach the output): validated again on them.
  Table train = data;
  std::optional<Table> holdout;
  if (o.holdout_fraction > 0) {
    std::tie(train, holdout) = split_holdout(data, o.holdout_fraction, seed, log);
    v = validate_run(train, o);
  }
  if (o.fit_rows > 0 && train.num_rows() > static_cast<size_t>(o.fit_rows)) {
    train = sample_fit_rows(train, static_cast<size_t>(o.fit_rows), o.target_col, seed, log);
    v = validate_run(train, o);
  }
  std::shared_ptr<const Synthesizer> synth = fit_model(train, o, v, seed, threads, log);
  std::optional<Table> synthetic;
  if (!stream) synthetic = sample_fitted(*synth, train, true, o, v, seed, threads, log);
  auto fitted = std::make_shared<FittedModel>();
  fitted->method = o.method;
  fitted->params = v.params;
  fitted->schema = v.schema;
  fitted->target_col = o.target_col;
  if (const Schema* released = synth->released_schema()) {
    // A DP model file holds only what was released: its schema and values of its own output
    // (the first block, before post-processing, whatever the run's size).
    fitted->schema = *released;
    const Table first = synthetic && synthetic->num_rows() <= kRowBlock
                            ? *synthetic
                            : sample_block(*synth, train, true, o, v, seed, threads, log, 0);
    fitted->support = support_table(first, *released);
  } else {
    fitted->support = support_table(train, v.schema);
  }
  const Json guarantee = synth->privacy_guarantee();
  fitted->synth = synth;
  fitted_ = std::move(fitted);
  std::vector<DriftWindow> drift_windows;
  GenerateOptions out_options = o;
  if (stream) {
    synthetic =
        stream_output(*synth, train, true, o, v, seed, threads, log, *stream, &drift_windows);
    if (synthetic->num_rows() < static_cast<size_t>(o.n_samples)) drift_windows.clear();
    out_options.save_dataset = false;
  } else {
    synthetic = post_process(*synthetic, o, v, seed, log, &drift_windows);
  }
  GenerateResult result{*synthetic, v.schema, {}, seed};
  result.files = write_outputs(train, *synthetic, v, out_options, settings_, threads, seed, log,
                               drift_windows, guarantee, holdout ? &*holdout : nullptr);
  return result;
}

void RealGenerator::save(const std::string& path, const std::string& front_end_info) const {
  if (!fitted_)
    throw InvalidArgument("nothing to save: call generate() with data first (or load a model)");
  FittedModel model = *fitted_;
  model.front_end_info = front_end_info;
  save_model_file(model, path);
  logger_->info("saved the fitted '" + fitted_->method + "' model to " + path);
}

RealGenerator RealGenerator::load(const std::string& path, GeneratorSettings settings) {
  RealGenerator g(std::move(settings));
  g.fitted_ = std::make_shared<FittedModel>(load_model_file(path));
  g.logger_->info("loaded a fitted '" + g.fitted_->method + "' model from " + path);
  return g;
}

const std::string& RealGenerator::fitted_method() const {
  if (!fitted_) throw InvalidArgument("no fitted model: call generate() with data or load()");
  return fitted_->method;
}

const std::optional<std::string>& RealGenerator::fitted_target() const {
  if (!fitted_) throw InvalidArgument("no fitted model: call generate() with data or load()");
  return fitted_->target_col;
}

const std::string& RealGenerator::front_end_info() const {
  if (!fitted_) throw InvalidArgument("no fitted model: call generate() with data or load()");
  return fitted_->front_end_info;
}

RealGenerator RealGenerator::with_settings(GeneratorSettings settings) const {
  RealGenerator g(std::move(settings));
  g.fitted_ = fitted_;
  return g;
}

Table RealGenerator::sample(const GenerateOptions& options, const Table* real) {
  return run_fitted(options, real).synthetic;
}

GenerateResult RealGenerator::run_fitted(const GenerateOptions& options, const Table* real) {
  return run_fitted_impl(options, real, nullptr);
}

GenerateResult RealGenerator::run_fitted_streamed(const GenerateOptions& options, const Table* real,
                                                  const StreamOptions& stream) {
  return run_fitted_impl(options, real, &stream);
}

GenerateResult RealGenerator::run_fitted_impl(const GenerateOptions& options, const Table* real,
                                              const StreamOptions* stream) {
  if (!fitted_)
    throw InvalidArgument(
        "no fitted model to sample from: pass data to generate() or load a "
        "saved model with RealGenerator::load");
  const Logger& log = *logger_;
  const FittedModel& m = *fitted_;
  GenerateOptions o = options;
  const Table& data = real ? *real : m.support;
  ValidatedRun v = validate_fitted(m, data, real != nullptr, o, log);
  const uint64_t seed = seed_or_draw(settings_.random_state, &log);
  const int threads = settings_.threads > 0 ? settings_.threads : omp_get_max_threads();
  if (real) v.constraints.warn_if_real_violates(*real, log);
  std::vector<DriftWindow> drift_windows;
  Table synthetic;
  if (stream) {
    synthetic = stream_output(*m.synth, data, real != nullptr, o, v, seed, threads, log, *stream,
                              &drift_windows);
    if (synthetic.num_rows() < static_cast<size_t>(o.n_samples)) drift_windows.clear();
    o.save_dataset = false;
  } else {
    synthetic =
        post_process(sample_fitted(*m.synth, data, real != nullptr, o, v, seed, threads, log), o, v,
                     seed, log, &drift_windows);
  }
  GenerateResult result{synthetic, v.schema, {}, seed};
  GeneratorSettings settings = settings_;
  if (!real && settings.auto_report && o.output_dir) {
    log.info(
        "reports skipped: they compare with the real data, which a loaded model does not "
        "hold (pass it to write them)");
    settings.auto_report = false;
  }
  result.files = write_outputs(data, synthetic, v, o, settings, threads, seed, log, drift_windows,
                               m.synth->privacy_guarantee());
  return result;
}

}  // namespace calm
