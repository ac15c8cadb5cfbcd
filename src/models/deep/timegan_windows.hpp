// What TimeGAN's networks (timegan.hpp) read and write per step, and the training windows.
// Engine side: no libtorch.
//
// Step features: StepCodec's layout (par_steps.hpp) with every number quantile-normalised, u =
// F(x) in (0, 1) (the paper min-max scales; the quantile keeps the real marginal whatever its
// shape, and decoding u through the column model gives it back), a missing number's u at 0.5
// next to its is-missing indicator (0/1), a category one-hot, irregular time's step as one more
// number.
//
// Conditions per step: the entity's latent context scores (the entity copula's, levels included),
// the features of the step before the window (zeros and a flag for an entity's first window), and
// the step's place in its entity: k / (L - 1) and log1p(steps left) / log1p(longest entity).
#pragma once

#include <vector>

#include "calm/core/rng.hpp"
#include "models/deep/sequence_frame.hpp"

namespace calm {

struct TimeganWindows {
  size_t count = 0, steps = 0, features = 0, conditions = 0;
  std::vector<float> x;     // count x steps x features
  std::vector<float> c;     // count x steps x conditions
  std::vector<float> mask;  // count x steps: 1 on an entity's steps, 0 past its end
  // count x steps x features: 1 where the feature holds a value (not a missing number's 0.5, not
  // past the end): the reconstruction and the moments compare values only.
  std::vector<float> observed;
};

// Steps per window: seq_len, or the longest entity when every entity is shorter.
size_t timegan_window_steps(const SequenceFrame& f, size_t seq_len);
size_t timegan_condition_width(const SequenceFrame& f);

// The network features of one step from StepCodec's (numbers' normal scores become Phi(score)).
void timegan_features(const StepCodec& codec, const float* codec_features, float* out);

// The conditions of the `steps` steps of a window starting at step `begin` of an entity of
// `length` steps with latent scores `z`; `prev`: the features of step begin - 1 (null for the
// first window). Rows past the entity's end are filled too (masked by the caller).
void timegan_conditions(const SequenceFrame& f, const float* z, const float* prev, size_t begin,
                        size_t steps, size_t length, float* c);

// Every entity cut into consecutive windows of `steps` steps (the last one shorter, masked).
TimeganWindows timegan_windows(const SequenceFrame& f, const SequenceFrame::Training& t,
                               size_t steps);

// Quantile mapping of the generated numbers per window step: the u the generator gives a number
// at step t of a window goes through the distribution function of the u it generated for the
// training windows at t, then through the quantile function of the real u at t (both kept as
// knots; a step with fewer than `min_count` values uses every step pooled). Ranks are kept (the
// learned dynamics and dependence between columns), and each position's marginal is the real
// one, where a short adversarial training leaves the generated values bunched or drifting.
struct TimeganCalibration {
  using Knots = std::vector<std::vector<std::vector<float>>>;  // [block][step, pooled last]
  Knots generated, real;                                       // sorted; empty: none (not a number)

  // From the values per [block][step] (empty blocks: no mapping), at most `count` knots each.
  static TimeganCalibration fit(Knots generated, Knots real, size_t count, size_t min_count);
  double apply(size_t b, size_t t, double u) const;
  void save(ArchiveWriter& out) const;
  static TimeganCalibration load(ArchiveReader& in, size_t blocks);
};

// A generated step `x` (the recovery network's activated output: u for numbers, probabilities for
// indicators and categories) into the blocks' uniforms for StepCodec::decode and the drawn step's
// features (for the next window's conditions). Indicators and categories are drawn from their
// probabilities with the entity's own uniform per block, `draws` (the same at every step: a
// category changes when its probabilities move across the draw, as real stages do, instead of
// flickering from step to step, and each step still has the generated probabilities); numbers go
// through `calibration` at `t`, the step's place in its window; an entity's first step has no time
// step (u 0.5).
void timegan_draw_step(const StepCodec& codec, const TimeganCalibration& calibration, size_t t,
                       const float* x, bool first, const double* draws, double* u, float* features);

}  // namespace calm
