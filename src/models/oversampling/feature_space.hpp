// The metric space in which SMOTE and ADASYN look for neighbours. Numeric features are standardised
// (global mean/std) for the distance; a missing value is replaced by the median of its class in
// that feature (for the distance only). Discrete features follow SMOTE-NC (Chawla et al. 2002,
// section 6.1): every mismatch adds the median of the numeric standard deviations, Med, to the
// distance; coding each discrete feature one-hot with the value Med/sqrt(2) makes plain Euclidean
// distance do exactly that (two coordinates differ by Med/sqrt(2), adding Med^2 to the squared
// distance).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace calm {

// The training rows' features (the class column excluded), column-major so that building one
// output column reads one contiguous array.
struct FeatureMatrix {
  size_t n = 0, p = 0, q = 0;
  std::vector<double> numeric;       // p x n, the column's own units, NaN = missing
  std::vector<double> mean, scale;   // p: standardised = (x - mean) / scale
  std::vector<uint8_t> has_missing;  // p: some value of the feature is missing
  std::vector<int32_t> codes;        // q x n, level indices
  std::vector<int> levels;           // q

  double value(size_t row, size_t j) const { return numeric[j * n + row]; }
  double standard(size_t row, size_t j) const { return (value(row, j) - mean[j]) / scale[j]; }
  int32_t code(size_t row, size_t j) const { return codes[j * n + row]; }
};

// Median of each numeric feature over `rows`, own units (missing skipped; 0 when all missing).
// Only features with missing values need one (it fills them); the others get 0.
std::vector<double> feature_medians(const FeatureMatrix& f, const std::vector<uint32_t>& rows);

// Med: the median over numeric features of their standard deviation (standardised units) among
// `rows`; 1 when there is no numeric feature or the median is 0, so discrete mismatches count.
double median_std(const FeatureMatrix& f, const std::vector<uint32_t>& rows);

// Row-major points (rows.size() x embedding_dimension()) for k-NN: standardised numerics with
// missing values replaced by fill[group[r]][j] (own units), then the scaled one-hot discretes.
std::vector<double> embed_rows(const FeatureMatrix& f, const std::vector<uint32_t>& rows,
                               const std::vector<int>& group,
                               const std::vector<std::vector<double>>& fill, double med);
size_t embedding_dimension(const FeatureMatrix& f);

}  // namespace calm
