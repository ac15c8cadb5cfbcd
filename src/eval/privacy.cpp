// Privacy metrics: DCR and NNDR by exact nearest-neighbour search (blocked brute force on matrix
// products, nearest_two.hpp) in the HEOM embedding of privacy_space.hpp, exact copies by row keys
// (a hash set over every row). The baseline is the hold-out's DCR to the same training rows: a
// synthetic row should be no closer to the training data than a genuinely new real row is (cf. the
// "DCR holdout" test of Platzer & Reutterer 2021, "Holdout-based fidelity and privacy assessment of
// mixed-type synthetic data"). Definitions in docs/metrics.md (Privacy).
#include "calm/eval/privacy.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "eval/nearest_two.hpp"
#include "eval/privacy_space.hpp"

namespace calm {
namespace {

struct Nearest {
  std::vector<double> dcr, nndr;
};

Nearest nearest(const std::vector<double>& reference, const std::vector<double>& queries,
                size_t dim, int threads) {
  eval::NearestTwo two = eval::nearest_two(reference, queries, dim, threads);
  Nearest out{std::move(two.nearest), std::vector<double>(two.second.size())};
  // Two equally near records (0/0 included) make the nearest one not stand out: ratio 1.
  for (size_t q = 0; q < out.dcr.size(); ++q)
    out.nndr[q] = two.second[q] > 0 ? out.dcr[q] / two.second[q] : 1.0;
  return out;
}

// Linear-interpolated quantile (numpy's default) of unsorted values; 0 for none.
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
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

double median_of(std::vector<double>& v) {
  if (v.empty()) return 0;
  const size_t mid = (v.size() - 1) / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double lo = v[mid];
  if (v.size() % 2 == 1) return lo;
  return 0.5 * (lo + *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(mid) + 1, v.end()));
}

double standard_deviation(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// Bootstrap (Efron 1979) standard errors of the two DCR medians and their ratio: the queried rows
// are resampled with replacement, seeded.
void add_standard_errors(PrivacyReport& r, const PrivacyOptions& o) {
  if (o.bootstrap_rounds < 2 || r.dcr_synthetic.empty() || r.dcr_holdout.empty()) return;
  Rng rng(o.seed, stream_id(StreamPurpose::eval, 4));
  std::vector<double> syn_medians, hold_medians, ratios, draw;
  for (size_t b = 0; b < o.bootstrap_rounds; ++b) {
    for (const auto* source : {&r.dcr_synthetic, &r.dcr_holdout}) {
      draw.resize(source->size());
      for (double& x : draw) x = (*source)[rng.below(source->size())];
      (source == &r.dcr_synthetic ? syn_medians : hold_medians).push_back(median_of(draw));
    }
    if (hold_medians.back() > 0) ratios.push_back(syn_medians.back() / hold_medians.back());
  }
  r.dcr_synthetic_median_se = standard_deviation(syn_medians);
  r.dcr_holdout_median_se = standard_deviation(hold_medians);
  r.dcr_ratio_se = standard_deviation(ratios);
}

double copy_rate(const std::vector<std::string>& keys, const eval::KeyIndex& reference) {
  if (keys.empty()) return 0;
  size_t hits = 0;
#pragma omp parallel for schedule(static) reduction(+ : hits)
  for (size_t i = 0; i < keys.size(); ++i) hits += reference.contains(keys[i]);
  return static_cast<double>(hits) / static_cast<double>(keys.size());
}

std::string interpret(const PrivacyReport& r) {
  const double extra_copies = r.exact_copy_rate - r.holdout_exact_copy_rate;
  const double ratio = r.dcr_ratio.value_or(1.0);
  if (extra_copies > 0.05 || ratio < 0.5 || r.share_below_holdout_p5 > 0.25)
    return "high risk: synthetic rows are much closer to the training rows than new real rows "
           "are (or copy them); the generator may have memorised records";
  if (extra_copies > 0.01 || ratio < 0.8 || r.share_below_holdout_p5 > 0.1)
    return "moderate risk: synthetic rows sit somewhat closer to the training rows than new real "
           "rows do";
  return "low risk: synthetic rows are no closer to the training rows than new real rows are";
}

void check_table(const Table& t, const Schema& schema, const char* what) {
  for (const ColumnSchema& cs : schema.columns)
    if (cs.semantic != SemanticType::id && !t.has(cs.name))
      throw DataError(std::string("privacy metrics: the ") + what + " table has no column '" +
                      cs.name + "'");
}

}  // namespace

std::pair<Table, Table> split_for_privacy(const Table& real, double holdout_fraction,
                                          uint64_t seed) {
  if (!(holdout_fraction > 0 && holdout_fraction < 1))
    throw InvalidArgument("holdout_fraction must be in (0, 1), got " +
                          std::to_string(holdout_fraction));
  const size_t n = real.num_rows();
  const size_t m = static_cast<size_t>(std::llround(holdout_fraction * static_cast<double>(n)));
  if (m == 0 || m >= n)
    throw DataError("cannot split " + std::to_string(n) + " real rows into a training part and a " +
                    "hold-out of " + std::to_string(holdout_fraction) + ": one would be empty");
  const std::vector<uint32_t> hold = subsample(n, m, seed, 0);
  std::vector<uint8_t> in_hold(n, 0);
  for (uint32_t i : hold) in_hold[i] = 1;
  std::vector<int64_t> train_rows, hold_rows;
  for (size_t i = 0; i < n; ++i) (in_hold[i] ? hold_rows : train_rows).push_back(i);
  return {real.take_rows(train_rows), real.take_rows(hold_rows)};
}

PrivacyReport evaluate_privacy(const Table& train, const Table& holdout, const Table& synthetic,
                               const Schema& schema, const PrivacyOptions& options) {
  if (train.num_rows() == 0) throw DataError("privacy metrics: the training table has no rows");
  check_table(train, schema, "training");
  check_table(holdout, schema, "hold-out");
  check_table(synthetic, schema, "synthetic");
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

  // One ruler for both query sets: scales and levels of the training rows they are measured to.
  const eval::MixedSpace space(train, {&holdout, &synthetic}, schema, options.max_levels);
  if (space.columns().empty())
    throw DataError("privacy metrics: no column to compare (every column is an id)");

  PrivacyReport r;
  r.columns = space.columns();
  r.train_rows = train.num_rows();
  r.holdout_rows = holdout.num_rows();
  r.synthetic_rows = synthetic.num_rows();

  const auto ref_rows = subsample(train.num_rows(), options.max_reference_rows, options.seed, 3);
  r.reference_rows = ref_rows.size();
  r.sample_seed = options.seed;
  const std::vector<double> ref = space.embed(train, ref_rows);
  const auto syn_rows = subsample(synthetic.num_rows(), options.max_query_rows, options.seed, 1);
  const auto hold_rows = subsample(holdout.num_rows(), options.max_query_rows, options.seed, 2);
  Nearest syn = nearest(ref, space.embed(synthetic, syn_rows), space.dim(), threads);
  Nearest hold = nearest(ref, space.embed(holdout, hold_rows), space.dim(), threads);

  r.dcr_synthetic_median = quantile(syn.dcr, 0.5);
  r.dcr_holdout_median = quantile(hold.dcr, 0.5);
  r.dcr_synthetic_p5 = quantile(syn.dcr, 0.05);
  r.dcr_holdout_p5 = quantile(hold.dcr, 0.05);
  r.dcr_synthetic_mean = mean(syn.dcr);
  r.dcr_holdout_mean = mean(hold.dcr);
  if (r.dcr_holdout_median > 0) {
    r.dcr_ratio = r.dcr_synthetic_median / r.dcr_holdout_median;
    r.dcr_ratio_basis = "median";
  } else if (r.dcr_holdout_mean > 0) {
    r.dcr_ratio = r.dcr_synthetic_mean / r.dcr_holdout_mean;
    r.dcr_ratio_basis = "mean";
  }
  if (!syn.dcr.empty() && !hold.dcr.empty()) {
    const double p5 = r.dcr_holdout_p5;
    const auto below =
        std::count_if(syn.dcr.begin(), syn.dcr.end(), [p5](double d) { return d < p5; });
    r.share_below_holdout_p5 = static_cast<double>(below) / static_cast<double>(syn.dcr.size());
  }
  r.nndr_synthetic_median = quantile(syn.nndr, 0.5);
  r.nndr_holdout_median = quantile(hold.nndr, 0.5);

  const auto train_keys = eval::row_keys(train, schema);
  const auto hold_keys = eval::row_keys(holdout, schema);
  r.holdout_exact_copy_rate = copy_rate(hold_keys, eval::KeyIndex({&train_keys}));
  r.exact_copy_rate =
      copy_rate(eval::row_keys(synthetic, schema), eval::KeyIndex({&train_keys, &hold_keys}));

  r.dcr_synthetic = std::move(syn.dcr);
  r.dcr_holdout = std::move(hold.dcr);
  r.nndr_synthetic = std::move(syn.nndr);
  r.nndr_holdout = std::move(hold.nndr);
  add_standard_errors(r, options);
  r.interpretation = interpret(r);
  return r;
}

std::string sampling_text(const PrivacyReport& r) {
  auto of = [](size_t used, size_t all, const char* what) {
    return std::to_string(used) + (used < all ? " of " + std::to_string(all) : std::string()) +
           " " + what;
  };
  const bool sampled = r.dcr_synthetic.size() < r.synthetic_rows ||
                       r.dcr_holdout.size() < r.holdout_rows || r.reference_rows < r.train_rows;
  return "distances from " + of(r.dcr_synthetic.size(), r.synthetic_rows, "synthetic rows") +
         " and " + of(r.dcr_holdout.size(), r.holdout_rows, "hold-out rows") + " to " +
         of(r.reference_rows, r.train_rows, "training rows") +
         (sampled ? " (seeded samples, seed " + std::to_string(r.sample_seed) + ")" : "") +
         "; exact copies counted on every row; standard errors by bootstrap of the queried rows";
}

Json to_json(const PrivacyReport& r) {
  Json j;
  j["definition"] =
      "DCR = mixed-type (HEOM) distance from a row to its nearest training row; the baseline is "
      "the DCR of real hold-out rows to the same training rows (see docs/metrics.md, Privacy)";
  j["columns"] = r.columns;
  j["train_rows"] = r.train_rows;
  j["holdout_rows"] = r.holdout_rows;
  j["synthetic_rows"] = r.synthetic_rows;
  j["reference_rows"] = r.reference_rows;
  j["sample_seed"] = r.sample_seed;
  j["query_rows_synthetic"] = r.dcr_synthetic.size();
  j["query_rows_holdout"] = r.dcr_holdout.size();
  j["sampling"] = sampling_text(r);
  j["dcr_synthetic_median"] = r.dcr_synthetic_median;
  j["dcr_holdout_median"] = r.dcr_holdout_median;
  j["dcr_synthetic_median_se"] = r.dcr_synthetic_median_se;
  j["dcr_holdout_median_se"] = r.dcr_holdout_median_se;
  j["dcr_synthetic_p5"] = r.dcr_synthetic_p5;
  j["dcr_holdout_p5"] = r.dcr_holdout_p5;
  j["dcr_synthetic_mean"] = r.dcr_synthetic_mean;
  j["dcr_holdout_mean"] = r.dcr_holdout_mean;
  j["dcr_ratio"] = r.dcr_ratio ? Json(*r.dcr_ratio) : Json(nullptr);
  if (r.dcr_ratio) {
    j["dcr_ratio_basis"] = r.dcr_ratio_basis;
    j["dcr_ratio_se"] = r.dcr_ratio_se;
  } else
    j["dcr_ratio_note"] = "every hold-out row duplicates a training row: no distance baseline";
  j["share_below_holdout_p5"] = r.share_below_holdout_p5;
  j["nndr_synthetic_median"] = r.nndr_synthetic_median;
  j["nndr_holdout_median"] = r.nndr_holdout_median;
  j["exact_copy_rate"] = r.exact_copy_rate;
  j["holdout_exact_copy_rate"] = r.holdout_exact_copy_rate;
  j["interpretation"] = r.interpretation;
  return j;
}

Json privacy_metrics(const Table& train, const Table& holdout, const Table& synthetic,
                     const Schema& schema, const PrivacyOptions& options) {
  return to_json(evaluate_privacy(train, holdout, synthetic, schema, options));
}

}  // namespace calm
