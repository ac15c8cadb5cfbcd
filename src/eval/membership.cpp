// Membership inference by distance to the nearest synthetic row (see membership.hpp): the exact
// blocked nearest-neighbour search of the privacy metrics (nearest_two.hpp) in their HEOM
// embedding (privacy_space.hpp), one ROC sweep over the two sorted distance lists for the AUC,
// advantage and TPRs, and a stratified bootstrap for their standard errors. Definitions in
// docs/metrics.md (Membership inference).
#include "calm/eval/membership.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "eval/nearest_two.hpp"
#include "eval/privacy_space.hpp"

namespace calm {
namespace {

// Streams of the seeded subsamples and the bootstrap (apart from the privacy metrics' 0-4, so the
// two never draw the same rows by construction when they share a seed).
constexpr uint64_t kTrainStream = 21, kHoldoutStream = 22, kReferenceStream = 23,
                   kBootstrapStream = 24;

bool is_continuous(SemanticType t) {
  return t == SemanticType::numerical || t == SemanticType::datetime;
}

void check_table(const Table& t, const Schema& schema, const std::string& what) {
  if (t.num_rows() == 0)
    throw DataError("membership inference: the " + what + " table has no rows");
  for (const ColumnSchema& cs : schema.columns) {
    if (cs.semantic == SemanticType::id) continue;
    if (!t.has(cs.name))
      throw DataError("membership inference: the " + what + " table has no column '" + cs.name +
                      "'");
    // A numeric column read as text elsewhere would be measured by its category codes.
    if (is_continuous(cs.semantic) && t.column(cs.name).type == StorageType::categorical)
      throw DataError("membership inference: column '" + cs.name + "' is " +
                      to_string(cs.semantic) + " in the schema but holds text in the " + what +
                      " table");
  }
}

// A seeded subsample of m of n row indices, in row order (all rows when m is 0 or >= n).
std::vector<uint32_t> subsample(size_t n, size_t m, uint64_t seed, uint64_t stream) {
  std::vector<uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  if (m == 0) return idx;
  Rng rng(seed, stream_id(StreamPurpose::eval, stream));
  keep_random_subset(idx, m, rng);
  return idx;
}

struct Roc {
  double auc = 0.5, advantage = 0, tpr_10 = 0, tpr_1 = 0;
};

// The ROC curve of "member when d <= t" over every distinct distance t, swept once over both
// lists sorted. A run of tied distances is one step that moves TPR and FPR together: the curve
// joins its ends by a straight line (a random tie-break), so the trapezoid area is the
// Mann-Whitney statistic with ties counted half, and a TPR at a fixed FPR is read off that line.
Roc roc_of(std::vector<double>& members, std::vector<double>& non_members) {
  std::sort(members.begin(), members.end());
  std::sort(non_members.begin(), non_members.end());
  const double n1 = static_cast<double>(members.size());
  const double n0 = static_cast<double>(non_members.size());
  Roc r;
  // Counts, not running sums of shares: the area (as the U statistic) and the rates stay exact.
  double u = 0;
  size_t below_1 = 0, below_0 = 0;
  bool at_10 = false, at_1 = false;
  auto read_at = [&](double target, double f0, double t0, double f1, double t1, double& out,
                     bool& done) {
    if (done || f1 < target) return;
    out = f1 > f0 ? t0 + (t1 - t0) * (target - f0) / (f1 - f0) : t1;
    // A later step of members only (same FPR) lifts the TPR at this FPR: keep reading.
    done = f1 > target;
  };
  size_t i = 0, j = 0;
  while (i < members.size() || j < non_members.size()) {
    const double t = j == non_members.size()                              ? members[i]
                     : i == members.size() || non_members[j] < members[i] ? non_members[j]
                                                                          : members[i];
    const size_t i0 = i, j0 = j;
    while (i < members.size() && members[i] == t) ++i;
    while (j < non_members.size() && non_members[j] == t) ++j;
    // Non-members at t lose to every member below t and tie with the members at t.
    u += static_cast<double>(j - j0) * (static_cast<double>(below_1) + (i - i0) / 2.0);
    const double tpr = below_1 / n1, fpr = below_0 / n0;
    below_1 = i, below_0 = j;
    const double next_tpr = below_1 / n1, next_fpr = below_0 / n0;
    read_at(0.1, fpr, tpr, next_fpr, next_tpr, r.tpr_10, at_10);
    read_at(0.01, fpr, tpr, next_fpr, next_tpr, r.tpr_1, at_1);
    r.advantage = std::max(r.advantage, next_tpr - next_fpr);
  }
  r.auc = u / (n1 * n0);
  return r;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

double standard_deviation(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// Bootstrap (Efron 1979) resampling each side's queried rows with replacement, so every draw keeps
// the balanced class sizes; the synthetic reference and the split stay fixed.
void add_standard_errors(MembershipReport& r, const MembershipOptions& o) {
  if (o.bootstrap_rounds < 2) return;
  Rng rng(o.seed, stream_id(StreamPurpose::eval, kBootstrapStream));
  std::vector<double> aucs, advantages, tprs, members, non_members;
  for (size_t b = 0; b < o.bootstrap_rounds; ++b) {
    members.resize(r.distance_train.size());
    for (double& x : members) x = r.distance_train[rng.below(r.distance_train.size())];
    non_members.resize(r.distance_holdout.size());
    for (double& x : non_members) x = r.distance_holdout[rng.below(r.distance_holdout.size())];
    const Roc roc = roc_of(members, non_members);
    aucs.push_back(roc.auc);
    advantages.push_back(roc.advantage);
    tprs.push_back(roc.tpr_10);
  }
  r.auc_se = standard_deviation(aucs);
  r.advantage_se = standard_deviation(advantages);
  r.tpr_at_fpr_10pct_se = standard_deviation(tprs);
}

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string interpret(const MembershipReport& r) {
  // Within two standard errors of 0.5 the attack cannot tell its result from chance.
  const bool noise = std::fabs(r.auc - 0.5) < 2 * r.auc_se;
  const std::string auc = "AUC " + fixed(r.auc, 3) + " \xC2\xB1 " + fixed(r.auc_se, 3) +
                          (noise ? ", within two standard errors of 0.5: " : ": ");
  if (r.auc >= 0.8)
    return "high risk (" + auc +
           "most training rows have a near copy among the synthetic rows that new real rows do "
           "not have; the generator memorises records)";
  if (r.auc >= 0.6)
    return "moderate risk (" + auc +
           "training rows are measurably closer to the synthetic rows than new real rows are; "
           "the generator partly memorises)";
  if (r.auc >= 0.55)
    return "low risk (" + auc +
           "a weak membership signal: training rows are slightly closer to the synthetic rows "
           "than new real rows are)";
  if (r.auc > 0.45 || noise)
    return "no measurable risk (" + auc +
           "members are not distinguishable from hold-out rows by their distance to the "
           "synthetic rows)";
  return "no membership signal (" + auc +
         "hold-out rows are closer to the synthetic rows than training rows are; check that the "
         "hold-out comes from the same distribution as the training rows)";
}

}  // namespace

double membership_auc(const std::vector<double>& members, const std::vector<double>& non_members) {
  if (members.empty() || non_members.empty())
    throw InvalidArgument("membership_auc needs at least one score on each side");
  std::vector<double> m = members, n = non_members;
  return roc_of(m, n).auc;
}

MembershipReport evaluate_membership(const Table& train, const Table& holdout,
                                     const Table& synthetic, const Schema& schema,
                                     const MembershipOptions& options) {
  check_table(train, schema, "training");
  check_table(holdout, schema, "hold-out");
  check_table(synthetic, schema, "synthetic");
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

  // The ruler (ranges, levels) comes from the synthetic rows, which the attacker holds, not from
  // either real side: training and hold-out rows are then measured alike, and when the synthetic
  // rows do not depend on the split the two sides' distances are exchangeable (AUC 0.5 exactly in
  // expectation).
  const eval::MixedSpace space(synthetic, {&train, &holdout}, schema, options.max_levels);
  if (space.columns().empty())
    throw DataError("membership inference: no column to compare (every column is an id)");

  MembershipReport r;
  r.columns = space.columns();
  r.train_rows = train.num_rows();
  r.holdout_rows = holdout.num_rows();
  r.synthetic_rows = synthetic.num_rows();
  r.sample_seed = options.seed;

  size_t per_side = std::min(r.train_rows, r.holdout_rows);
  if (options.max_query_rows > 0) per_side = std::min(per_side, options.max_query_rows);
  const auto ref_rows =
      subsample(r.synthetic_rows, options.max_reference_rows, options.seed, kReferenceStream);
  r.reference_rows = ref_rows.size();
  const std::vector<double> ref = space.embed(synthetic, ref_rows);
  const auto train_rows = subsample(r.train_rows, per_side, options.seed, kTrainStream);
  const auto hold_rows = subsample(r.holdout_rows, per_side, options.seed, kHoldoutStream);
  r.distance_train =
      eval::nearest_two(ref, space.embed(train, train_rows), space.dim(), threads).nearest;
  r.distance_holdout =
      eval::nearest_two(ref, space.embed(holdout, hold_rows), space.dim(), threads).nearest;
  r.distance_train_median = median_of(r.distance_train);
  r.distance_holdout_median = median_of(r.distance_holdout);

  std::vector<double> members = r.distance_train, non_members = r.distance_holdout;
  const Roc roc = roc_of(members, non_members);
  r.auc = roc.auc;
  r.advantage = roc.advantage;
  r.tpr_at_fpr_10pct = roc.tpr_10;
  r.tpr_at_fpr_1pct = roc.tpr_1;
  add_standard_errors(r, options);
  r.interpretation = interpret(r);
  return r;
}

std::string sampling_text(const MembershipReport& r) {
  auto of = [](size_t used, size_t all, const char* what) {
    return std::to_string(used) + (used < all ? " of " + std::to_string(all) : std::string()) +
           " " + what;
  };
  const size_t q = r.distance_train.size();
  const bool sampled =
      q < r.train_rows || q < r.holdout_rows || r.reference_rows < r.synthetic_rows;
  return "distances from " + of(q, r.train_rows, "training rows") + " and " +
         of(r.distance_holdout.size(), r.holdout_rows, "hold-out rows") + " to " +
         of(r.reference_rows, r.synthetic_rows, "synthetic rows") +
         (sampled ? " (seeded samples, seed " + std::to_string(r.sample_seed) + ")" : "") +
         "; standard errors by bootstrap of the queried rows";
}

Json to_json(const MembershipReport& r) {
  Json j;
  j["definition"] =
      "distance-to-synthetic membership inference (GAN-Leaks full black-box, Chen et al. 2020): "
      "each training row (member) and hold-out row (non-member) is scored by its mixed-type (HEOM) "
      "distance to the nearest synthetic row, smaller = member; the same number of rows is "
      "queried on both sides (see docs/metrics.md, Membership inference)";
  j["columns"] = r.columns;
  j["train_rows"] = r.train_rows;
  j["holdout_rows"] = r.holdout_rows;
  j["synthetic_rows"] = r.synthetic_rows;
  j["reference_rows"] = r.reference_rows;
  j["query_rows_per_side"] = r.distance_train.size();
  j["sample_seed"] = r.sample_seed;
  j["sampling"] = sampling_text(r);
  j["auc"] = r.auc;
  j["auc_se"] = r.auc_se;
  j["auc_definition"] =
      "P(d_train < d_holdout) + P(d_train = d_holdout) / 2 (Mann-Whitney, ties counted half): 0.5 "
      "= members not distinguishable, 1 = every training row is closer than every hold-out row";
  j["advantage"] = r.advantage;
  j["advantage_se"] = r.advantage_se;
  j["advantage_definition"] =
      "max over distance thresholds of TPR - FPR of the rule 'member when d <= threshold' (0 = "
      "no better than guessing)";
  j["tpr_at_fpr_10pct"] = r.tpr_at_fpr_10pct;
  j["tpr_at_fpr_10pct_se"] = r.tpr_at_fpr_10pct_se;
  j["tpr_at_fpr_1pct"] = r.tpr_at_fpr_1pct;
  j["tpr_at_fpr_definition"] =
      "share of training rows the same rule flags when its threshold lets 10% (1%) of hold-out "
      "rows through; guessing gives 0.1 (0.01). Low-FPR reporting after Carlini et al. 2022";
  j["distance_train_median"] = r.distance_train_median;
  j["distance_holdout_median"] = r.distance_holdout_median;
  j["interpretation"] = r.interpretation;
  return j;
}

Json membership_metrics(const Table& train, const Table& holdout, const Table& synthetic,
                        const Schema& schema, const MembershipOptions& options) {
  return to_json(evaluate_membership(train, holdout, synthetic, schema, options));
}

}  // namespace calm
