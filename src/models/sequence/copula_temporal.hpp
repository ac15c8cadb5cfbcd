// `copula_temporal`: a Gaussian copula (Sklar 1959) over whole entities, a fast baseline for
// multi-entity sequences. The model, in the copula's latent normal scores:
//
//  1. Entity copula. Per entity one vector h = (context columns, sequence length, start time,
//     time span, the first step's varying values, the entity's level of each varying variable —
//     the mean of its scores over the entity's rows, a random intercept), each variable through
//     its marginal (Patki et al. 2016, column_model.hpp) and one Gaussian copula over all of them,
//     estimated as the tabular gaussian_copula estimates its correlation
//     (transform/copula_scores.hpp).
//  2. Step copula. For steps k >= 1 one Gaussian copula over (e, p_k, x_{k-1}, x_k, d_k): e the
//     entity's latent scores but the first-step values (its levels included, so that each
//     series reverts to its own level), p_k the step's position, x the varying values (lag 1 and
//     current, the marginals fitted on every row) and d_k the time step (irregular time only).
//     A step is drawn from the conditional Gaussian x_k, d_k | e, p_k, x_{k-1} (Schur
//     complement; transform/copula_correlation.hpp) of the scores standardised by their means and
//     deviations over the real pairs (a regression with intercept: pairs weight long entities
//     more, and later steps differ from the first): the Gaussian vector autoregression of order 1
//     in copula space with the entity as exogenous input — the Markov ("lag") copula time series
//     of Darsow, Nguyen & Olsen (1992) and Joe (2015, "Dependence Modeling with Copulas", ch. 8),
//     Gaussian and without a vine. The chain runs on observed values: a category's (or an
//     is-missing indicator's) lag is re-encoded from the category drawn, as the fit encoded the
//     real lags, which keeps the chain stationary.
//  3. Time (transform/sequence_time.hpp): regular series on the real grid; irregular ones from
//     the drawn steps scaled to the drawn span (drawn as a share of the room up to the upper
//     bound when there is one); the stamps stay ordered and inside the context
//     bounds the real data keep (a visit day never after the follow-up time). Columns that are
//     functions of time (year, month) are looked up from the stamp.
//  4. Keys: fresh, in the real keys' look (transform/entity_keys.hpp).
//
// n_samples counts rows by default (the seed's meaning: whole entities until n rows, the last one
// cut to fit); model_params sample_unit = "entities" makes it count entities, as SDV's PAR does.
// Entity chunks of kSampleChunk draw from Philox streams of their own, so the output does not
// depend on the thread count.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "calm/core/synthesizer.hpp"
#include "core/sequence_table.hpp"
#include "transform/column_model.hpp"
#include "transform/copula_correlation.hpp"
#include "transform/copula_scores.hpp"
#include "transform/entity_keys.hpp"
#include "transform/sequence_time.hpp"

namespace calm {

class CopulaTemporalSynthesizer final : public Synthesizer {
 public:
  static ParamSpec param_spec();

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  bool concurrent_sampling() const override { return true; }
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

 private:
  // What the entity copula's columns are.
  enum class Slot : uint8_t { context, length, start, span, first_step, level };
  struct EntityDraws;  // one chunk of drawn entities (copula_temporal_sample.cpp)
  EntityDraws draw_entities(size_t count, Rng& rng) const;
  // The context bounds of one entity's stamps (coordinates, NaN = none); `context(column)` gives
  // the entity's value of a table column.
  template <typename Context>
  void time_bounds(const Context& context, double& lo, double& hi) const;
  void draw_steps(const EntityDraws& h, size_t first, size_t count, Rng& rng,
                  std::vector<Eigen::VectorXd>& latent) const;

  // Output layout.
  std::vector<Column> prototypes_;  // every column of the fitted table, no cells
  size_t key_ = 0;
  std::optional<size_t> time_;
  std::vector<size_t> varying_;  // generated step by step (time-determined columns excluded)
  EntityKeys keys_;
  std::optional<SequenceTime> timing_;
  bool rows_unit_ = true;
  // The span variable is the share of the room left under the upper bound, (last - start) /
  // (bound - start), so that stamps end inside it as the real ones do.
  bool span_as_share_ = false;
  size_t max_length_ = 1;

  // Entity copula.
  std::vector<ColumnModel> entity_models_;
  std::vector<Slot> entity_slots_;
  std::vector<size_t> entity_source_;  // context / first_step: the table column
  // Context columns as the output will hold them (range, decimals): the time bounds are read from
  // the values after this shaping, so that a clipped bound still holds.
  Schema context_shape_;
  std::vector<CopulaVariable> entity_vars_;
  Eigen::MatrixXd entity_lower_;

  // Step copula: conditioning (entity variables, position, lag) then generated (current, step).
  std::vector<ColumnModel> step_models_;  // the varying columns, on every row
  std::vector<CopulaVariable> step_vars_;
  std::vector<int> entity_inputs_;  // entity variables the steps condition on
  std::optional<ColumnModel> position_model_, delta_model_;
  ConditionalGaussian step_;  // on the standardised scores
  // Mean and standard deviation of each step copula variable's scores over the real pairs (they
  // are not 0 and 1: pairs weight long entities more, and later steps differ from the first).
  Eigen::VectorXd step_mean_, step_sd_;
};

template <typename Context>
void CopulaTemporalSynthesizer::time_bounds(const Context& context, double& lo, double& hi) const {
  lo = hi = std::numeric_limits<double>::quiet_NaN();
  if (!timing_) return;
  for (const TimeBound& b : timing_->bounds) {
    const double x = timing_->axis.coordinate(context(b.column));
    if (std::isnan(x)) continue;
    double& bound = b.upper ? hi : lo;
    bound = std::isnan(bound) ? x : b.upper ? std::min(bound, x) : std::max(bound, x);
  }
}

}  // namespace calm
