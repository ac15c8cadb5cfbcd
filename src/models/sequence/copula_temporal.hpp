// `copula_temporal`: a Gaussian copula (Sklar 1959) over whole entities, a fast baseline for
// multi-entity sequences. The model, in the copula's latent normal scores:
//
//  1. Entity copula. Per entity one vector h = (context columns, sequence length, start time,
//     time span, the first step's varying values), each variable through its marginal (Patki et
//     al. 2016, column_model.hpp) and one Gaussian copula over all of them, estimated as the
//     tabular gaussian_copula estimates its correlation (transform/copula_scores.hpp).
//  2. Step copula. For steps k >= 1 one Gaussian copula over (e, p_k, x_{k-1}, x_k, d_k): e the
//     entity's latent scores of step 1 but the first-step values, p_k the step's position, x the
//     varying values (lag 1 and current, the marginals fitted on every row) and d_k the time step
//     (irregular time only). A step is drawn from the conditional Gaussian
//     x_k, d_k | e, p_k, x_{k-1} (Schur complement; transform/copula_correlation.hpp): the
//     Gaussian vector-autoregression of order 1 in copula space, with the entity's context as
//     exogenous input — the conditional ("lag") Gaussian copula of Joe (2015, "Dependence
//     Modeling with Copulas", ch. 8 on Markov copula time series) without a vine, as in Darsow,
//     Nguyen & Olsen (1992) for copula-based Markov chains.
//  3. Time (transform/sequence_time.hpp): regular series on the real grid; irregular ones from
//     the drawn steps scaled to the drawn span; the stamps stay ordered and inside the context
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
  enum class Slot : uint8_t { context, length, start, span, first_step };
  struct EntityDraws;  // one chunk of drawn entities (copula_temporal_sample.cpp)
  EntityDraws draw_entities(size_t count, Rng& rng) const;
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
  size_t max_length_ = 1;

  // Entity copula.
  std::vector<ColumnModel> entity_models_;
  std::vector<Slot> entity_slots_;
  std::vector<size_t> entity_source_;  // context / first_step: the table column
  std::vector<CopulaVariable> entity_vars_;
  Eigen::MatrixXd entity_lower_;

  // Step copula: conditioning (entity variables, position, lag) then generated (current, step).
  std::vector<ColumnModel> step_models_;  // the varying columns, on every row
  std::vector<CopulaVariable> step_vars_;
  std::vector<int> entity_inputs_;  // entity variables the steps condition on
  std::optional<ColumnModel> position_model_, delta_model_;
  ConditionalGaussian step_;
};

}  // namespace calm
