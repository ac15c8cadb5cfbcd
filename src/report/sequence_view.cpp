// The sequence part of the reports (see sequence_view.hpp). Entities are drawn seeded, so a report
// is the same for the same inputs; the mean trajectory stops at the step that a quarter of the
// side's entities still reach, so its tail is not the mean of one or two long entities.
#include "report/sequence_view.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>

#include "calm/core/rng.hpp"
#include "core/sequence_table.hpp"

namespace calm::report {
namespace {

constexpr double kNsPerDay = 86400e9;

// x of step k of entity e: time since the entity's first stamp (days for datetimes), else k.
double step_x(const Table& t, const SequenceTable& s, size_t e, size_t k) {
  const auto time = s.time_column();
  if (!time) return static_cast<double>(k);
  const Column& c = t.column(*time);
  const double v =
      c.numeric(static_cast<size_t>(s.row(e, k))) - c.numeric(static_cast<size_t>(s.row(e, 0)));
  return c.type == StorageType::datetime ? v / kNsPerDay : v;
}

Trajectory entity_trajectory(const Table& t, const SequenceTable& s, size_t e, const Column& c) {
  Trajectory tr;
  for (size_t k = 0; k < s.length(e); ++k) {
    tr.x.push_back(step_x(t, s, e, k));
    tr.y.push_back(c.numeric(static_cast<size_t>(s.row(e, k))));
  }
  return tr;
}

// The mean value and the mean x at each step, up to the step a quarter of the entities reach.
Trajectory mean_trajectory(const Table& t, const SequenceTable& s, const Column& c) {
  std::vector<size_t> lengths;
  for (size_t e = 0; e < s.entities(); ++e) lengths.push_back(s.length(e));
  std::sort(lengths.begin(), lengths.end());
  const size_t steps = lengths.empty() ? 0 : lengths[lengths.size() * 3 / 4];
  std::vector<double> sx(steps, 0), sy(steps, 0), nx(steps, 0), ny(steps, 0);
  for (size_t e = 0; e < s.entities(); ++e)
    for (size_t k = 0; k < std::min(steps, s.length(e)); ++k) {
      sx[k] += step_x(t, s, e, k), nx[k] += 1;
      const double v = c.numeric(static_cast<size_t>(s.row(e, k)));
      if (!std::isnan(v)) sy[k] += v, ny[k] += 1;
    }
  Trajectory m;
  for (size_t k = 0; k < steps; ++k) {
    m.x.push_back(sx[k] / nx[k]);
    m.y.push_back(ny[k] > 0 ? sy[k] / ny[k] : std::nan(""));
  }
  return m;
}

std::vector<size_t> drawn_entities(const SequenceTable& s, uint64_t seed, uint64_t stream) {
  std::vector<int64_t> all(s.entities());
  std::iota(all.begin(), all.end(), int64_t{0});
  Rng rng(seed, stream_id(StreamPurpose::eval, stream));
  keep_random_subset(all, std::min(all.size(), kTrajectoryEntities), rng);
  return {all.begin(), all.end()};
}

std::vector<double> entity_lengths(const SequenceTable& s) {
  std::vector<double> v;
  for (size_t e = 0; e < s.entities(); ++e) v.push_back(static_cast<double>(s.length(e)));
  return v;
}

}  // namespace

SequenceView sequence_view(const Table& real, const Table& synthetic, const Schema& schema,
                           const SequenceMetricsOptions& options) {
  SequenceView v;
  try {
    v.scores = evaluate_sequences(real, synthetic, schema, options);
  } catch (const std::exception& e) {
    v.note = e.what();
    return v;
  }
  SequenceColumns spec;
  spec.key = options.sequence_key;
  spec.time = options.time_col;
  spec.context = options.context_columns;
  const SequenceTable rs = SequenceTable::build(real, spec);
  // Context detected on the synthetic side too (a synthetic context column that varies is the
  // consistency score's business, not an error here); the panels follow the real side's roles.
  spec.context.reset();
  const SequenceTable ss = SequenceTable::build(synthetic, spec);
  const std::vector<double> rl = entity_lengths(rs), sl = entity_lengths(ss);
  v.lengths = summarize_values("entity length (rows)", {&rl, &sl});

  std::string x_label = "step";
  if (const auto time = rs.time_column())
    x_label = real.column(*time).type == StorageType::datetime
                  ? "days since the entity's first " + real.column(*time).name
                  : real.column(*time).name + " (from the entity's first)";
  const std::vector<size_t> real_drawn = drawn_entities(rs, options.seed, 1);
  const std::vector<size_t> synthetic_drawn = drawn_entities(ss, options.seed, 2);
  for (size_t col : rs.varying_columns()) {
    if (v.panels.size() == kTrajectoryPanels) break;
    const Column& rc = real.column(col);
    const auto sc = synthetic.find(rc.name);
    if (!rc.is_numeric_storage() || !sc || !synthetic.column(*sc).is_numeric_storage()) continue;
    const auto cs = std::find_if(schema.columns.begin(), schema.columns.end(),
                                 [&](const ColumnSchema& c) { return c.name == rc.name; });
    if (cs != schema.columns.end() && cs->semantic != SemanticType::numerical) continue;
    TrajectoryPanel p;
    p.column = rc.name;
    p.x_label = x_label;
    const Column& syn = synthetic.column(*sc);
    for (size_t e : real_drawn) p.real.push_back(entity_trajectory(real, rs, e, rc));
    for (size_t e : synthetic_drawn)
      p.synthetic.push_back(entity_trajectory(synthetic, ss, e, syn));
    p.real_mean = mean_trajectory(real, rs, rc);
    p.synthetic_mean = mean_trajectory(synthetic, ss, syn);
    v.panels.push_back(std::move(p));
  }
  return v;
}

void draw_trajectories(Canvas& c, Box b, const TrajectoryPanel& p) {
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  auto extend = [&](const Trajectory& t) {
    for (size_t i = 0; i < t.x.size(); ++i) {
      x_lo = std::min(x_lo, t.x[i]), x_hi = std::max(x_hi, t.x[i]);
      if (!std::isnan(t.y[i])) y_lo = std::min(y_lo, t.y[i]), y_hi = std::max(y_hi, t.y[i]);
    }
  };
  for (const auto* side : {&p.real, &p.synthetic})
    for (const Trajectory& t : *side) extend(t);
  extend(p.real_mean);
  extend(p.synthetic_mean);
  if (!(x_lo <= x_hi)) x_lo = 0, x_hi = 1;
  const LineAxes a = draw_line_axes(c, b, p.column, p.x_label, x_lo, x_hi, y_lo, y_hi);
  Color real = kRealColor, synthetic = kSyntheticColor;
  real.a = synthetic.a = 0.45;
  for (const Trajectory& t : p.real) draw_polyline(c, a, t.x, t.y, real, 1);
  for (const Trajectory& t : p.synthetic) draw_polyline(c, a, t.x, t.y, synthetic, 1);
  draw_polyline(c, a, p.real_mean.x, p.real_mean.y, kRealColor, 2.6);
  draw_polyline(c, a, p.synthetic_mean.x, p.synthetic_mean.y, kSyntheticColor, 2.6);
}

}  // namespace calm::report
