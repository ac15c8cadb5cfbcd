// The deep sequence methods' shared layout, time frames and table assembly (sequence_layout.hpp).
#include "models/deep/sequence_layout.hpp"

#include <algorithm>

#include "calm/core/error.hpp"
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

SequenceLayout SequenceLayout::fit(const Table& data, const SequenceTable& seq,
                                   const Schema& schema) {
  SequenceLayout l;
  for (size_t j = 0; j < data.num_columns(); ++j) {
    const Column& c = data.column(j);
    Column p;
    p.name = c.name;
    p.type = c.type;
    p.format = c.format;
    p.dict = c.dict;
    l.prototypes.push_back(std::move(p));
  }
  l.key = seq.key_column();
  l.time = seq.time_column();
  l.keys = EntityKeys::fit(data.column(l.key));
  l.max_length = seq.max_length();
  if (l.time) l.timing = SequenceTime::fit(data, seq);
  for (size_t j : seq.varying_columns()) {
    bool looked_up = false;
    if (l.timing)
      for (const auto& lookup : l.timing->lookups) looked_up = looked_up || lookup.column == j;
    if (!looked_up) l.varying.push_back(j);
  }
  l.context = seq.context_columns();
  for (size_t j : l.context) l.context_shape.columns.push_back(schema[data.column(j).name]);
  return l;
}

bool SequenceLayout::real_times(const Table& data, const SequenceTable& seq,
                                std::vector<double>& starts, std::vector<double>& spans,
                                std::vector<double>& deltas, size_t cut) const {
  const size_t entities = seq.entities();
  const bool irr = irregular();
  starts.assign(entities, kNaN);
  spans.assign(entities, kNaN);
  deltas.assign(data.num_rows(), kNaN);
  std::vector<double> rooms(entities);
  bool share = irr;
  for (size_t e = 0; e < entities; ++e) {
    const std::vector<double> c = timing->coordinates(data, seq, e);
    starts[e] = c.front();
    spans[e] = c[std::min(c.size(), std::max<size_t>(cut, 1)) - 1] - c.front();
    if (irr)
      for (size_t k = 1; k < c.size(); ++k)
        deltas[static_cast<size_t>(seq.row(e, k))] = c[k] - c[k - 1];
    const auto first = static_cast<size_t>(seq.row(e, 0));
    double lo, hi;
    time_bounds([&](size_t j) { return data.column(j).numeric(first); }, lo, hi);
    rooms[e] = hi - starts[e];
    share = share && !std::isnan(hi);
  }
  if (share)
    for (size_t e = 0; e < entities; ++e)
      spans[e] = rooms[e] > 0 ? std::clamp(spans[e] / rooms[e], 0.0, 1.0) : 1.0;
  return share;
}

std::vector<ColumnModel> SequenceLayout::fit_step_models(
    const Table& data, const SequenceTable& seq, const Schema& schema,
    const std::vector<double>& deltas, std::optional<MarginalFamily> family, int threads) const {
  std::vector<ColumnModel> models(varying.size());
  parallel_tasks(varying.size(), threads, [&](size_t v) {
    const Column& c = data.column(varying[v]);
    models[v] = fit_column_model(c, schema[c.name].semantic, family);
  });
  if (irregular()) {
    std::vector<double> observed_steps;
    for (size_t e = 0; e < seq.entities(); ++e)
      for (size_t k = 1; k < seq.length(e); ++k)
        observed_steps.push_back(deltas[static_cast<size_t>(seq.row(e, k))]);
    models.push_back(fit_column_model(Column::float64("\x01step", observed_steps),
                                      SemanticType::numerical, family));
  }
  return models;
}

void SequenceLayout::save(ArchiveWriter& out) const {
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
}

SequenceLayout SequenceLayout::load(ArchiveReader& in, const char* method) {
  const std::string m = method;
  SequenceLayout l;
  const uint64_t columns = in.u64();
  if (columns > (uint64_t{1} << 20)) throw DataError(m + ": impossible column count");
  for (uint64_t j = 0; j < columns; ++j) l.prototypes.push_back(in.column());
  auto index = [&](uint64_t j) {
    if (j >= l.prototypes.size()) throw DataError(m + ": column out of range");
    return static_cast<size_t>(j);
  };
  l.key = index(in.u64());
  const bool has_time = in.boolean();
  const uint64_t time = in.u64();
  if (has_time) l.time = index(time);
  for (int64_t j : in.i64s()) l.varying.push_back(index(static_cast<uint64_t>(j)));
  for (int64_t j : in.i64s()) l.context.push_back(index(static_cast<uint64_t>(j)));
  l.context_shape = in.schema();
  if (l.context_shape.size() != l.context.size())
    throw DataError(m + ": context shapes do not match the context columns");
  l.keys = EntityKeys::load(in);
  if (in.boolean()) l.timing = SequenceTime::load(in);
  if (l.timing) {
    for (const auto& lookup : l.timing->lookups) index(lookup.column);
    for (const auto& b : l.timing->bounds) index(b.column);
  }
  l.span_as_share = in.boolean();
  l.max_length = in.u64();
  if (l.max_length == 0) throw DataError(m + ": bad maximum length");
  return l;
}

void SequenceDraws::add_time(const SequenceLayout& layout, size_t e, double start,
                             double raw_span) {
  if (!layout.timing) return;
  std::vector<int> context_of(layout.prototypes.size(), -1);
  for (size_t j = 0; j < layout.context.size(); ++j)
    context_of[layout.context[j]] = static_cast<int>(j);
  double l, h;
  layout.time_bounds(
      [&](size_t col) {
        return context_of[col] < 0 ? kNaN : context[static_cast<size_t>(context_of[col])][e];
      },
      l, h);
  double s = layout.irregular() ? raw_span : kNaN;
  if (layout.span_as_share)
    s = std::clamp(s, 0.0, 1.0) * std::max(0.0, h - std::max(start, std::isnan(l) ? start : l));
  // A regular series ends where its grid crosses an upper bound.
  if (!layout.irregular()) {
    std::vector<double> stamps;
    length[e] = layout.timing->rebuild(start, kNaN, {}, length[e], l, h, stamps);
  }
  this->start.push_back(start);
  span.push_back(s);
  lo.push_back(l);
  hi.push_back(h);
}

Table assemble_sequences(const SequenceLayout& layout, const SequenceDraws& d,
                         const std::vector<const ColumnModel*>& varying_models,
                         const std::vector<const ColumnModel*>& context_models) {
  size_t rows = 0;
  for (size_t l : d.length) rows += l;
  const size_t nc = layout.context.size();
  std::vector<Column> out;
  for (const Column& p : layout.prototypes) out.push_back(empty_like(p, rows));
  out[layout.key] = layout.keys.make(d.length, 1);
  std::vector<const ColumnModel*> finisher(out.size(), nullptr);
  for (size_t v = 0; v < layout.varying.size(); ++v) {
    write_values(out[layout.varying[v]], 0, d.varying[v].data(), rows);
    finisher[layout.varying[v]] = varying_models[v];
  }
  std::vector<int64_t> entity_of_row;
  for (size_t e = 0; e < d.length.size(); ++e)
    entity_of_row.insert(entity_of_row.end(), d.length[e], static_cast<int64_t>(e));
  std::vector<bool> fresh_id(out.size(), false);
  std::vector<double> fill;
  for (size_t j = 0; j < nc; ++j) {
    const ColumnModel& cm = *context_models[j];
    if (cm.role == ColumnRole::id) {  // one fresh key per entity, not per row
      Column per_entity = allocate_output(cm, d.length.size());
      finish_output(cm, per_entity);
      out[layout.context[j]] = per_entity.take(entity_of_row);
      fresh_id[layout.context[j]] = true;
      continue;
    }
    fill.resize(rows);
    for (size_t r = 0; r < rows; ++r) fill[r] = d.context[j][static_cast<size_t>(entity_of_row[r])];
    write_values(out[layout.context[j]], 0, fill.data(), rows);
    finisher[layout.context[j]] = &cm;
  }
  if (layout.timing) {
    const SequenceTime& timing = *layout.timing;
    std::vector<double> coords, stamp;
    for (size_t e = 0, row = 0; e < d.length.size(); row += d.length[e], ++e) {
      const size_t length = d.length[e];
      std::vector<double> own;
      if (layout.irregular())
        own.assign(d.deltas.begin() + static_cast<ptrdiff_t>(row + 1),
                   d.deltas.begin() + static_cast<ptrdiff_t>(row + length));
      else
        own.assign(length > 0 ? length - 1 : 0, kNaN);
      timing.rebuild(d.start[e], d.span[e], own, length, d.lo[e], d.hi[e], coords);
      stamp.resize(length);
      for (size_t k = 0; k < length; ++k) stamp[k] = timing.axis.value(coords[k]);
      write_values(out[*layout.time], row, stamp.data(), length);
      for (const TimeLookup& l : timing.lookups) {
        for (size_t k = 0; k < length; ++k) stamp[k] = l.at(coords[k]);
        write_values(out[l.column], row, stamp.data(), length);
      }
    }
  }
  const ColumnModel plain;  // finishes a column that no model describes
  for (size_t j = 0; j < out.size(); ++j)
    if (j != layout.key && !fresh_id[j]) finish_output(finisher[j] ? *finisher[j] : plain, out[j]);
  return Table(std::move(out));
}

}  // namespace calm
