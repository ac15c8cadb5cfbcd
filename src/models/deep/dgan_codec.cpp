// dgan's entity layout: encoding real entities, reading generated ones (dgan_codec.hpp).
#include "models/deep/dgan_codec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "transform/normal_scores.hpp"

namespace calm {
namespace {

// Below this half-range an entity's number is constant: it is its midpoint, scaled value 0.
constexpr double kFlatHalfRange = 1e-6;

// A StepCodec's normal score as the networks' number: its uniform, scaled to [-1, 1].
float signed_uniform(float score) {
  return static_cast<float>(2.0 * normal_cdf(score) - 1.0);
}

std::vector<DganActivation> activations_of(const StepCodec& codec) {
  std::vector<DganActivation> out;
  for (const StepBlock& b : codec.blocks()) {
    const DganActivationKind kind = b.kind == StepBlockKind::gaussian ? DganActivationKind::tanh
                                    : b.kind == StepBlockKind::bernoulli
                                        ? DganActivationKind::sigmoid
                                        : DganActivationKind::softmax;
    out.push_back({kind, b.feature, b.width});
  }
  return out;
}

}  // namespace

DganCodec::DganCodec(StepCodec attributes, StepCodec features, size_t steps, bool flagged)
    : attributes_(std::move(attributes)),
      features_(std::move(features)),
      steps_(steps),
      flagged_(flagged) {
  if (steps_ == 0) throw InternalError("dgan: no steps");
  for (size_t b = 0; b < features_.blocks().size(); ++b)
    if (features_.blocks()[b].kind == StepBlockKind::gaussian) scaled_.push_back(b);
}

std::vector<DganActivation> DganCodec::attribute_activations() const {
  return activations_of(attributes_);
}

std::vector<DganActivation> DganCodec::additional_activations() const {
  std::vector<DganActivation> out;
  for (size_t i = 0; i < scaled_.size(); ++i) {
    out.push_back({DganActivationKind::tanh, 2 * i, 1});
    out.push_back({DganActivationKind::sigmoid, 2 * i + 1, 1});
  }
  return out;
}

std::vector<DganActivation> DganCodec::feature_activations() const {
  std::vector<DganActivation> out = activations_of(features_);
  if (flagged_) out.push_back({DganActivationKind::softmax, features_.features(), 2});
  return out;
}

DganEncoded DganCodec::encode(const std::vector<const Column*>& attribute_columns,
                              const std::vector<const Column*>& feature_columns,
                              const std::vector<double>& deltas, const SequenceTable& seq,
                              size_t cut) const {
  DganEncoded out;
  const size_t n = seq.entities(), na = attribute_width(), nadd = additional_width(),
               nf = features_.features(), fw = feature_width(), nb = features_.blocks().size();
  out.n = n;
  std::vector<float> values, observed;
  attributes_.encode(attribute_columns,
                     std::vector<double>(n, std::numeric_limits<double>::quiet_NaN()), values,
                     observed);
  out.attributes = values;
  for (const StepBlock& b : attributes_.blocks())
    if (b.kind == StepBlockKind::gaussian)
      for (size_t e = 0; e < n; ++e)
        out.attributes[e * na + b.feature] = signed_uniform(values[e * na + b.feature]);

  features_.encode(feature_columns, deltas, values, observed);
  out.additional.assign(n * nadd, 0.0f);
  out.features.assign(n * steps_ * fw, 0.0f);
  for (size_t e = 0; e < n; ++e) {
    const size_t length = std::min({seq.length(e), cut, steps_});
    float* entity = out.features.data() + e * steps_ * fw;
    for (size_t k = 0; k < length; ++k) {
      const auto row = static_cast<size_t>(seq.row(e, k));
      std::copy_n(values.data() + row * nf, nf, entity + k * fw);
      if (flagged_) entity[k * fw + nf + (k + 1 == length ? 1 : 0)] = 1.0f;
    }
    for (size_t i = 0; i < scaled_.size(); ++i) {
      const size_t b = scaled_[i], f = features_.blocks()[b].feature;
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (size_t k = 0; k < length; ++k) {
        const auto row = static_cast<size_t>(seq.row(e, k));
        if (observed[row * nb + b] == 0.0f) continue;
        const double x = signed_uniform(entity[k * fw + f]);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
      const bool any = lo <= hi;
      const double mid = any ? 0.5 * (hi + lo) : 0.0, half = any ? 0.5 * (hi - lo) : 0.0;
      for (size_t k = 0; k < length; ++k) {
        const auto row = static_cast<size_t>(seq.row(e, k));
        float& x = entity[k * fw + f];
        x = observed[row * nb + b] == 0.0f || half < kFlatHalfRange
                ? 0.0f
                : static_cast<float>(std::clamp((signed_uniform(x) - mid) / half, -1.0, 1.0));
      }
      out.additional[e * nadd + 2 * i] = static_cast<float>(mid);
      out.additional[e * nadd + 2 * i + 1] = static_cast<float>(half);
    }
  }
  return out;
}

size_t DganCodec::length(const float* features) const {
  const size_t nf = features_.features(), fw = feature_width();
  if (!flagged_) return steps_;
  for (size_t k = 0; k < steps_; ++k)
    if (features[k * fw + nf + 1] > features[k * fw + nf]) return k + 1;
  return steps_;
}

void DganCodec::attribute_uniforms(const float* attributes, double* u) const {
  std::vector<float> values(attributes, attributes + attribute_width());
  for (const StepBlock& b : attributes_.blocks())
    if (b.kind == StepBlockKind::gaussian) values[b.feature] = 0.5f * (values[b.feature] + 1.0f);
  attributes_.uniforms_of(values.data(), u);
}

void DganCodec::step_uniforms(const float* additional, const float* features, size_t length,
                              std::vector<double>& step_u) const {
  const size_t nf = features_.features(), fw = feature_width(), nb = features_.blocks().size();
  std::vector<float> values(nf);
  for (size_t k = 0; k < length; ++k) {
    std::copy_n(features + k * fw, nf, values.begin());
    for (size_t i = 0; i < scaled_.size(); ++i) {
      const size_t f = features_.blocks()[scaled_[i]].feature;
      const double x =
          std::clamp<double>(values[f] * additional[2 * i + 1] + additional[2 * i], -1.0, 1.0);
      values[f] = static_cast<float>(0.5 * (x + 1.0));
    }
    const size_t at = step_u.size();
    step_u.resize(at + nb);
    features_.uniforms_of(values.data(), step_u.data() + at);
  }
}

void DganCodec::save(ArchiveWriter& out) const {
  out.tag("dgan-codec-v1");
  attributes_.save(out);
  features_.save(out);
  out.u64(steps_);
  out.boolean(flagged_);
}

DganCodec DganCodec::load(ArchiveReader& in) {
  in.tag("dgan-codec-v1");
  StepCodec attributes = StepCodec::load(in);
  StepCodec features = StepCodec::load(in);
  const uint64_t steps = in.u64();
  if (steps == 0 || steps > (uint64_t{1} << 24)) throw DataError("dgan: bad sequence length");
  const bool flagged = in.boolean();
  return DganCodec(std::move(attributes), std::move(features), static_cast<size_t>(steps), flagged);
}

}  // namespace calm
