// Multi-column views for the reports: Pearson correlation matrices and a 2-D PCA projection of
// real and synthetic rows (Pearson 1901; principal axes from the eigen-decomposition of the
// covariance of the standardised columns, Eigen's SelfAdjointEigenSolver).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm::report {

// The columns a correlation can use: numerical, datetime and boolean, in schema order, at most
// `max_columns` (the first ones).
std::vector<std::string> correlation_columns(const Schema& schema, size_t max_columns);

// Pearson correlation of every pair over the rows where both are present (pandas' DataFrame.corr
// convention), row-major k x k; NaN where undefined (constant column, < 2 common rows).
std::vector<double> pearson_matrix(const Table& t, const std::vector<std::string>& columns,
                                   int threads);

struct Projection {
  std::vector<std::string> columns;
  std::vector<double> real_xy, synthetic_xy;  // interleaved (x, y) per projected row
  double explained[2] = {0, 0};               // variance share of PC1, PC2
  std::string note;                           // why there is no projection (columns empty)
};

// PCA fitted on up to `sample_rows` complete rows of each side (seeded subsample), columns
// standardised by the real mean and standard deviation; both samples projected on PC1/PC2.
Projection pca_projection(const Table& real, const Table& synthetic, const Schema& schema,
                          size_t sample_rows, uint64_t seed);

}  // namespace calm::report
