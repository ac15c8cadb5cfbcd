// Privacy metrics of a synthetic table: distance to closest record (DCR) of each synthetic row to
// the training rows, compared with the DCR of real hold-out rows to the same training rows (a
// fresh draw from the real distribution is the baseline: synthetic rows much closer than that are
// a memorisation signal); nearest-neighbour distance ratio (NNDR); exact-copy rate.
// Distance: HEOM-style mixed-type Euclidean distance (Wilson & Martinez 1997): numerics scaled by
// the real range, 0/1 mismatch for categoricals, missing values as documented in docs/metrics.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct PrivacyOptions {
  double holdout_fraction = 0.2;  // split_for_privacy: share of the real rows held out
  int threads = 1;                // 0 = all cores
  uint64_t seed = 0;
  // DCR/NNDR are estimated on at most this many synthetic rows and this many hold-out rows
  // (seeded subsample; 0 = all). Exact copies are always counted on every row.
  // The defaults bound the search at 2 x 4,000 x 50,000 distances whatever the table size (under
  // 1 s on 2 cores); the medians' bootstrap standard errors are reported with them (about 1-2%
  // of the median at 4,000 rows). Figures against the former exact search over 20,000 queries and
  // every training row: tests/cpp/test_privacy.cpp (PrivacyBudget).
  size_t max_query_rows = 4000;
  // Distances are measured to at most this many training rows (seeded subsample; 0 = all). Both
  // query sets are measured to the same rows, so the synthetic/hold-out comparison keeps its
  // meaning; the report says how many were used.
  size_t max_reference_rows = 50000;
  size_t bootstrap_rounds = 200;  // for the standard errors of the medians and their ratio
  // A categorical column keeps its most frequent real levels up to this many; rarer levels share
  // one "other" level (keeps the k-d tree's dimension bounded).
  size_t max_levels = 32;
};

struct PrivacyReport {
  std::vector<std::string> columns;  // the columns compared (schema order, id columns left out)
  size_t train_rows = 0, holdout_rows = 0, synthetic_rows = 0;
  size_t reference_rows = 0;  // training rows the distances are measured to
  uint64_t sample_seed = 0;   // of the seeded subsamples (reference and queries)
  // Per queried row: distance to the nearest training row, and nearest / second-nearest ratio.
  std::vector<double> dcr_synthetic, dcr_holdout;
  std::vector<double> nndr_synthetic, nndr_holdout;
  double dcr_synthetic_median = 0, dcr_holdout_median = 0;
  // Bootstrap standard errors (resampling the queried rows) of the medians and of dcr_ratio.
  double dcr_synthetic_median_se = 0, dcr_holdout_median_se = 0, dcr_ratio_se = 0;
  double dcr_synthetic_p5 = 0, dcr_holdout_p5 = 0;
  double dcr_synthetic_mean = 0, dcr_holdout_mean = 0;
  // Synthetic median DCR / hold-out median DCR (means when the hold-out median is 0); ~1 for
  // fresh draws from the real distribution, near 0 when rows are copied. nullopt if undefined.
  std::optional<double> dcr_ratio;
  std::string dcr_ratio_basis;  // "median" | "mean"
  // Share of synthetic rows closer to the training rows than the hold-out's 5th-percentile DCR
  // (~0.05 for fresh draws).
  double share_below_holdout_p5 = 0;
  double nndr_synthetic_median = 0, nndr_holdout_median = 0;
  // Share of synthetic rows equal to some real row (train or hold-out) on every compared column,
  // and the same for hold-out rows against the training rows (the real data's own duplicate rate).
  double exact_copy_rate = 0, holdout_exact_copy_rate = 0;
  std::string interpretation;
};

// Splits the real table into (train, holdout) by a seeded shuffle; throws InvalidArgument unless
// 0 < fraction < 1, DataError when either part would be empty.
std::pair<Table, Table> split_for_privacy(const Table& real, double holdout_fraction,
                                          uint64_t seed);

// Compares `synthetic` and `holdout` with `train` (all three hold the schema's columns; the
// categorical values are compared by value). Throws DataError when train has no rows or no
// column can be compared.
PrivacyReport evaluate_privacy(const Table& train, const Table& holdout, const Table& synthetic,
                               const Schema& schema, const PrivacyOptions& options = {});

// What was measured on what: the rows queried and measured to, of how many, with the seed.
std::string sampling_text(const PrivacyReport& report);

// The scalars of the report (no per-row vectors) with the definitions spelled out.
Json to_json(const PrivacyReport& report);

// evaluate_privacy + to_json.
Json privacy_metrics(const Table& train, const Table& holdout, const Table& synthetic,
                     const Schema& schema, const PrivacyOptions& options = {});

}  // namespace calm
