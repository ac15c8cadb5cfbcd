// The deep sequence methods' frame (sequence_frame.hpp): fit, entity draws, output assembly and
// persistence.
#include "models/deep/sequence_frame.hpp"

#include <algorithm>
#include <string>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/parallel.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

SequenceFrame::Training SequenceFrame::fit(const Table& data, const FitContext& ctx,
                                           const SequenceColumns& columns,
                                           std::optional<MarginalFamily> family,
                                           const char* method) {
  if (columns.legacy_key_alias)
    ctx.log.warning(std::string(method) + ": sequence_index '" + columns.key +
                    "' without sequence_key is read as the entity column (the seed's legacy "
                    "meaning); name it sequence_key, and the time column time_col");
  Training t{SequenceTable::build(data, columns), {}, {}, {}};
  const SequenceTable& seq = t.seq;
  if (seq.unsorted_entities())
    ctx.log.warning(std::string(method) + ": the rows of " +
                    std::to_string(seq.unsorted_entities()) + " of " +
                    std::to_string(seq.entities()) + " entities were not in '" +
                    columns.time.value_or("") + "' order; they were sorted by it");

  static_cast<SequenceLayout&>(*this) = SequenceLayout::fit(data, seq, ctx.schema);
  auto semantic = [&](size_t j) { return ctx.schema[data.column(j).name].semantic; };
  const size_t n_entities = seq.entities();
  const bool irreg = irregular();

  // 1. The step features of every row (irregular time's step as one more number).
  std::vector<double> starts(n_entities, 0.0), spans(n_entities, 0.0);
  std::vector<double> deltas(data.num_rows(), kNaN);
  span_as_share = timing && real_times(data, seq, starts, spans, deltas);
  steps = StepCodec(fit_step_models(data, seq, ctx.schema, deltas, family, ctx.threads), irreg);
  std::vector<const Column*> step_columns;
  for (size_t j : varying) step_columns.push_back(&data.column(j));
  steps.encode(step_columns, deltas, t.features, t.observed);

  // 2. The context copula: context columns, length, start, span, and the entity's level of each
  // step number (the mean of its scores) and missing share.
  std::vector<int64_t> first_rows(n_entities), lengths(n_entities);
  for (size_t e = 0; e < n_entities; ++e) {
    first_rows[e] = seq.row(e, 0);
    lengths[e] = static_cast<int64_t>(seq.length(e));
  }
  std::vector<Column> entity_cols;
  std::vector<SemanticType> entity_semantics;
  for (size_t j : context) {
    entity_cols.push_back(data.column(j).take(first_rows));
    entity_semantics.push_back(semantic(j));
  }
  entity_cols.push_back(Column::int64("\x01length", lengths));
  if (timing) entity_cols.push_back(Column::float64("\x01start", starts));
  if (irreg) entity_cols.push_back(Column::float64("\x01span", spans));
  const size_t nf = steps.features(), nb = steps.blocks().size();
  for (size_t b : level_blocks()) {
    const StepBlock& block = steps.blocks()[b];
    const bool share = block.kind == StepBlockKind::bernoulli;
    std::vector<double> level(n_entities);
    for (size_t e = 0; e < n_entities; ++e) {
      double sum = 0, count = 0;
      for (size_t k = 0; k < seq.length(e); ++k) {
        const auto row = static_cast<size_t>(seq.row(e, k));
        if (!share && t.observed[row * nb + b] == 0.0f) continue;
        sum += t.features[row * nf + block.feature];
        count += 1;
      }
      level[e] = count > 0 ? sum / count : kNaN;
    }
    entity_cols.push_back(Column::float64("\x01level" + std::to_string(b), level));
  }
  entity_semantics.resize(entity_cols.size(), SemanticType::numerical);
  t.scores = entities.fit(Table(std::move(entity_cols)), entity_semantics, family, ctx.seed,
                          ctx.threads, 0);
  return t;
}

std::vector<size_t> SequenceFrame::level_blocks() const {
  std::vector<size_t> out;
  for (size_t b = 0; b < steps.blocks().size(); ++b) {
    const StepBlock& block = steps.blocks()[b];
    const bool delta = steps.has_delta() && block.model + 1 == steps.models().size();
    if (block.kind != StepBlockKind::categorical && !delta) out.push_back(b);
  }
  return out;
}

Eigen::MatrixXd SequenceFrame::draw_entities(size_t chunk, size_t count, uint64_t seed, Drawn& d,
                                             std::vector<size_t>& length) const {
  const size_t nc = context.size(), first = d.length.size();
  const bool irreg = irregular();
  d.context.resize(nc);
  Rng rng(seed, stream_id(StreamPurpose::sample, chunk));
  EntityCopula::Draws e = entities.draw(count, rng);
  for (size_t i = 0; i < count; ++i)
    d.length.push_back(static_cast<size_t>(std::clamp<double>(
        std::llround(e.values[length_column()][i]), 1.0, static_cast<double>(max_length))));
  // Context values as the output will hold them: the time bounds read them.
  for (size_t j = 0; j < nc; ++j)
    for (size_t i = 0; i < count; ++i)
      d.context[j].push_back(shaped_like_output(e.values[j][i], context_shape[j]));
  if (timing)
    for (size_t i = 0; i < count; ++i)
      d.add_time(*this, first + i, e.values[nc + 1][i], irreg ? e.values[nc + 2][i] : kNaN);
  length.assign(d.length.begin() + static_cast<ptrdiff_t>(first), d.length.end());
  return std::move(e.z);
}

Table SequenceFrame::assemble(Drawn& d) const {
  const size_t nb = steps.blocks().size();
  size_t rows = 0;
  for (size_t l : d.length) rows += l;
  if (d.u.empty()) d.u.assign(rows * nb, 0.5);
  if (d.u.size() != rows * nb) throw InternalError("sequence frame: step uniforms do not fit");
  std::vector<const ColumnModel*> varying_models, context_models;
  d.varying.clear();
  for (size_t v = 0; v < varying.size(); ++v) {
    d.varying.push_back(steps.decode(v, d.u, rows));
    varying_models.push_back(&steps.models()[v]);
  }
  if (irregular()) d.deltas = steps.decode(steps.models().size() - 1, d.u, rows);
  for (size_t j = 0; j < context.size(); ++j) context_models.push_back(&entities.models()[j]);
  return assemble_sequences(*this, d, varying_models, context_models);
}

void SequenceFrame::save(ArchiveWriter& out) const {
  SequenceLayout::save(out);
  entities.save(out);
  steps.save(out);
}

void SequenceFrame::load(ArchiveReader& in, const char* method) {
  static_cast<SequenceLayout&>(*this) = SequenceLayout::load(in, method);
  entities = EntityCopula::load(in, method);
  steps = StepCodec::load(in);
  const size_t expected =
      context.size() + 1 + (timing ? 1 : 0) + (irregular() ? 1 : 0) + level_blocks().size();
  if (entities.models().size() != expected ||
      steps.models().size() != varying.size() + (irregular() ? 1 : 0))
    throw DataError(std::string(method) + ": the saved models do not match the columns");
}

}  // namespace calm
