// How dgan (dgan.hpp) sees an entity: DoppelGANger's attributes, additional attributes and
// padded feature sequence, as the networks read and write them. Engine side: no libtorch.
//
// Both the attributes (context columns, and with a time column the entity's start and span) and
// the step features (varying columns, and for irregular time the step) are laid out by a
// StepCodec (par_steps.hpp): a number is its uniform F(x) under its column's marginal, scaled to
// [-1, 1] (tanh output); an is-missing indicator is 0/1 (sigmoid); a category one-hot (softmax).
// Unlike gretel's DGAN, categories are kept, and lengths vary:
//  - every step carries DoppelGANger's generation flag, a 2-way softmax: [1, 0] while the entity
//    goes on, [0, 1] at its last step, [0, 0] (with all features 0) on the padding after it.
//    Where every real entity has the same length (after the cut to seq_len) there is no flag, as
//    in gretel's DGAN: every generated entity has that length;
//  - auto-normalisation (DoppelGANger's "min/max generator"): each number of the steps is scaled
//    by its entity's own midpoint and half-range over its observed steps, which become two
//    additional attributes (midpoint: tanh, half-range: sigmoid). Missing numbers and the time
//    step of an entity's first row are 0 after scaling.
#pragma once

#include <cstdint>
#include <vector>

#include "calm/core/archive.hpp"
#include "core/sequence_table.hpp"
#include "models/deep/par_steps.hpp"

namespace calm {

enum class DganActivationKind : uint8_t { tanh, sigmoid, softmax };

struct DganActivation {
  DganActivationKind kind = DganActivationKind::tanh;
  size_t begin = 0, width = 1;
};

// Real entities in the networks' layout, row-major.
struct DganEncoded {
  size_t n = 0;
  std::vector<float> attributes;  // n x attribute_width()
  std::vector<float> additional;  // n x additional_width()
  std::vector<float> features;    // n x steps() x feature_width()
};

class DganCodec {
 public:
  DganCodec() = default;
  // `attributes`: the entity-level models; `features`: the step models (par's layout); `steps`:
  // the padded sequence length; `flagged`: whether steps carry the generation flag.
  DganCodec(StepCodec attributes, StepCodec features, size_t steps, bool flagged);

  const StepCodec& attributes() const { return attributes_; }
  const StepCodec& features() const { return features_; }
  size_t steps() const { return steps_; }
  bool flagged() const { return flagged_; }
  size_t attribute_width() const { return attributes_.features(); }
  size_t additional_width() const { return 2 * scaled_.size(); }
  size_t feature_width() const { return features_.features() + (flagged_ ? 2 : 0); }

  std::vector<DganActivation> attribute_activations() const;
  std::vector<DganActivation> additional_activations() const;
  std::vector<DganActivation> feature_activations() const;  // one step's

  // `attribute_columns[m]`: attribute model m's value per entity; `feature_columns[v]` and
  // `deltas`: per table row (as StepCodec::encode); entities longer than `cut` (<= steps()) are
  // cut.
  DganEncoded encode(const std::vector<const Column*>& attribute_columns,
                     const std::vector<const Column*>& feature_columns,
                     const std::vector<double>& deltas, const SequenceTable& seq, size_t cut) const;

  // A generated entity: its length (up to its first step whose flag says "last"; steps() without
  // the flag), the uniforms
  // of its attribute blocks (attributes().blocks()) and of its steps' blocks (length x
  // features().blocks(), appended to `step_u`).
  size_t length(const float* features) const;
  void attribute_uniforms(const float* attributes, double* u) const;
  void step_uniforms(const float* additional, const float* features, size_t length,
                     std::vector<double>& step_u) const;

  void save(ArchiveWriter& out) const;
  static DganCodec load(ArchiveReader& in);

 private:
  StepCodec attributes_, features_;
  size_t steps_ = 1;
  bool flagged_ = true;
  std::vector<size_t> scaled_;  // the feature blocks that are numbers (auto-normalised)
};

}  // namespace calm
