// TimeGAN's step features, conditions and training windows (timegan_windows.hpp).
#include "models/deep/timegan_windows.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "transform/normal_scores.hpp"

namespace calm {

size_t timegan_window_steps(const SequenceFrame& f, size_t seq_len) {
  return std::max<size_t>(1, std::min(seq_len, f.max_length));
}

size_t timegan_condition_width(const SequenceFrame& f) {
  return f.entities.variables() + f.steps.features() + 3;
}

void timegan_features(const StepCodec& codec, const float* codec_features, float* out) {
  std::copy_n(codec_features, codec.features(), out);
  for (const StepBlock& b : codec.blocks())
    if (b.kind == StepBlockKind::gaussian)
      out[b.feature] = static_cast<float>(normal_cdf(codec_features[b.feature]));
}

void timegan_conditions(const SequenceFrame& f, const float* z, const float* prev, size_t begin,
                        size_t steps, size_t length, float* c) {
  const size_t nz = f.entities.variables(), nf = f.steps.features(),
               width = timegan_condition_width(f);
  const double scale = std::log1p(static_cast<double>(f.max_length));
  for (size_t t = 0; t < steps; ++t) {
    float* row = c + t * width;
    std::copy_n(z, nz, row);
    if (prev)
      std::copy_n(prev, nf, row + nz);
    else
      std::fill_n(row + nz, nf, 0.0f);
    row[nz + nf] = prev ? 0.0f : 1.0f;
    const size_t k = std::min(begin + t, length - 1);
    row[nz + nf + 1] = length > 1 ? static_cast<float>(k) / static_cast<float>(length - 1) : 0.0f;
    row[nz + nf + 2] = static_cast<float>(std::log1p(static_cast<double>(length - 1 - k)) / scale);
  }
}

TimeganWindows timegan_windows(const SequenceFrame& f, const SequenceFrame::Training& t,
                               size_t steps) {
  TimeganWindows w;
  const SequenceTable& seq = t.seq;
  const size_t nz = f.entities.variables(), nf = f.steps.features();
  w.steps = steps;
  w.features = nf;
  w.conditions = timegan_condition_width(f);
  for (size_t e = 0; e < seq.entities(); ++e) w.count += (seq.length(e) + steps - 1) / steps;
  w.x.assign(w.count * steps * nf, 0.0f);
  w.c.assign(w.count * steps * w.conditions, 0.0f);
  w.mask.assign(w.count * steps, 0.0f);
  w.observed.assign(w.count * steps * nf, 0.0f);
  const size_t nb = f.steps.blocks().size();
  std::vector<float> z(nz), prev(nf);
  size_t i = 0;
  for (size_t e = 0; e < seq.entities(); ++e) {
    for (size_t v = 0; v < nz; ++v)
      z[v] =
          static_cast<float>(t.scores(static_cast<Eigen::Index>(e), static_cast<Eigen::Index>(v)));
    const size_t length = seq.length(e);
    for (size_t begin = 0; begin < length; begin += steps, ++i) {
      if (begin > 0)
        timegan_features(f.steps,
                         t.features.data() + static_cast<size_t>(seq.row(e, begin - 1)) * nf,
                         prev.data());
      timegan_conditions(f, z.data(), begin > 0 ? prev.data() : nullptr, begin, steps, length,
                         w.c.data() + i * steps * w.conditions);
      for (size_t k = begin; k < std::min(length, begin + steps); ++k) {
        const size_t slot = i * steps + (k - begin);
        timegan_features(f.steps, t.features.data() + static_cast<size_t>(seq.row(e, k)) * nf,
                         w.x.data() + slot * nf);
        w.mask[slot] = 1.0f;
        const auto row = static_cast<size_t>(seq.row(e, k));
        for (size_t b = 0; b < nb; ++b) {
          const StepBlock& block = f.steps.blocks()[b];
          std::fill_n(w.observed.data() + slot * nf + block.feature, block.width,
                      t.observed[row * nb + b]);
        }
      }
    }
  }
  return w;
}

namespace {

std::vector<float> quantile_knots(std::vector<float> v, size_t count) {
  std::vector<float> out;
  if (v.size() < 2) return out;
  std::sort(v.begin(), v.end());
  const size_t k = std::min(count, v.size());
  for (size_t i = 0; i < k; ++i) out.push_back(v[i * (v.size() - 1) / (k - 1)]);
  return out;
}

// The distribution function of the knots at u, interpolated between knots.
double knot_cdf(const std::vector<float>& k, double u) {
  const auto i = static_cast<size_t>(std::upper_bound(k.begin(), k.end(), u) - k.begin());
  if (i == 0) return 0.0;
  if (i == k.size()) return 1.0;
  const double gap = static_cast<double>(k[i]) - k[i - 1];
  return (static_cast<double>(i - 1) + (gap > 0 ? (u - k[i - 1]) / gap : 0.5)) /
         static_cast<double>(k.size() - 1);
}

double knot_quantile(const std::vector<float>& k, double p) {
  const double x = std::clamp(p, 0.0, 1.0) * static_cast<double>(k.size() - 1);
  const auto i = std::min(static_cast<size_t>(x), k.size() - 2);
  return k[i] + (x - static_cast<double>(i)) * (static_cast<double>(k[i + 1]) - k[i]);
}

}  // namespace

TimeganCalibration TimeganCalibration::fit(Knots generated, Knots real, size_t count,
                                           size_t min_count) {
  TimeganCalibration c;
  c.generated.resize(generated.size());
  c.real.resize(generated.size());
  for (size_t b = 0; b < generated.size(); ++b) {
    if (generated[b].empty()) continue;
    std::vector<float> all_generated, all_real;
    for (size_t t = 0; t < generated[b].size(); ++t) {
      all_generated.insert(all_generated.end(), generated[b][t].begin(), generated[b][t].end());
      all_real.insert(all_real.end(), real[b][t].begin(), real[b][t].end());
    }
    for (size_t t = 0; t < generated[b].size(); ++t) {
      const bool enough = real[b][t].size() >= min_count && generated[b][t].size() >= min_count;
      c.generated[b].push_back(enough ? quantile_knots(generated[b][t], count)
                                      : std::vector<float>{});
      c.real[b].push_back(enough ? quantile_knots(real[b][t], count) : std::vector<float>{});
    }
    c.generated[b].push_back(quantile_knots(all_generated, count));
    c.real[b].push_back(quantile_knots(all_real, count));
  }
  return c;
}

double TimeganCalibration::apply(size_t b, size_t t, double u) const {
  if (b >= generated.size() || generated[b].empty()) return u;
  const size_t pooled = generated[b].size() - 1;
  const size_t at = t < pooled && generated[b][t].size() >= 2 ? t : pooled;
  const std::vector<float>& g = generated[b][at];
  const std::vector<float>& r = real[b][at];
  if (g.size() < 2 || r.size() < 2) return u;
  return std::clamp(knot_quantile(r, knot_cdf(g, u)), kScoreClip, 1.0 - kScoreClip);
}

void TimeganCalibration::save(ArchiveWriter& out) const {
  out.u64(generated.size());
  for (const Knots* knots : {&generated, &real})
    for (const auto& block : *knots) {
      out.u64(block.size());
      for (const auto& k : block) out.f64s(std::vector<double>(k.begin(), k.end()));
    }
}

TimeganCalibration TimeganCalibration::load(ArchiveReader& in, size_t blocks) {
  TimeganCalibration c;
  if (in.u64() != blocks) throw DataError("timegan: calibration does not match the step blocks");
  for (Knots* knots : {&c.generated, &c.real}) {
    knots->resize(blocks);
    for (size_t b = 0; b < blocks; ++b) {
      const uint64_t steps = in.u64();
      if (steps > (uint64_t{1} << 16)) throw DataError("timegan: impossible calibration size");
      for (uint64_t t = 0; t < steps; ++t) {
        const std::vector<double> k = in.f64s();
        if (!std::is_sorted(k.begin(), k.end())) throw DataError("timegan: unsorted calibration");
        (*knots)[b].emplace_back(k.begin(), k.end());
      }
    }
  }
  for (size_t b = 0; b < blocks; ++b)
    if (c.generated[b].size() != c.real[b].size())
      throw DataError("timegan: calibration does not match the step blocks");
  return c;
}

void timegan_draw_step(const StepCodec& codec, const TimeganCalibration& calibration, size_t t,
                       const float* x, bool first, const double* draws, double* u,
                       float* features) {
  std::fill_n(features, codec.features(), 0.0f);
  std::vector<int> missing_of(codec.models().size(), 0);
  for (size_t b = 0; b < codec.blocks().size(); ++b) {
    const StepBlock& block = codec.blocks()[b];
    const float* p = x + block.feature;
    const bool delta = codec.has_delta() && block.model + 1 == codec.models().size();
    switch (block.kind) {
      case StepBlockKind::gaussian: {
        const double v =
            calibration.apply(b, t, std::clamp<double>(p[0], kScoreClip, 1.0 - kScoreClip));
        u[b] = first && delta ? 0.5 : v;
        features[block.feature] = first && delta ? 0.5f : static_cast<float>(v);
        break;
      }
      case StepBlockKind::bernoulli: {
        const bool missing = draws[b] < std::clamp<double>(p[0], 0.0, 1.0);
        missing_of[block.model] = missing ? 1 : 0;
        features[block.feature] = missing ? 1.0f : 0.0f;
        u[b] = codec.outcome_uniform(b, missing ? 1 : 0);
        break;
      }
      case StepBlockKind::categorical: {
        double total = 0;
        for (size_t k = 0; k < block.width; ++k) total += std::max<double>(p[k], 0.0);
        double pick = draws[b] * total;
        size_t k = 0;
        for (; k + 1 < block.width; ++k) {
          pick -= std::max<double>(p[k], 0.0);
          if (pick < 0) break;
        }
        features[block.feature + k] = 1.0f;
        u[b] = codec.outcome_uniform(b, k);
        break;
      }
    }
  }
  // A missing number's feature is 0.5, as the real rows were encoded (score 0).
  for (const StepBlock& block : codec.blocks())
    if (block.kind == StepBlockKind::gaussian && missing_of[block.model])
      features[block.feature] = 0.5f;
}

}  // namespace calm
