// The copula layer over per-column models (column_model.hpp), shared by the tabular Gaussian copula
// (models/copula) and the sequence copula (models/sequence): which copula variables the columns
// give (a value or category variable, and an is-missing indicator), the normal scores of a table
// under the models, and the copula correlation estimated from those scores (Spearman inversion for
// continuous pairs, disattenuation for pairs with an interval variable: copula_correlation.hpp).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/memory_budget.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/table.hpp"
#include "transform/column_model.hpp"

namespace calm {

// Memory of fitting a copula of `variables` variables (about one per column; copula_temporal's
// lag pairs double it) on `rows` rows: the table's copies and the scores, and variables^2 for the
// correlation, its factor and their working copies (10,000 columns of 30 rows peaked at 4 GB).
MemoryEstimate copula_fit_memory(size_t rows, size_t columns, size_t variables);

struct CopulaVariable {
  size_t column;           // index into the column models
  bool missing_indicator;  // the column's is-missing indicator, else its value / category
};

// Throws DataError naming `what` unless every column model's var and missing_var is -1 or a
// variable below `variables` (a loaded model file must not index past its copula).
void check_copula_variables(const std::vector<ColumnModel>& columns, size_t variables,
                            const std::string& what);

// Numbers the copula variables of `columns` (setting ColumnModel::var and ::missing_var) and
// returns them: categorical columns and numeric columns with a marginal get a value variable,
// numeric columns with missing cells an indicator variable.
std::vector<CopulaVariable> assign_copula_variables(std::vector<ColumnModel>& columns);

// Normal scores of `data` (column j modelled by columns[j]), one matrix column per variable.
// A numeric value's score is Phi^-1 of its marginal CDF (0 when missing); an interval variable's
// is drawn uniformly inside the category's interval from Philox stream
// (seed, fit + stream_offset + column), so the result does not depend on `threads`.
Eigen::MatrixXd copula_scores(const std::vector<ColumnModel>& columns,
                              const std::vector<CopulaVariable>& vars, const Table& data,
                              uint64_t seed, int threads, uint64_t stream_offset = 0);

// Scores of one variable of `model` for values in Column::numeric encoding (NaN = missing) — the
// scores copula_scores gives a column, for values a method generated (a sequence's previous step).
// In-interval positions are drawn from `rng`.
void variable_scores(const ColumnModel& model, bool missing_indicator,
                     const std::vector<double>& values, Rng& rng, double* out);

// Per variable: the attenuation of an interval variable's correlations (between-category
// variance), 1 for a continuous variable.
Eigen::VectorXd copula_between(const std::vector<ColumnModel>& columns,
                               const std::vector<CopulaVariable>& vars);

// The copula correlation from the scores: Pearson correlation disattenuated for interval
// variables, Spearman inversion for continuous pairs, blended towards the observed correlation
// only as far as positive definiteness needs.
Eigen::MatrixXd copula_correlation(const Eigen::MatrixXd& scores, const Eigen::VectorXd& between);

// What copula_correlation reads from the scores, as sums that partitions of a table can compute
// apart and merge (the distributed copula fit): count, means and centred cross-products of the
// scores z and of u = Phi(z), merged with the pairwise update of Chan, Golub & LeVeque (1979).
struct ScoreMoments {
  double n = 0;
  Eigen::VectorXd mean_z, mean_u;
  Eigen::MatrixXd m2_z, m2_u;  // sum over rows of (x - mean)(x - mean)^T

  void add(const Eigen::MatrixXd& scores);
  void merge(const ScoreMoments& other);
  void save(ArchiveWriter& out) const;
  static ScoreMoments load(ArchiveReader& in);
};
Eigen::MatrixXd copula_correlation(const ScoreMoments& moments, const Eigen::VectorXd& between);

}  // namespace calm
