// How par (par.hpp) sees one step of a sequence: the feature vector the recurrent network reads
// and predicts, and the output distribution of each part of it. Engine side: no libtorch.
//
// Per varying column (its ColumnModel fitted on every row):
//  - a number: its normal score Phi^-1(F(x)) under the column's marginal, predicted by a Gaussian
//    (mean, log standard deviation): a standard normal output gives back the real marginal;
//  - a number with missing cells: also an is-missing feature (0/1), predicted by a Bernoulli
//    (one logit); a missing value's score is 0;
//  - a category (missing is a category): one-hot, predicted by a softmax over its categories;
//  - constant and id columns: nothing (written at decoding).
// Irregular time adds the step to the previous stamp as one more number (its own marginal).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/table.hpp"
#include "transform/column_model.hpp"

namespace calm {

// Log standard deviations of the Gaussian outputs are kept in this range (the network's raw output
// is clamped, in training and sampling alike): no collapse onto a point, no runaway noise.
inline constexpr double kParMinLogSd = -7.0, kParMaxLogSd = 2.0;

enum class StepBlockKind : uint8_t { gaussian, bernoulli, categorical };

struct StepBlock {
  StepBlockKind kind = StepBlockKind::gaussian;
  size_t model = 0;    // index into StepCodec::models()
  size_t feature = 0;  // first feature (input and target)
  size_t width = 1;    // features: 1, or the categories of a softmax
  size_t output = 0;   // first network output (a Gaussian has two: mean, log sd)
};

class StepCodec {
 public:
  // `models`: the varying columns' models, then (irregular time) the time step's model last.
  explicit StepCodec(std::vector<ColumnModel> models = {}, bool has_delta = false);

  const std::vector<ColumnModel>& models() const { return models_; }
  bool has_delta() const { return has_delta_; }
  const std::vector<StepBlock>& blocks() const { return blocks_; }
  size_t features() const { return features_; }
  size_t outputs() const { return outputs_; }

  // Feature rows (n x features(), row-major) and per block whether it is observed (n x blocks():
  // a number that is missing, or the step of an entity's first row, has no value to predict).
  // `columns[v]` holds varying column v's n values; `deltas` the time steps (NaN: none).
  void encode(const std::vector<const Column*>& columns, const std::vector<double>& deltas,
              std::vector<float>& features, std::vector<float>& observed) const;

  // Draws one step from the network's outputs `out` (outputs()): writes its features and each
  // block's uniform (for decode()), and returns the step's log-likelihood. `first` skips the time
  // step (an entity's first row has none).
  double draw(const float* out, bool first, Rng& rng, float* features, double* u) const;

  // The uniform that decode() turns into outcome k of a Bernoulli (k = 1: missing) or categorical
  // block b (the middle of its interval).
  double outcome_uniform(size_t b, size_t k) const;

  // The block uniforms (for decode()) of one step given by a generator's outputs rather than
  // drawn: `values` in feature layout, where a number is its uniform F(x) itself, an is-missing
  // indicator the probability of missing (above 1/2: missing) and a category's values are scores
  // (the largest wins). DoppelGANger (dgan.hpp) reads its outputs this way.
  void uniforms_of(const float* values, double* u) const;

  // Column values (Column::numeric encoding) of model m for rows whose uniforms are `u`
  // (n x blocks(), row-major).
  std::vector<double> decode(size_t m, const std::vector<double>& u, size_t n) const;

  void save(ArchiveWriter& out) const;
  static StepCodec load(ArchiveReader& in);

 private:
  std::vector<ColumnModel> models_;
  bool has_delta_ = false;
  std::vector<StepBlock> blocks_;
  std::vector<int> value_block_, missing_block_;  // per model, -1: none
  size_t features_ = 0, outputs_ = 0;
};

}  // namespace calm
