// copula_temporal's sampling: entities drawn from the entity copula in chunks of kSampleChunk
// (chunk c from Philox stream (seed, sample + c)), then each chunk's steps from the step copula
// (stream (seed, sample + kStepStream + c)), decoded through the marginals and assembled into rows
// ordered by entity, then time.
#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/text.hpp"
#include "core/parallel.hpp"
#include "models/sequence/copula_temporal.hpp"

namespace calm {
namespace {

constexpr uint64_t kStepStream = 1ULL << 40;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const double kMaxScore = normal_score(1.0 - kScoreClip);

double clamped_cdf(double z) {
  return std::clamp(normal_cdf(z), kScoreClip, 1.0 - kScoreClip);
}

// Output storage for `n` cells shaped like `prototype`.
Column empty_like(const Column& prototype, size_t n) {
  ColumnModel m;
  m.prototype = prototype;
  return allocate_output(m, n);
}

}  // namespace

struct CopulaTemporalSynthesizer::EntityDraws {
  Eigen::MatrixXd z;                        // latent scores, one row per entity
  std::vector<std::vector<double>> values;  // per entity column, decoded
  std::vector<size_t> length;
  std::vector<double> start, span, lo, hi;  // time coordinates (NaN: none)

  void keep(size_t count) {
    z.conservativeResize(static_cast<Eigen::Index>(count), z.cols());
    for (auto& v : values) v.resize(count);
    for (auto* v : {&start, &span, &lo, &hi}) v->resize(count);
    length.resize(count);
  }
};

CopulaTemporalSynthesizer::EntityDraws CopulaTemporalSynthesizer::draw_entities(size_t count,
                                                                                Rng& rng) const {
  EntityDraws h;
  const auto rows = static_cast<Eigen::Index>(count);
  const auto d = static_cast<Eigen::Index>(entity_vars_.size());
  Eigen::MatrixXd w(rows, d);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index v = 0; v < d; ++v) w(i, v) = rng.normal();
  // Coefficient-wise product: no blocking that could depend on the thread count.
  h.z = w.lazyProduct(entity_lower_.transpose());
  const Eigen::MatrixXd u = h.z.unaryExpr(&clamped_cdf);
  h.values.resize(entity_models_.size());
  h.length.assign(count, 1);
  for (auto* v : {&h.start, &h.span, &h.lo, &h.hi}) v->assign(count, kNaN);
  for (size_t c = 0; c < entity_models_.size(); ++c) {
    const ColumnModel& m = entity_models_[c];
    h.values[c].resize(count);
    m.decode(m.var >= 0 ? u.col(m.var).data() : nullptr,
             m.missing_var >= 0 ? u.col(m.missing_var).data() : nullptr, count, h.values[c].data());
    for (size_t i = 0; i < count; ++i) {
      const double x = h.values[c][i];
      switch (entity_slots_[c]) {
        case Slot::length:
          h.length[i] = static_cast<size_t>(
              std::clamp<double>(std::llround(x), 1.0, static_cast<double>(max_length_)));
          break;
        case Slot::start:
          h.start[i] = x;
          break;
        case Slot::span:
          h.span[i] = x;
          break;
        default:
          break;
      }
    }
  }
  // Context values shaped as conform_to_schema will shape them (the bounds read them).
  for (size_t c = 0, k = 0; c < entity_models_.size(); ++c) {
    if (entity_slots_[c] != Slot::context) continue;
    const ColumnSchema& s = context_shape_[k++];
    if (s.storage != StorageType::float64 && s.storage != StorageType::int64 &&
        s.storage != StorageType::datetime)
      continue;
    for (double& x : h.values[c])
      if (!std::isnan(x))
        x = s.storage == StorageType::float64
                ? round_to_decimals(std::clamp(x, s.min, s.max), s.decimals)
                : std::round(std::clamp(x, s.min, s.max));
  }
  if (!timing_) return h;
  std::vector<int> context_of(prototypes_.size(), -1);
  for (size_t c = 0; c < entity_models_.size(); ++c)
    if (entity_slots_[c] == Slot::context) context_of[entity_source_[c]] = static_cast<int>(c);
  for (size_t i = 0; i < count; ++i) {
    time_bounds([&](size_t j) { return context_of[j] < 0 ? kNaN : h.values[context_of[j]][i]; },
                h.lo[i], h.hi[i]);
    if (span_as_share_)
      h.span[i] =
          std::clamp(h.span[i], 0.0, 1.0) *
          std::max(0.0, h.hi[i] - std::max(h.start[i], std::isnan(h.lo[i]) ? h.start[i] : h.lo[i]));
  }
  // A regular series ends where its grid crosses an upper bound.
  if (timing_->spacing.regular) {
    std::vector<double> stamps;
    for (size_t i = 0; i < count; ++i)
      h.length[i] = timing_->rebuild(h.start[i], kNaN, {}, h.length[i], h.lo[i], h.hi[i], stamps);
  }
  return h;
}

void CopulaTemporalSynthesizer::draw_steps(const EntityDraws& h, size_t first, size_t count,
                                           Rng& rng, std::vector<Eigen::VectorXd>& latent) const {
  const auto ne = static_cast<Eigen::Index>(entity_inputs_.size());
  const Eigen::Index np = position_model_->var >= 0 ? 1 : 0;
  const auto nv = static_cast<Eigen::Index>(step_vars_.size());
  const Eigen::Index q = step_.lower.rows();
  // The entity column holding each step variable's first-step value.
  std::vector<size_t> first_step(step_vars_.size());
  for (size_t v = 0; v < step_vars_.size(); ++v)
    for (size_t c = 0; c < entity_models_.size(); ++c)
      if (entity_slots_[c] == Slot::first_step &&
          entity_source_[c] == varying_[step_vars_[v].column])
        first_step[v] = c;
  const Eigen::Index p = step_.gain.cols();
  Eigen::VectorXd c(p), w(q), y(q);
  const auto lower = step_.lower.triangularView<Eigen::Lower>();
  std::vector<double> one(1);
  for (size_t i = first; i < first + count; ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    for (Eigen::Index a = 0; a < ne; ++a) c(a) = h.z(row, entity_inputs_[a]);
    for (Eigen::Index v = 0; v < nv; ++v) {
      const CopulaVariable& var = step_vars_[static_cast<size_t>(v)];
      one[0] = h.values[first_step[static_cast<size_t>(v)]][i];
      variable_scores(step_models_[var.column], var.missing_indicator, one, rng, &c(ne + np + v));
    }
    for (size_t k = 1; k < h.length[i]; ++k) {
      if (np) {
        one[0] = static_cast<double>(k);
        variable_scores(*position_model_, false, one, rng, &c(ne));
      }
      for (Eigen::Index j = 0; j < q; ++j) w(j) = rng.normal();
      const Eigen::VectorXd standard = (c - step_mean_.head(p)).cwiseQuotient(step_sd_.head(p));
      y.noalias() = step_.gain.lazyProduct(standard);
      y += lower * w;
      y = step_mean_.tail(q) + step_sd_.tail(q).cwiseProduct(y);
      latent.push_back(y);
      // The next step's lag: a continuous variable's score as drawn (inside the scores' range); a
      // category's or an is-missing indicator's re-encoded from the category it decodes to, as
      // the fit encoded the real lags — so the chain cannot wander off in the latent scale.
      for (Eigen::Index v = 0; v < nv; ++v) {
        const CopulaVariable& var = step_vars_[static_cast<size_t>(v)];
        const ColumnModel& m = step_models_[var.column];
        if (m.role == ColumnRole::numeric && !var.missing_indicator) {
          c(ne + np + v) = std::clamp(y(v), -kMaxScore, kMaxScore);
          continue;
        }
        const double level = m.intervals.value(m.intervals.index_at(clamped_cdf(y(v))));
        one[0] = var.missing_indicator ? (level == 1.0 ? kNaN : 0.0) : level;
        variable_scores(m, var.missing_indicator, one, rng, &c(ne + np + v));
      }
    }
  }
}

Table CopulaTemporalSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (prototypes_.empty()) throw InternalError("copula_temporal: sample() before fit()");
  // 1. Entities, chunk by chunk; counting rows means drawing chunks until n rows are reached.
  std::vector<EntityDraws> chunks;
  if (rows_unit_) {
    for (size_t total = 0, c = 0; total < n; ++c) {
      Rng rng(ctx.seed, stream_id(StreamPurpose::sample, c));
      chunks.push_back(draw_entities(kSampleChunk, rng));
      EntityDraws& h = chunks.back();
      for (size_t i = 0; i < h.length.size(); ++i) {
        total += h.length[i];
        if (total >= n) {
          h.length[i] -= total - n;
          h.keep(i + 1);
          break;
        }
      }
    }
  } else {
    chunks.resize((n + kSampleChunk - 1) / kSampleChunk);
    parallel_tasks(chunks.size(), ctx.threads, [&](size_t c) {
      Rng rng(ctx.seed, stream_id(StreamPurpose::sample, c));
      chunks[c] = draw_entities(std::min(kSampleChunk, n - c * kSampleChunk), rng);
    });
  }
  std::vector<size_t> lengths, chunk_row(chunks.size() + 1, 0);
  for (size_t c = 0; c < chunks.size(); ++c) {
    lengths.insert(lengths.end(), chunks[c].length.begin(), chunks[c].length.end());
    chunk_row[c + 1] = chunk_row[c];
    for (size_t l : chunks[c].length) chunk_row[c + 1] += l;
  }
  const size_t rows = chunk_row.back();

  // 2. Output columns.
  std::vector<Column> out;
  for (const Column& p : prototypes_) out.push_back(empty_like(p, rows));
  out[key_] = keys_.make(lengths, 1);
  std::vector<const ColumnModel*> finisher(out.size(), nullptr);
  for (size_t v = 0; v < varying_.size(); ++v) finisher[varying_[v]] = &step_models_[v];
  for (size_t c = 0; c < entity_models_.size(); ++c)
    if (entity_slots_[c] == Slot::context) finisher[entity_source_[c]] = &entity_models_[c];

  // 3. Steps, decoding and assembly, chunk by chunk.
  parallel_tasks(chunks.size(), ctx.threads, [&](size_t c) {
    const EntityDraws& h = chunks[c];
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, kStepStream + c));
    std::vector<Eigen::VectorXd> latent;
    draw_steps(h, 0, h.length.size(), rng, latent);
    const auto steps = static_cast<Eigen::Index>(latent.size());
    Eigen::MatrixXd u(steps, step_.lower.rows());
    for (Eigen::Index s = 0; s < steps; ++s)
      u.row(s) = latent[static_cast<size_t>(s)].unaryExpr(&clamped_cdf).transpose();
    const auto nv = static_cast<Eigen::Index>(step_vars_.size());
    auto column_of = [&](int var) { return var >= 0 ? u.col(var).data() : nullptr; };
    // Varying columns: first step from the entity copula, the others from the step copula.
    std::vector<double> values(static_cast<size_t>(steps)), fill;
    for (size_t v = 0; v < varying_.size(); ++v) {
      const ColumnModel& m = step_models_[v];
      m.decode(column_of(m.var), column_of(m.missing_var), values.size(), values.data());
      size_t at = 0, row = chunk_row[c];
      for (size_t i = 0; i < h.length.size(); ++i) {
        write_values(out[varying_[v]], row + 1, values.data() + at, h.length[i] - 1);
        at += h.length[i] - 1;
        row += h.length[i];
      }
    }
    for (size_t e = 0; e < entity_models_.size(); ++e) {
      if (entity_slots_[e] != Slot::context && entity_slots_[e] != Slot::first_step) continue;
      size_t row = chunk_row[c];
      for (size_t i = 0; i < h.length.size(); ++i) {
        const size_t count = entity_slots_[e] == Slot::context ? h.length[i] : 1;
        fill.assign(count, h.values[e][i]);
        write_values(out[entity_source_[e]], row, fill.data(), count);
        row += h.length[i];
      }
    }
    if (!timing_) return;
    // Time stamps and the columns looked up from them.
    std::vector<double> deltas(static_cast<size_t>(steps), kNaN), coords, stamp;
    if (delta_model_)
      delta_model_->decode(delta_model_->var >= 0 ? u.col(nv).data() : nullptr, nullptr,
                           deltas.size(), deltas.data());
    size_t at = 0, row = chunk_row[c];
    for (size_t i = 0; i < h.length.size(); ++i) {
      const size_t length = h.length[i];
      const std::vector<double> own(deltas.begin() + static_cast<ptrdiff_t>(at),
                                    deltas.begin() + static_cast<ptrdiff_t>(at + length - 1));
      timing_->rebuild(h.start[i], h.span[i], own, length, h.lo[i], h.hi[i], coords);
      stamp.resize(length);
      for (size_t k = 0; k < length; ++k) stamp[k] = timing_->axis.value(coords[k]);
      write_values(out[*time_], row, stamp.data(), length);
      for (const TimeLookup& l : timing_->lookups) {
        for (size_t k = 0; k < length; ++k) stamp[k] = l.at(coords[k]);
        write_values(out[l.column], row, stamp.data(), length);
      }
      at += length - 1;
      row += length;
    }
  });

  // A context id column gets one fresh key per entity (not per row).
  for (size_t c = 0; c < entity_models_.size(); ++c) {
    const ColumnModel& m = entity_models_[c];
    if (entity_slots_[c] != Slot::context || m.role != ColumnRole::id) continue;
    Column per_entity = allocate_output(m, lengths.size());
    finish_output(m, per_entity);
    std::vector<int64_t> entity_of_row;
    for (size_t e = 0; e < lengths.size(); ++e)
      entity_of_row.insert(entity_of_row.end(), lengths[e], static_cast<int64_t>(e));
    out[entity_source_[c]] = per_entity.take(entity_of_row);
    finisher[entity_source_[c]] = nullptr;
  }
  const ColumnModel plain;  // finishes a column that no model describes
  for (size_t j = 0; j < out.size(); ++j)
    if (j != key_) finish_output(finisher[j] ? *finisher[j] : plain, out[j]);
  return Table(std::move(out));
}

}  // namespace calm
