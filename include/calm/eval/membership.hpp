// Membership inference attack on a synthetic table, with real rows the generator did not train on
// (a hold-out) as the negatives. Distance-based and shadow-model free: the full black-box attack of
// Chen, Yu, Zhang & Fritz 2020 ("GAN-Leaks: a taxonomy of membership inference attacks against
// generative models"), also the gan_leaks baseline of van Breugel et al. 2023 ("Membership
// inference attacks against synthetic data through overfitting detection", DOMIAS), measured with
// the mixed-type (HEOM) distance of the privacy metrics (privacy.hpp): a candidate row is scored by
// its distance to the nearest synthetic row (closer = more likely a member). The AUC of that score
// separating training rows (members) from hold-out rows (non-members) is the attack's success; the
// advantage max(TPR - FPR) (Yeom et al. 2018) and the TPR at low FPR (Carlini et al. 2022,
// "Membership inference attacks from first principles") come from the same ROC curve. Definitions:
// docs/metrics.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct MembershipOptions {
  int threads = 1;  // 0 = all cores; the output does not depend on it
  uint64_t seed = 0;
  // Queried rows per side (seeded subsample; 0 = all): both sides get the same number, the
  // smaller of the two tables' sizes and this, so the AUC compares balanced classes. At 2,000 per
  // side the AUC's standard error is about 0.009 (Hanley & McNeil 1982) when nothing leaks.
  size_t max_query_rows = 2000;
  // Distances are measured to at most this many synthetic rows (seeded subsample; 0 = all).
  size_t max_reference_rows = 50000;
  size_t bootstrap_rounds = 200;  // for the standard errors of the AUC, advantage and TPRs
  // As PrivacyOptions::max_levels: rarer categorical levels share one "other" coordinate.
  size_t max_levels = 32;
};

struct MembershipReport {
  std::vector<std::string> columns;  // the columns compared (schema order, id columns left out)
  size_t train_rows = 0, holdout_rows = 0, synthetic_rows = 0;
  size_t reference_rows = 0;  // synthetic rows the distances are measured to
  uint64_t sample_seed = 0;
  // Per queried row: distance to the nearest synthetic row (same number on both sides).
  std::vector<double> distance_train, distance_holdout;
  double distance_train_median = 0, distance_holdout_median = 0;
  // P(d_train < d_holdout) + P(d_train = d_holdout) / 2 (Mann-Whitney): 0.5 when training rows
  // are no closer to the synthetic rows than new real rows are, 1 when every one is closer.
  double auc = 0.5, auc_se = 0;
  // max over thresholds of TPR - FPR, the attacker's best member-vs-hold-out advantage (0..1).
  double advantage = 0, advantage_se = 0;
  // TPR of "member when d <= t" at the t where FPR is 10% / 1% (ties interpolated); random
  // guessing gives the FPR itself.
  double tpr_at_fpr_10pct = 0, tpr_at_fpr_10pct_se = 0;
  double tpr_at_fpr_1pct = 0;
  std::string interpretation;
};

// Scores the rows of `train` (members) and `holdout` (non-members) by their distance to the
// nearest row of `synthetic`. All three hold the schema's non-id columns; categorical values are
// compared by value. Throws DataError when a table has no rows or lacks a column, or when no
// column can be compared (every column is an id).
MembershipReport evaluate_membership(const Table& train, const Table& holdout,
                                     const Table& synthetic, const Schema& schema,
                                     const MembershipOptions& options = {});

// The AUC of scores where smaller means "member", ties counted half (the Mann-Whitney U / (n1 n0)).
// Throws InvalidArgument when either side is empty.
double membership_auc(const std::vector<double>& members, const std::vector<double>& non_members);

// What was measured on what: the rows queried and measured to, of how many, with the seed.
std::string sampling_text(const MembershipReport& report);

// The scalars of the report (no per-row vectors) with the definitions spelled out.
Json to_json(const MembershipReport& report);

// evaluate_membership + to_json.
Json membership_metrics(const Table& train, const Table& holdout, const Table& synthetic,
                        const Schema& schema, const MembershipOptions& options = {});

}  // namespace calm
