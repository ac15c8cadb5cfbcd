// par's sampling: entity chunks of kSampleChunk, one after the other. Chunk c draws its entities
// (context, length, start, span) from the context copula with Philox stream (seed, sample + c) and
// their steps from the network with stream (seed, sample + kStepStream + c); the rows are then
// decoded through the column models and assembled entity by entity, in time order.
#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/par_impl.hpp"

namespace calm {
namespace {

constexpr uint64_t kStepStream = 1ULL << 40;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What the chunks drew, for every entity of the run.
struct Drawn {
  std::vector<size_t> length;
  std::vector<std::vector<double>> context;  // [context column][entity]
  std::vector<double> start, span, lo, hi;   // time coordinates (NaN: none)
  std::vector<double> u;                     // rows x blocks: the steps' uniforms
};

// The steps of `count` entities of `length[i]` steps with context scores `z` (count x variables):
// sample_size candidates each, the most likely one's uniforms appended to `u` entity by entity.
void draw_steps(const ParSynthesizer::Impl& m, const Eigen::MatrixXd& z,
                const std::vector<size_t>& length, Rng& rng, std::vector<double>& u) {
  const size_t count = length.size(), S = static_cast<size_t>(m.o.sample_size), B = count * S;
  const size_t in = m.input_width(), nf = m.steps.features(), nb = m.steps.blocks().size(),
               no = m.steps.outputs(), nz = m.entities.variables();
  const size_t steps = *std::max_element(length.begin(), length.end());
  std::vector<float> zf(count * nz), x(B * in), features(B * nf, 0.0f);
  for (size_t i = 0; i < count; ++i)
    for (size_t v = 0; v < nz; ++v)
      zf[i * nz + v] =
          static_cast<float>(z(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(v)));
  std::vector<double> candidate_u(B * steps * nb, 0.5), loglik(B, 0.0);
  torch::Tensor h;
  for (size_t k = 0; k < steps; ++k) {
    for (size_t r = 0; r < B; ++r) {
      const size_t i = r / S;
      m.fill_input(x.data() + r * in, k == 0 ? nullptr : features.data() + r * nf,
                   zf.data() + i * nz, k, length[i]);
    }
    const auto input =
        torch::from_blob(x.data(), {1, static_cast<int64_t>(B), static_cast<int64_t>(in)},
                         torch::kFloat)
            .to(m.device);
    auto [out, state] = m.net->forward(input, h);
    h = state;
    const auto o = out.squeeze(0).to(torch::kCPU).contiguous();
    const float* po = o.data_ptr<float>();
    for (size_t r = 0; r < B; ++r) {
      if (k >= length[r / S]) continue;
      loglik[r] += m.steps.draw(po + r * no, k == 0, rng, features.data() + r * nf,
                                candidate_u.data() + (r * steps + k) * nb);
    }
  }
  for (size_t i = 0; i < count; ++i) {
    size_t best = i * S;
    for (size_t r = i * S + 1; r < (i + 1) * S; ++r)
      if (loglik[r] > loglik[best]) best = r;
    const double* from = candidate_u.data() + best * steps * nb;
    u.insert(u.end(), from, from + length[i] * nb);
  }
}

// Output storage for `n` cells shaped like `prototype`.
Column empty_like(const Column& prototype, size_t n) {
  ColumnModel m;
  m.prototype = prototype;
  return allocate_output(m, n);
}

}  // namespace

Table ParSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (!impl_) throw InternalError("par: sample() before fit()");
  const Impl& m = *impl_;
  torch::NoGradGuard no_grad;
  set_torch_threads(ctx.threads);
  const size_t nc = m.context.size(), nb = m.steps.blocks().size();
  const bool irregular = m.irregular();
  Drawn d;
  d.context.resize(nc);
  for (size_t c = 0; c * kSampleChunk < n; ++c) {
    const size_t count = std::min(kSampleChunk, n - c * kSampleChunk);
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, c));
    const EntityCopula::Draws e = m.entities.draw(count, rng);
    std::vector<size_t> length(count);
    for (size_t i = 0; i < count; ++i)
      length[i] = static_cast<size_t>(std::clamp<double>(
          std::llround(e.values[m.length_column()][i]), 1.0, static_cast<double>(m.max_length)));
    // Context values as the output will hold them: the time bounds read them.
    for (size_t j = 0; j < nc; ++j)
      for (size_t i = 0; i < count; ++i)
        d.context[j].push_back(shaped_like_output(e.values[j][i], m.context_shape[j]));
    if (m.timing) {
      const size_t first = c * kSampleChunk;
      std::vector<int> context_of(m.prototypes.size(), -1);
      for (size_t j = 0; j < nc; ++j) context_of[m.context[j]] = static_cast<int>(j);
      std::vector<double> stamps;
      for (size_t i = 0; i < count; ++i) {
        double lo, hi;
        m.time_bounds(
            [&](size_t col) {
              return context_of[col] < 0 ? kNaN : d.context[context_of[col]][first + i];
            },
            lo, hi);
        const double start = e.values[nc + 1][i];
        double span = irregular ? e.values[nc + 2][i] : kNaN;
        if (m.span_as_share)
          span = std::clamp(span, 0.0, 1.0) *
                 std::max(0.0, hi - std::max(start, std::isnan(lo) ? start : lo));
        // A regular series ends where its grid crosses an upper bound.
        if (!irregular) length[i] = m.timing->rebuild(start, kNaN, {}, length[i], lo, hi, stamps);
        d.start.push_back(start);
        d.span.push_back(span);
        d.lo.push_back(lo);
        d.hi.push_back(hi);
      }
    }
    if (!m.net.is_empty()) {
      Rng step_rng(ctx.seed, stream_id(StreamPurpose::sample, kStepStream + c));
      draw_steps(m, e.z, length, step_rng, d.u);
    }
    d.length.insert(d.length.end(), length.begin(), length.end());
  }
  size_t rows = 0;
  for (size_t l : d.length) rows += l;
  if (m.net.is_empty()) d.u.assign(rows * nb, 0.5);

  // Output columns.
  std::vector<Column> out;
  for (const Column& p : m.prototypes) out.push_back(empty_like(p, rows));
  out[m.key] = m.keys.make(d.length, 1);
  std::vector<const ColumnModel*> finisher(out.size(), nullptr);
  for (size_t v = 0; v < m.varying.size(); ++v) {
    const std::vector<double> values = m.steps.decode(v, d.u, rows);
    write_values(out[m.varying[v]], 0, values.data(), rows);
    finisher[m.varying[v]] = &m.steps.models()[v];
  }
  std::vector<int64_t> entity_of_row;
  for (size_t e = 0; e < d.length.size(); ++e)
    entity_of_row.insert(entity_of_row.end(), d.length[e], static_cast<int64_t>(e));
  std::vector<double> fill;
  for (size_t j = 0; j < nc; ++j) {
    const ColumnModel& cm = m.entities.models()[j];
    if (cm.role == ColumnRole::id) {  // one fresh key per entity, not per row
      Column per_entity = allocate_output(cm, d.length.size());
      finish_output(cm, per_entity);
      out[m.context[j]] = per_entity.take(entity_of_row);
      continue;
    }
    fill.resize(rows);
    for (size_t r = 0; r < rows; ++r) fill[r] = d.context[j][static_cast<size_t>(entity_of_row[r])];
    write_values(out[m.context[j]], 0, fill.data(), rows);
    finisher[m.context[j]] = &cm;
  }
  if (m.timing) {
    std::vector<double> deltas(rows, kNaN), coords, stamp;
    if (irregular) deltas = m.steps.decode(m.steps.models().size() - 1, d.u, rows);
    for (size_t e = 0, row = 0; e < d.length.size(); row += d.length[e], ++e) {
      const size_t length = d.length[e];
      const std::vector<double> own(deltas.begin() + static_cast<ptrdiff_t>(row + 1),
                                    deltas.begin() + static_cast<ptrdiff_t>(row + length));
      m.timing->rebuild(d.start[e], d.span[e], own, length, d.lo[e], d.hi[e], coords);
      stamp.resize(length);
      for (size_t k = 0; k < length; ++k) stamp[k] = m.timing->axis.value(coords[k]);
      write_values(out[*m.time], row, stamp.data(), length);
      for (const TimeLookup& l : m.timing->lookups) {
        for (size_t k = 0; k < length; ++k) stamp[k] = l.at(coords[k]);
        write_values(out[l.column], row, stamp.data(), length);
      }
    }
  }
  const ColumnModel plain;  // finishes a column that no model describes
  for (size_t j = 0; j < out.size(); ++j) {
    if (j == m.key) continue;
    bool fresh_id = false;
    for (size_t c = 0; c < nc; ++c)
      fresh_id = fresh_id || (m.context[c] == j && m.entities.models()[c].role == ColumnRole::id);
    if (!fresh_id) finish_output(finisher[j] ? *finisher[j] : plain, out[j]);
  }
  return Table(std::move(out));
}

}  // namespace calm
