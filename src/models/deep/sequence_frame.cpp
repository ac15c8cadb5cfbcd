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

// Output storage for `n` cells shaped like `prototype`.
Column empty_like(const Column& prototype, size_t n) {
  ColumnModel m;
  m.prototype = prototype;
  return allocate_output(m, n);
}

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

  // Layout.
  for (size_t j = 0; j < data.num_columns(); ++j) {
    const Column& c = data.column(j);
    Column p;
    p.name = c.name;
    p.type = c.type;
    p.format = c.format;
    p.dict = c.dict;
    prototypes.push_back(std::move(p));
  }
  key = seq.key_column();
  time = seq.time_column();
  keys = EntityKeys::fit(data.column(key));
  max_length = seq.max_length();
  if (time) timing = SequenceTime::fit(data, seq);
  for (size_t j : seq.varying_columns()) {
    bool looked_up = false;
    if (timing)
      for (const auto& l : timing->lookups) looked_up = looked_up || l.column == j;
    if (!looked_up) varying.push_back(j);
  }
  context = seq.context_columns();
  auto semantic = [&](size_t j) { return ctx.schema[data.column(j).name].semantic; };
  const size_t n_entities = seq.entities();
  const bool irreg = irregular();

  // 1. The step features of every row.
  std::vector<ColumnModel> models(varying.size());
  parallel_tasks(varying.size(), ctx.threads, [&](size_t v) {
    models[v] = fit_column_model(data.column(varying[v]), semantic(varying[v]), family);
  });
  std::vector<double> deltas(data.num_rows(), kNaN);
  if (irreg) {
    std::vector<double> observed_steps;
    for (size_t e = 0; e < n_entities; ++e) {
      const std::vector<double> c = timing->coordinates(data, seq, e);
      for (size_t k = 1; k < c.size(); ++k) {
        deltas[static_cast<size_t>(seq.row(e, k))] = c[k] - c[k - 1];
        observed_steps.push_back(c[k] - c[k - 1]);
      }
    }
    models.push_back(fit_column_model(Column::float64("\x01step", observed_steps),
                                      SemanticType::numerical, family));
  }
  steps = StepCodec(std::move(models), irreg);
  std::vector<const Column*> step_columns;
  for (size_t j : varying) step_columns.push_back(&data.column(j));
  steps.encode(step_columns, deltas, t.features, t.observed);

  // 2. The context copula: context columns, length, start, span, and the entity's level of each
  // step number (the mean of its scores) and missing share.
  std::vector<int64_t> first_rows(n_entities), lengths(n_entities);
  std::vector<double> starts(n_entities), spans(n_entities), rooms(n_entities);
  span_as_share = irreg;
  for (size_t e = 0; e < n_entities; ++e) {
    first_rows[e] = seq.row(e, 0);
    lengths[e] = static_cast<int64_t>(seq.length(e));
    if (!timing) continue;
    const std::vector<double> c = timing->coordinates(data, seq, e);
    starts[e] = c.front();
    spans[e] = c.back() - c.front();
    double lo, hi;
    time_bounds(
        [&](size_t j) { return data.column(j).numeric(static_cast<size_t>(first_rows[e])); }, lo,
        hi);
    rooms[e] = hi - starts[e];
    span_as_share = span_as_share && !std::isnan(hi);
  }
  if (span_as_share)
    for (size_t e = 0; e < n_entities; ++e)
      spans[e] = rooms[e] > 0 ? std::clamp(spans[e] / rooms[e], 0.0, 1.0) : 1.0;
  std::vector<Column> entity_cols;
  std::vector<SemanticType> entity_semantics;
  for (size_t j : context) {
    entity_cols.push_back(data.column(j).take(first_rows));
    entity_semantics.push_back(semantic(j));
    context_shape.columns.push_back(ctx.schema[data.column(j).name]);
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
  length.assign(count, 1);
  for (size_t i = 0; i < count; ++i)
    length[i] = static_cast<size_t>(std::clamp<double>(std::llround(e.values[length_column()][i]),
                                                       1.0, static_cast<double>(max_length)));
  // Context values as the output will hold them: the time bounds read them.
  for (size_t j = 0; j < nc; ++j)
    for (size_t i = 0; i < count; ++i)
      d.context[j].push_back(shaped_like_output(e.values[j][i], context_shape[j]));
  if (timing) {
    std::vector<int> context_of(prototypes.size(), -1);
    for (size_t j = 0; j < nc; ++j) context_of[context[j]] = static_cast<int>(j);
    std::vector<double> stamps;
    for (size_t i = 0; i < count; ++i) {
      double lo, hi;
      time_bounds(
          [&](size_t col) {
            return context_of[col] < 0 ? kNaN : d.context[context_of[col]][first + i];
          },
          lo, hi);
      const double start = e.values[nc + 1][i];
      double span = irreg ? e.values[nc + 2][i] : kNaN;
      if (span_as_share)
        span = std::clamp(span, 0.0, 1.0) *
               std::max(0.0, hi - std::max(start, std::isnan(lo) ? start : lo));
      // A regular series ends where its grid crosses an upper bound.
      if (!irreg) length[i] = timing->rebuild(start, kNaN, {}, length[i], lo, hi, stamps);
      d.start.push_back(start);
      d.span.push_back(span);
      d.lo.push_back(lo);
      d.hi.push_back(hi);
    }
  }
  d.length.insert(d.length.end(), length.begin(), length.end());
  return std::move(e.z);
}

Table SequenceFrame::assemble(Drawn& d) const {
  const size_t nc = context.size(), nb = steps.blocks().size();
  size_t rows = 0;
  for (size_t l : d.length) rows += l;
  if (d.u.empty()) d.u.assign(rows * nb, 0.5);
  if (d.u.size() != rows * nb) throw InternalError("sequence frame: step uniforms do not fit");

  std::vector<Column> out;
  for (const Column& p : prototypes) out.push_back(empty_like(p, rows));
  out[key] = keys.make(d.length, 1);
  std::vector<const ColumnModel*> finisher(out.size(), nullptr);
  for (size_t v = 0; v < varying.size(); ++v) {
    const std::vector<double> values = steps.decode(v, d.u, rows);
    write_values(out[varying[v]], 0, values.data(), rows);
    finisher[varying[v]] = &steps.models()[v];
  }
  std::vector<int64_t> entity_of_row;
  for (size_t e = 0; e < d.length.size(); ++e)
    entity_of_row.insert(entity_of_row.end(), d.length[e], static_cast<int64_t>(e));
  std::vector<double> fill;
  for (size_t j = 0; j < nc; ++j) {
    const ColumnModel& cm = entities.models()[j];
    if (cm.role == ColumnRole::id) {  // one fresh key per entity, not per row
      Column per_entity = allocate_output(cm, d.length.size());
      finish_output(cm, per_entity);
      out[context[j]] = per_entity.take(entity_of_row);
      continue;
    }
    fill.resize(rows);
    for (size_t r = 0; r < rows; ++r) fill[r] = d.context[j][static_cast<size_t>(entity_of_row[r])];
    write_values(out[context[j]], 0, fill.data(), rows);
    finisher[context[j]] = &cm;
  }
  if (timing) {
    std::vector<double> deltas(rows, kNaN), coords, stamp;
    if (irregular()) deltas = steps.decode(steps.models().size() - 1, d.u, rows);
    for (size_t e = 0, row = 0; e < d.length.size(); row += d.length[e], ++e) {
      const size_t length = d.length[e];
      const std::vector<double> own(deltas.begin() + static_cast<ptrdiff_t>(row + 1),
                                    deltas.begin() + static_cast<ptrdiff_t>(row + length));
      timing->rebuild(d.start[e], d.span[e], own, length, d.lo[e], d.hi[e], coords);
      stamp.resize(length);
      for (size_t k = 0; k < length; ++k) stamp[k] = timing->axis.value(coords[k]);
      write_values(out[*time], row, stamp.data(), length);
      for (const TimeLookup& l : timing->lookups) {
        for (size_t k = 0; k < length; ++k) stamp[k] = l.at(coords[k]);
        write_values(out[l.column], row, stamp.data(), length);
      }
    }
  }
  const ColumnModel plain;  // finishes a column that no model describes
  for (size_t j = 0; j < out.size(); ++j) {
    if (j == key) continue;
    bool fresh_id = false;
    for (size_t c = 0; c < nc; ++c)
      fresh_id = fresh_id || (context[c] == j && entities.models()[c].role == ColumnRole::id);
    if (!fresh_id) finish_output(finisher[j] ? *finisher[j] : plain, out[j]);
  }
  return Table(std::move(out));
}

void SequenceFrame::save(ArchiveWriter& out) const {
  out.u64(prototypes.size());
  for (const Column& p : prototypes) out.column(p);
  out.u64(key);
  out.boolean(time.has_value());
  out.u64(time.value_or(0));
  out.i64s(std::vector<int64_t>(varying.begin(), varying.end()));
  out.i64s(std::vector<int64_t>(context.begin(), context.end()));
  out.schema(context_shape);
  keys.save(out);
  out.boolean(timing.has_value());
  if (timing) timing->save(out);
  out.boolean(span_as_share);
  out.u64(max_length);
  entities.save(out);
  steps.save(out);
}

void SequenceFrame::load(ArchiveReader& in, const char* method) {
  const std::string m = method;
  const uint64_t columns = in.u64();
  if (columns > (uint64_t{1} << 20)) throw DataError(m + ": impossible column count");
  for (uint64_t j = 0; j < columns; ++j) prototypes.push_back(in.column());
  auto index = [&](uint64_t j) {
    if (j >= prototypes.size()) throw DataError(m + ": column out of range");
    return static_cast<size_t>(j);
  };
  key = index(in.u64());
  const bool has_time = in.boolean();
  const uint64_t time_index = in.u64();
  if (has_time) time = index(time_index);
  for (int64_t j : in.i64s()) varying.push_back(index(static_cast<uint64_t>(j)));
  for (int64_t j : in.i64s()) context.push_back(index(static_cast<uint64_t>(j)));
  context_shape = in.schema();
  if (context_shape.size() != context.size())
    throw DataError(m + ": context shapes do not match the context columns");
  keys = EntityKeys::load(in);
  if (in.boolean()) timing = SequenceTime::load(in);
  if (timing) {
    for (const auto& l : timing->lookups) index(l.column);
    for (const auto& b : timing->bounds) index(b.column);
  }
  span_as_share = in.boolean();
  max_length = in.u64();
  if (max_length == 0) throw DataError(m + ": bad maximum length");
  entities = EntityCopula::load(in, method);
  steps = StepCodec::load(in);
  const size_t expected =
      context.size() + 1 + (timing ? 1 : 0) + (irregular() ? 1 : 0) + level_blocks().size();
  if (entities.models().size() != expected ||
      steps.models().size() != varying.size() + (irregular() ? 1 : 0))
    throw DataError(m + ": the saved models do not match the columns");
}

}  // namespace calm
