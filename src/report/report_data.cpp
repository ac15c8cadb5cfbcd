// build_report_data: every statistic of the reports, computed once (see report_data.hpp).
// Large tables stay fast: fixed bins, PCA on a seeded sample, privacy queries subsampled.
#include "report/report_data.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <numeric>

#include "calm/core/rng.hpp"
#include "calm/eval/adversarial.hpp"
#include "calm/eval/ml_efficacy.hpp"
#include "eval/privacy_space.hpp"
#include "report/charts.hpp"

namespace calm::report {
namespace {

size_t duplicate_rows(const Table& synthetic, const Schema& schema) {
  const bool any =
      std::any_of(schema.columns.begin(), schema.columns.end(),
                  [](const ColumnSchema& cs) { return cs.semantic != SemanticType::id; });
  if (!any) return 0;  // nothing to compare
  return eval::duplicate_count(eval::row_keys(synthetic, schema));
}

// Privacy on the real table split (seeded) into training rows and a hold-out. Every row counts for
// exact copies; the distance search itself is bounded by PrivacyOptions' seeded samples.
void add_privacy(ReportData& d, const ReportRequest& req) {
  const Table& real = req.real;
  if (real.num_rows() < 10) {
    d.privacy_note = "Privacy metrics need at least 10 real rows (a training part and a hold-out).";
    return;
  }
  PrivacyOptions options;
  options.threads = req.threads;
  options.seed = req.seed;
  const auto [train, holdout] = split_for_privacy(real, options.holdout_fraction, req.seed);
  d.privacy = evaluate_privacy(train, holdout, req.synthetic, req.schema, options);
}

// Membership inference needs rows the generator did not train on: the request's hold-out.
void add_membership(ReportData& d, const ReportRequest& req) {
  if (!req.holdout) {
    d.membership_note = std::string(kNoHoldoutNote);
    return;
  }
  MembershipOptions options;
  options.threads = req.threads;
  options.seed = req.seed;
  d.membership = evaluate_membership(req.real, *req.holdout, req.synthetic, req.schema, options);
}

// `t`, or a seeded uniform sample of `most` of its rows in row order.
Table sample_rows(const Table& t, size_t most, uint64_t seed, uint64_t stream) {
  if (t.num_rows() <= most) return t;
  std::vector<int64_t> rows(t.num_rows());
  std::iota(rows.begin(), rows.end(), int64_t{0});
  Rng rng(seed, stream_id(StreamPurpose::eval, stream));
  keep_random_subset(rows, most, rng);
  return t.take_rows(rows);
}

}  // namespace

ReportData build_report_data(const ReportRequest& req, const Logger& log) {
  ReportData d;
  d.generator_name = req.generator_name;
  d.method = req.method;
  d.real_rows = req.real.num_rows();
  d.synthetic_rows = req.synthetic.num_rows();
  d.minimal = req.minimal;
  d.privacy_guarantee = req.privacy_guarantee;
  const int threads = req.threads > 0 ? req.threads : omp_get_max_threads();

  QualityOptions qo;
  qo.pair_trends = !req.minimal;
  qo.threads = threads;
  timed(log, "quality scores", [&] {
    d.quality =
        req.quality ? *req.quality : evaluate_quality(req.real, req.synthetic, req.schema, qo);
  });

  const Table real_view = sample_rows(req.real, kSummarySampleRows, req.seed, 31);
  const Table synthetic_view = sample_rows(req.synthetic, kSummarySampleRows, req.seed, 32);
  d.summary_real_rows = real_view.num_rows();
  d.summary_synthetic_rows = synthetic_view.num_rows();
  if (d.summary_real_rows < d.real_rows || d.summary_synthetic_rows < d.synthetic_rows)
    d.sample_note =
        "Column summaries, plots, correlations and the PCA are computed on a seeded sample of " +
        std::to_string(d.summary_real_rows) + " real and " +
        std::to_string(d.summary_synthetic_rows) + " synthetic rows (seed " +
        std::to_string(req.seed) + "); the scores, duplicate rows and exact copies use every row.";

  std::vector<const ColumnSchema*> shown;
  for (const ColumnSchema& cs : req.schema.columns)
    if (cs.semantic != SemanticType::id) shown.push_back(&cs);
  d.columns.resize(shown.size());
  timed(log, "column summaries", [&] {
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (size_t i = 0; i < shown.size(); ++i)
      d.columns[i] = summarize(*shown[i], {&real_view, &synthetic_view});
  });
  timed(log, "duplicate rows",
        [&] { d.synthetic_duplicate_rows = duplicate_rows(req.synthetic, req.schema); });

  if (!req.minimal) {
    timed(log, "correlations", [&] {
      d.corr_columns = correlation_columns(req.schema, kMaxCorrelationColumns);
      if (d.corr_columns.size() >= 2) {
        d.corr_real = pearson_matrix(real_view, d.corr_columns, threads);
        d.corr_synthetic = pearson_matrix(synthetic_view, d.corr_columns, threads);
      }
    });
    timed(log, "pca", [&] {
      d.pca = pca_projection(real_view, synthetic_view, req.schema, kPcaSampleRows, req.seed);
    });
  }

  if (req.minimal) {
    d.privacy_note =
        "Minimal report: privacy metrics (DCR, NNDR, exact copies) were not computed; run without "
        "minimal_report for them.";
  } else {
    timed(log, "privacy", [&] {
      try {
        add_privacy(d, req);
      } catch (const std::exception& e) {
        d.privacy_note = std::string("Privacy metrics could not be computed: ") + e.what();
        log.warning(d.privacy_note);
      }
    });
  }
  if (req.minimal) {
    d.membership_note =
        "Minimal report: membership inference was not computed; run without minimal_report for "
        "it.";
  } else {
    timed(log, "membership inference", [&] {
      try {
        add_membership(d, req);
      } catch (const std::exception& e) {
        d.membership_note = std::string("Membership inference could not be computed: ") + e.what();
        log.warning(d.membership_note);
      }
    });
  }
  if (req.adversarial_validation) {
    timed(log, "adversarial validation", [&] {
      try {
        AdversarialOptions ao;
        ao.threads = threads;
        ao.seed = req.seed;
        d.adversarial = adversarial_validation(req.real, req.synthetic, req.schema, ao);
      } catch (const std::exception& e) {
        log.warning(std::string("adversarial validation failed: ") + e.what());
      }
    });
  }
  if (req.target_col) {
    timed(log, "ml efficacy", [&] {
      try {
        MlEfficacyOptions mo;
        mo.threads = threads;
        mo.seed = req.seed;
        mo.holdout = req.holdout;
        d.ml_efficacy = ml_efficacy(req.real, req.synthetic, req.schema, *req.target_col, mo);
      } catch (const std::exception& e) {
        log.warning(std::string("ML efficacy failed: ") + e.what());
      }
    });
  }
  d.drift = drift_series(req.synthetic, req.drift_windows);
  if (req.sequence_key) {
    timed(log, "sequence metrics", [&] {
      SequenceMetricsOptions so;
      so.sequence_key = *req.sequence_key;
      so.time_col = req.time_col;
      so.row_quality = false;  // the report's own quality scores are the row-level quality
      so.threads = threads;
      so.seed = req.seed;
      d.sequences = sequence_view(req.real, req.synthetic, req.schema, so);
      if (!d.sequences->note.empty())
        log.warning("sequence metrics could not be computed: " + d.sequences->note);
    });
  }
  return d;
}

void add_single_cell(ReportData& d, const ReportRequest& req, const Logger& log) {
  timed(log, "single-cell metrics", [&] {
    try {
      std::vector<std::string> real_types, synthetic_types;
      if (req.target_col && req.real.has(*req.target_col) && req.synthetic.has(*req.target_col))
        for (const Table* t : {&req.real, &req.synthetic}) {
          const Column& c = t->column(*req.target_col);
          auto& out = t == &req.real ? real_types : synthetic_types;
          for (size_t i = 0; i < c.size(); ++i) out.push_back(c.text(i));
        }
      SingleCellMetricsOptions so;
      so.threads = req.threads;
      so.seed = req.seed;
      d.single_cell = req.real_genes && req.synthetic_genes
                          ? evaluate_single_cell(*req.real_genes, *req.synthetic_genes, real_types,
                                                 synthetic_types, so)
                          : evaluate_single_cell(gene_matrix(req.real, req.gene_columns),
                                                 gene_matrix(req.synthetic, req.gene_columns),
                                                 real_types, synthetic_types, so);
    } catch (const std::exception& e) {
      d.single_cell_note = e.what();
      log.warning("single-cell metrics could not be computed: " + d.single_cell_note);
    }
  });
}

ColumnSummary synthetic_side(const ColumnSummary& s) {
  ColumnSummary out = s;
  out.sides = {s.sides.back()};
  return out;
}

std::vector<double> correlation_difference(const ReportData& d) {
  std::vector<double> diff(d.corr_real.size());
  for (size_t i = 0; i < diff.size(); ++i) diff[i] = d.corr_synthetic[i] - d.corr_real[i];
  return diff;
}

double difference_scale(const std::vector<double>& diff) {
  double worst = 0;
  for (double v : diff)
    if (!std::isnan(v)) worst = std::max(worst, std::fabs(v));
  return std::clamp(nice_ceiling(worst), 0.1, 2.0);
}

}  // namespace calm::report
