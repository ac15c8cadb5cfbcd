// par's step features: encoding real rows, drawing a step from the network's outputs, decoding.
#include "models/deep/par_steps.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "transform/normal_scores.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kMaxScore = normal_score(1.0 - kScoreClip);

double clamped_cdf(double z) {
  return std::clamp(normal_cdf(z), kScoreClip, 1.0 - kScoreClip);
}

// The middle of a category's interval: the uniform that decodes to it.
double middle(const FrequencyIntervals& intervals, size_t k) {
  return 0.5 * (intervals.lower(k) + intervals.upper(k));
}

}  // namespace

StepCodec::StepCodec(std::vector<ColumnModel> models, bool has_delta)
    : models_(std::move(models)), has_delta_(has_delta) {
  value_block_.assign(models_.size(), -1);
  missing_block_.assign(models_.size(), -1);
  auto add = [&](StepBlockKind kind, size_t m, size_t width) {
    StepBlock b{kind, m, features_, width, outputs_};
    features_ += width;
    outputs_ += kind == StepBlockKind::gaussian ? 2 : width;
    blocks_.push_back(b);
    return static_cast<int>(blocks_.size() - 1);
  };
  for (size_t m = 0; m < models_.size(); ++m) {
    const ColumnModel& c = models_[m];
    if (c.role == ColumnRole::categorical) {
      value_block_[m] = add(StepBlockKind::categorical, m, c.intervals.size());
    } else if (c.role == ColumnRole::numeric) {
      if (c.marginal) value_block_[m] = add(StepBlockKind::gaussian, m, 1);
      if (c.has_missing_var) missing_block_[m] = add(StepBlockKind::bernoulli, m, 1);
    }
  }
}

void StepCodec::encode(const std::vector<const Column*>& columns, const std::vector<double>& deltas,
                       std::vector<float>& features, std::vector<float>& observed) const {
  const size_t n = deltas.size(), nb = blocks_.size();
  features.assign(n * features_, 0.0f);
  observed.assign(n * nb, 1.0f);
  std::vector<double> scores(n);
  for (size_t b = 0; b < nb; ++b) {
    const StepBlock& block = blocks_[b];
    const ColumnModel& m = models_[block.model];
    const bool delta = has_delta_ && block.model + 1 == models_.size();
    const Column* col = delta ? nullptr : columns[block.model];
    auto value = [&](size_t i) { return delta ? deltas[i] : col->numeric(i); };
    switch (block.kind) {
      case StepBlockKind::gaussian: {
        if (delta) {
          const Column c = Column::float64("", deltas);
          numeric_scores(m, c, scores.data());
        } else {
          numeric_scores(m, *col, scores.data());
        }
        for (size_t i = 0; i < n; ++i) {
          features[i * features_ + block.feature] = static_cast<float>(scores[i]);
          if (!std::isfinite(value(i))) observed[i * nb + b] = 0.0f;
        }
        break;
      }
      case StepBlockKind::bernoulli:
        for (size_t i = 0; i < n; ++i)
          features[i * features_ + block.feature] = std::isfinite(value(i)) ? 0.0f : 1.0f;
        break;
      case StepBlockKind::categorical:
        for (size_t i = 0; i < n; ++i) {
          const long k = m.intervals.index_of(value(i));
          if (k < 0) throw InternalError("par: a category the step model has not seen");
          features[i * features_ + block.feature + static_cast<size_t>(k)] = 1.0f;
        }
        break;
    }
  }
}

double StepCodec::draw(const float* out, bool first, Rng& rng, float* features, double* u) const {
  std::fill(features, features + features_, 0.0f);
  double loglik = 0;
  for (size_t b = 0; b < blocks_.size(); ++b) {
    const StepBlock& block = blocks_[b];
    const float* o = out + block.output;
    if (first && has_delta_ && block.model + 1 == models_.size()) {
      u[b] = 0.5;
      continue;
    }
    switch (block.kind) {
      case StepBlockKind::gaussian: {
        const double log_sd = std::clamp<double>(o[1], kParMinLogSd, kParMaxLogSd);
        const double w = rng.normal();
        const double z = std::clamp(o[0] + std::exp(log_sd) * w, -kMaxScore, kMaxScore);
        loglik += -0.5 * w * w - log_sd;
        features[block.feature] = static_cast<float>(z);
        u[b] = clamped_cdf(z);
        break;
      }
      case StepBlockKind::bernoulli: {
        const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(o[0])));
        const bool missing = rng.uniform() < p;
        loglik += std::log(std::max(missing ? p : 1.0 - p, 1e-300));
        features[block.feature] = missing ? 1.0f : 0.0f;
        u[b] = outcome_uniform(b, missing ? 1 : 0);
        break;
      }
      case StepBlockKind::categorical: {
        double top = o[0];
        for (size_t k = 1; k < block.width; ++k) top = std::max<double>(top, o[k]);
        double total = 0;
        for (size_t k = 0; k < block.width; ++k) total += std::exp(o[k] - top);
        double pick = rng.uniform() * total;
        size_t k = 0;
        for (; k + 1 < block.width; ++k) {
          pick -= std::exp(o[k] - top);
          if (pick < 0) break;
        }
        loglik += o[k] - top - std::log(total);
        features[block.feature + k] = 1.0f;
        u[b] = outcome_uniform(b, k);
        break;
      }
    }
  }
  // A missing number has score 0, as the real rows were encoded.
  for (size_t m = 0; m < models_.size(); ++m)
    if (missing_block_[m] >= 0 && value_block_[m] >= 0 &&
        features[blocks_[static_cast<size_t>(missing_block_[m])].feature] == 1.0f)
      features[blocks_[static_cast<size_t>(value_block_[m])].feature] = 0.0f;
  return loglik;
}

void StepCodec::uniforms_of(const float* values, double* u) const {
  for (size_t b = 0; b < blocks_.size(); ++b) {
    const StepBlock& block = blocks_[b];
    const float* v = values + block.feature;
    switch (block.kind) {
      case StepBlockKind::gaussian:
        u[b] = std::clamp<double>(v[0], kScoreClip, 1.0 - kScoreClip);
        break;
      case StepBlockKind::bernoulli:
        u[b] = outcome_uniform(b, v[0] > 0.5f ? 1 : 0);
        break;
      case StepBlockKind::categorical:
        u[b] = outcome_uniform(b, static_cast<size_t>(std::max_element(v, v + block.width) - v));
        break;
    }
  }
}

double StepCodec::outcome_uniform(size_t b, size_t k) const {
  const StepBlock& block = blocks_[b];
  const ColumnModel& m = models_[block.model];
  if (block.kind == StepBlockKind::categorical) return middle(m.intervals, k);
  const long i = m.intervals.index_of(k == 1 ? 1.0 : 0.0);
  return i < 0 ? (k == 1 ? 1.0 : 0.0) : middle(m.intervals, static_cast<size_t>(i));
}

std::vector<double> StepCodec::decode(size_t m, const std::vector<double>& u, size_t n) const {
  const size_t nb = blocks_.size();
  std::vector<double> value_u, missing_u;
  auto gather = [&](int b, std::vector<double>& to) {
    if (b < 0) return static_cast<const double*>(nullptr);
    to.resize(n);
    for (size_t i = 0; i < n; ++i) to[i] = u[i * nb + static_cast<size_t>(b)];
    return static_cast<const double*>(to.data());
  };
  const double* v = gather(value_block_[m], value_u);
  const double* miss = gather(missing_block_[m], missing_u);
  std::vector<double> out(n, kNaN);
  models_[m].decode(v, miss, n, out.data());
  return out;
}

void StepCodec::save(ArchiveWriter& out) const {
  out.tag("par-steps-v1");
  out.u64(models_.size());
  for (const ColumnModel& m : models_) save_column_model(out, m);
  out.boolean(has_delta_);
}

StepCodec StepCodec::load(ArchiveReader& in) {
  in.tag("par-steps-v1");
  const uint64_t n = in.u64();
  if (n > (uint64_t{1} << 20)) throw DataError("par: impossible step column count");
  std::vector<ColumnModel> models;
  for (uint64_t i = 0; i < n; ++i) models.push_back(load_column_model(in));
  const bool has_delta = in.boolean();
  if (has_delta && models.empty()) throw DataError("par: time step without its model");
  return StepCodec(std::move(models), has_delta);
}

}  // namespace calm
