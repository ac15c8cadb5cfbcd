// The metric space in which SMOTE and ADASYN look for neighbours. Numeric features are standardised
// (global mean/std), a missing value is replaced by the median of its class in that feature (for
// the distance only). Discrete features follow SMOTE-NC (Chawla et al. 2002, section 6.1): every
// mismatch adds the median of the numeric standard deviations, Med, to the distance; coding each
// discrete feature one-hot with the value Med/sqrt(2) makes plain Euclidean distance do exactly
// that (two coordinates differ by Med/sqrt(2), adding Med^2 to the squared distance).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace calm {

// The training rows' features (the class column excluded).
struct FeatureMatrix {
  size_t n = 0, p = 0, q = 0;
  std::vector<double> numeric;  // n x p, standardised, NaN = missing
  std::vector<int32_t> codes;   // n x q, level indices
  std::vector<int> levels;      // q

  double value(size_t row, size_t j) const { return numeric[row * p + j]; }
  int32_t code(size_t row, size_t j) const { return codes[row * q + j]; }
};

// Median of each numeric feature over `rows` (missing skipped; 0 when all are missing).
std::vector<double> feature_medians(const FeatureMatrix& f, const std::vector<uint32_t>& rows);

// Med: the median over numeric features of their standard deviation among `rows`; 1 when there is
// no numeric feature or the median is 0, so discrete mismatches still count.
double median_std(const FeatureMatrix& f, const std::vector<uint32_t>& rows);

// Row-major points (rows.size() x dimension()) for k-NN: numerics with missing values replaced by
// fill[group[r]][j], then the scaled one-hot discretes.
std::vector<double> embed_rows(const FeatureMatrix& f, const std::vector<uint32_t>& rows,
                               const std::vector<int>& group,
                               const std::vector<std::vector<double>>& fill, double med);
size_t embedding_dimension(const FeatureMatrix& f);

}  // namespace calm
