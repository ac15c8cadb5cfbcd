// copula_temporal's parameters and fit: the entity copula and the step copula (the model is
// described in copula_temporal.hpp).
#include "models/sequence/copula_temporal.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "core/parallel.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "copula_temporal";
// Fit streams of the interval scores: entity columns, varying columns, position and step.
constexpr uint64_t kEntityStreams = 0, kStepStreams = 1ULL << 20, kExtraStreams = 2ULL << 20;

// A one-column model and its copula variables (position, time step).
ColumnModel fit_single(const Column& col, std::optional<MarginalFamily> forced) {
  std::vector<ColumnModel> m;
  m.push_back(fit_column_model(col, SemanticType::numerical, forced));
  assign_copula_variables(m);
  return std::move(m.front());
}

}  // namespace

ParamSpec CopulaTemporalSynthesizer::param_spec() {
  ParamSpec spec;
  for (ParamDef& d : sequence_param_defs()) spec.add(std::move(d));
  const std::vector<std::string> families = marginal_family_choices();
  spec.add({.name = "sample_unit",
            .type = ParamType::choice,
            .default_value = "rows",
            .doc = "what n_samples counts: rows (the seed's meaning: whole entities until n rows, "
                   "the last one cut to fit) or entities (as SDV's PAR)",
            .choices = {"rows", "entities"}});
  // Empirical by default: entity tables are small, and a fitted family loses the rare extremes
  // that the row-level scores bin by (pbc_longitudinal, seeds 1-6: row quality 0.854-0.935
  // empirical, 0.838-0.917 auto).
  spec.add({.name = "default_distribution",
            .type = ParamType::choice,
            .default_value = "empirical",
            .doc = "marginal of numeric columns, lengths and time steps: empirical (the real "
                   "values, interpolated), auto (best-fitting family if it passes the KS test at "
                   "5%, else empirical) or one family for all",
            .choices = families});
  return spec;
}

void CopulaTemporalSynthesizer::fit(const Table& data, const FitContext& ctx) {
  const Params params = param_spec().resolve(ctx.params.json(), kMethod);
  const SequenceColumns cols = sequence_columns(params, kMethod);
  if (cols.legacy_key_alias)
    ctx.log.warning(std::string(kMethod) + ": sequence_index '" + cols.key +
                    "' without sequence_key is read as the entity column (the seed's legacy "
                    "meaning); name it sequence_key, and the time column time_col");
  const SequenceTable seq = SequenceTable::build(data, cols);
  if (seq.unsorted_entities())
    ctx.log.warning(std::string(kMethod) + ": the rows of " +
                    std::to_string(seq.unsorted_entities()) + " of " +
                    std::to_string(seq.entities()) + " entities were not in '" + *cols.time +
                    "' order; they were sorted by it");
  const std::optional<MarginalFamily> forced =
      marginal_family_choice(params.get_string("default_distribution"));
  rows_unit_ = params.get_string("sample_unit") == "rows";

  prototypes_.clear();
  for (size_t j = 0; j < data.num_columns(); ++j) {
    const Column& c = data.column(j);
    Column p;
    p.name = c.name;
    p.type = c.type;
    p.format = c.format;
    p.dict = c.dict;
    prototypes_.push_back(std::move(p));
  }
  key_ = seq.key_column();
  time_ = seq.time_column();
  keys_ = EntityKeys::fit(data.column(key_));
  max_length_ = seq.max_length();
  timing_.reset();
  if (time_) timing_ = SequenceTime::fit(data, seq);
  varying_.clear();
  for (size_t j : seq.varying_columns()) {
    bool looked_up = false;
    if (timing_)
      for (const auto& l : timing_->lookups) looked_up = looked_up || l.column == j;
    if (!looked_up) varying_.push_back(j);
  }
  const bool irregular = timing_ && !timing_->spacing.regular;
  const size_t entities = seq.entities();
  auto semantic = [&](size_t j) { return ctx.schema[data.column(j).name].semantic; };

  // The varying columns' models (every row) and scores: the steps' and the entity levels'.
  std::vector<std::string> varying_names;
  for (size_t j : varying_) varying_names.push_back(data.column(j).name);
  step_models_.clear();
  step_models_.resize(varying_.size());
  parallel_tasks(varying_.size(), ctx.threads, [&](size_t v) {
    step_models_[v] = fit_column_model(data.column(varying_[v]), semantic(varying_[v]), forced);
  });
  step_vars_ = assign_copula_variables(step_models_);
  const Eigen::MatrixXd varying_scores = copula_scores(
      step_models_, step_vars_, data.select(varying_names), ctx.seed, ctx.threads, kStepStreams);

  // 1. The entity table: context, length, start, span, first step, levels.
  std::vector<int64_t> first_rows(entities);
  std::vector<int64_t> lengths(entities);
  std::vector<double> starts(entities), spans(entities), rooms(entities);
  span_as_share_ = irregular;
  for (size_t e = 0; e < entities; ++e) {
    first_rows[e] = seq.row(e, 0);
    lengths[e] = static_cast<int64_t>(seq.length(e));
    if (timing_) {
      const std::vector<double> c = timing_->coordinates(data, seq, e);
      starts[e] = c.front();
      spans[e] = c.back() - c.front();
      double lo, hi;
      time_bounds(
          [&](size_t j) { return data.column(j).numeric(static_cast<size_t>(first_rows[e])); }, lo,
          hi);
      rooms[e] = hi - starts[e];
      span_as_share_ = span_as_share_ && !std::isnan(hi);
    }
  }
  if (span_as_share_)
    for (size_t e = 0; e < entities; ++e)
      spans[e] = rooms[e] > 0 ? std::clamp(spans[e] / rooms[e], 0.0, 1.0) : 1.0;
  std::vector<Column> entity_cols;
  std::vector<SemanticType> entity_semantics;
  entity_slots_.clear();
  entity_source_.clear();
  auto add = [&](Column c, SemanticType s, Slot slot, size_t source) {
    entity_cols.push_back(std::move(c));
    entity_semantics.push_back(s);
    entity_slots_.push_back(slot);
    entity_source_.push_back(source);
  };
  context_shape_ = Schema{};
  for (size_t j : seq.context_columns()) {
    add(data.column(j).take(first_rows), semantic(j), Slot::context, j);
    context_shape_.columns.push_back(ctx.schema[data.column(j).name]);
  }
  add(Column::int64("\x01length", lengths), SemanticType::numerical, Slot::length, 0);
  if (timing_) add(Column::float64("\x01start", starts), SemanticType::numerical, Slot::start, 0);
  if (irregular) add(Column::float64("\x01span", spans), SemanticType::numerical, Slot::span, 0);
  for (size_t j : varying_) add(data.column(j).take(first_rows), semantic(j), Slot::first_step, j);
  // An entity's level of each step variable: the mean of its scores over the entity's rows (a
  // random intercept: each series moves around its own level, not the population's).
  for (size_t v = 0; v < step_vars_.size(); ++v) {
    std::vector<double> level(entities, 0.0);
    for (size_t e = 0; e < entities; ++e) {
      for (size_t k = 0; k < seq.length(e); ++k)
        level[e] += varying_scores(seq.row(e, k), static_cast<Eigen::Index>(v));
      level[e] /= static_cast<double>(seq.length(e));
    }
    add(Column::float64("\x01level" + std::to_string(v), level), SemanticType::numerical,
        Slot::level, varying_[step_vars_[v].column]);
  }
  entity_models_.clear();
  entity_models_.resize(entity_cols.size());
  parallel_tasks(entity_cols.size(), ctx.threads, [&](size_t c) {
    entity_models_[c] = fit_column_model(entity_cols[c], entity_semantics[c], forced);
  });
  entity_vars_ = assign_copula_variables(entity_models_);
  const Table entity_table(std::move(entity_cols));
  const Eigen::MatrixXd entity_scores = copula_scores(entity_models_, entity_vars_, entity_table,
                                                      ctx.seed, ctx.threads, kEntityStreams);
  const Eigen::VectorXd entity_between = copula_between(entity_models_, entity_vars_);
  entity_lower_ = shrunk_cholesky(copula_correlation(entity_scores, entity_between), 0.0).lower;

  // 2. The step copula on consecutive pairs of rows.
  std::vector<int64_t> lag_rows, cur_rows, pair_entity, positions;
  std::vector<double> deltas;
  for (size_t e = 0; e < entities; ++e) {
    std::vector<double> coords;
    if (irregular) coords = timing_->coordinates(data, seq, e);
    for (size_t k = 1; k < seq.length(e); ++k) {
      lag_rows.push_back(seq.row(e, k - 1));
      cur_rows.push_back(seq.row(e, k));
      pair_entity.push_back(static_cast<int64_t>(e));
      positions.push_back(static_cast<int64_t>(k));
      if (irregular) deltas.push_back(coords[k] - coords[k - 1]);
    }
  }
  const auto pairs = static_cast<Eigen::Index>(cur_rows.size());
  position_model_ = fit_single(Column::int64("\x01position", positions), forced);
  delta_model_.reset();
  if (irregular) delta_model_ = fit_single(Column::float64("\x01step", deltas), forced);

  entity_inputs_.clear();
  for (size_t v = 0; v < entity_vars_.size(); ++v)
    if (entity_slots_[entity_vars_[v].column] != Slot::first_step)
      entity_inputs_.push_back(static_cast<int>(v));
  const Eigen::Index ne = static_cast<Eigen::Index>(entity_inputs_.size());
  const Eigen::Index np = position_model_->var >= 0 ? 1 : 0;
  const Eigen::Index nv = static_cast<Eigen::Index>(step_vars_.size());
  const Eigen::Index nd = delta_model_ && delta_model_->var >= 0 ? 1 : 0;
  Eigen::MatrixXd scores(pairs, ne + np + 2 * nv + nd);
  Eigen::VectorXd between(scores.cols());
  for (Eigen::Index a = 0; a < ne; ++a) {
    for (Eigen::Index i = 0; i < pairs; ++i)
      scores(i, a) = entity_scores(pair_entity[static_cast<size_t>(i)], entity_inputs_[a]);
    between(a) = entity_between(entity_inputs_[a]);
  }
  auto single_scores = [&](const ColumnModel& m, const Column& c, Eigen::Index at) {
    std::vector<double> values(c.size());
    for (size_t i = 0; i < values.size(); ++i) values[i] = c.numeric(i);
    Rng rng(ctx.seed, stream_id(StreamPurpose::fit, kExtraStreams + static_cast<uint64_t>(at)));
    variable_scores(m, false, values, rng, scores.col(at).data());
    between(at) = 1.0;
  };
  if (np) single_scores(*position_model_, Column::int64("", positions), ne);
  const Eigen::VectorXd step_between = copula_between(step_models_, step_vars_);
  for (Eigen::Index v = 0; v < nv; ++v) {
    for (Eigen::Index i = 0; i < pairs; ++i) {
      scores(i, ne + np + v) = varying_scores(lag_rows[static_cast<size_t>(i)], v);
      scores(i, ne + np + nv + v) = varying_scores(cur_rows[static_cast<size_t>(i)], v);
    }
    between(ne + np + v) = between(ne + np + nv + v) = step_between(v);
  }
  if (nd) single_scores(*delta_model_, Column::float64("", deltas), ne + np + 2 * nv);
  step_mean_ = scores.colwise().mean().transpose();
  step_sd_.resize(scores.cols());
  for (Eigen::Index j = 0; j < scores.cols(); ++j) {
    const double sd = std::sqrt((scores.col(j).array() - step_mean_(j)).square().mean());
    step_sd_(j) = sd > 1e-12 ? sd : 1.0;
  }
  const Eigen::MatrixXd r = copula_correlation(scores, between);
  const ShrunkFactor f = shrunk_cholesky(r, 0.0);
  const Eigen::Index d = r.rows();
  step_ = conditional_gaussian((1.0 - f.lambda) * r + f.lambda * Eigen::MatrixXd::Identity(d, d),
                               ne + np + nv);
  ctx.log.debug(std::string(kMethod) + ": " + std::to_string(entities) + " entities, " +
                std::to_string(seq.context_columns().size()) + " context and " +
                std::to_string(varying_.size()) + " varying columns" +
                (timing_ ? std::string(", ") + (irregular ? "irregular" : "regular") + " time" +
                               (timing_->bounds.empty() ? "" : " with context bounds")
                         : std::string()));
}

}  // namespace calm
