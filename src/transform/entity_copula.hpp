// A Gaussian copula over a table with one row per entity (Sklar 1959; the marginals and the
// correlation as the tabular gaussian_copula estimates them, Patki et al. 2016): the context model
// of the sequence methods. par (models/deep) draws an entity's context columns, length, start time
// and time span from it, and feeds the entity's latent normal scores to its recurrent network as
// the sequence's conditioning vector.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "transform/column_model.hpp"
#include "transform/copula_scores.hpp"

namespace calm {

class EntityCopula {
 public:
  // Per entity: the latent scores (one column per copula variable) and every column's value
  // (Column::numeric encoding, NaN = missing).
  struct Draws {
    Eigen::MatrixXd z;
    std::vector<std::vector<double>> values;  // [column][entity]
  };

  // Fits a column model per column of `entities` (semantics[j] its type; `forced` fixes the family
  // of numeric marginals) and the copula correlation. Returns the entities' latent scores (interval
  // positions drawn from Philox streams (seed, fit + stream_offset + column): any thread count
  // gives the same scores).
  Eigen::MatrixXd fit(const Table& entities, const std::vector<SemanticType>& semantics,
                      std::optional<MarginalFamily> forced, uint64_t seed, int threads,
                      uint64_t stream_offset);
  // `count` entities drawn from `rng`.
  Draws draw(size_t count, Rng& rng) const;

  const std::vector<ColumnModel>& models() const { return models_; }
  size_t variables() const { return vars_.size(); }

  // The column models, variables and Cholesky factor value for value: a loaded copula draws the
  // same entities.
  void save(ArchiveWriter& out) const;
  static EntityCopula load(ArchiveReader& in, const char* method);

 private:
  std::vector<ColumnModel> models_;
  std::vector<CopulaVariable> vars_;
  Eigen::MatrixXd lower_;  // Cholesky factor of the copula correlation
};

// A number as conform_to_schema will write it into a column shaped by `s` (clipped to the range,
// rounded to the decimals; other storage unchanged): how a sequence method reads a context value
// that bounds the time stamps, so that the bound still holds after the output is conformed.
double shaped_like_output(double x, const ColumnSchema& s);

}  // namespace calm
