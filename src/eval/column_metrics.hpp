// Single-column metrics of SDMetrics 0.32 (sdmetrics/single_column/statistical/*.py):
// KSComplement, TVComplement (Column Shapes) and BoundaryAdherence, CategoryAdherence,
// KeyUniqueness (Data Validity). Each returns nullopt where SDMetrics returns NaN, with the
// error text SDMetrics would record when it raises.
#pragma once

#include <optional>
#include <string>

#include "eval/prepared_column.hpp"

namespace calm::eval {

struct Outcome {
  std::optional<double> score;
  std::string error;
};

// 1 - two-sample Kolmogorov-Smirnov D (Smirnov 1939) of the non-missing values; NaN if a side is
// empty. Float columns are first rounded to 14 decimals, as KSComplement does.
Outcome ks_complement(const NumericSide& real, const NumericSide& synthetic);
// 1 - total variation distance of the value frequencies (missing values dropped); synthetic-only
// values get the 1e-6 pseudo-count of sdmetrics.utils.get_frequencies.
Outcome tv_complement(const DiscreteSide& real, const DiscreteSide& synthetic, int32_t cardinality);
// Share of synthetic values inside [min, max] of the real ones (missing synthetic values are
// dropped when the real column has missing values, else they count as outside).
Outcome boundary_adherence(const NumericSide& real, const NumericSide& synthetic);
// Share of synthetic values that occur in the real column (missing counts as valid when the
// real column has missing values).
Outcome category_adherence(const DiscreteSide& real, const DiscreteSide& synthetic,
                           int32_t cardinality);
// 1 - share of synthetic rows that are missing or repeat an earlier key.
Outcome key_uniqueness(const DiscreteSide& synthetic, int32_t cardinality);

}  // namespace calm::eval
