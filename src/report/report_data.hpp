// Everything the HTML and PNG reports show, computed once by write_reports and then only read by
// the writers (so no figure recomputes a statistic another one already has).
#pragma once

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/eval/membership.hpp"
#include "calm/eval/privacy.hpp"
#include "calm/eval/quality.hpp"
#include "calm/eval/single_cell_metrics.hpp"
#include "calm/report/reports.hpp"
#include "report/analysis.hpp"
#include "report/drift_series.hpp"
#include "report/sequence_view.hpp"
#include "report/summary.hpp"

namespace calm::report {

struct ReportData {
  std::string generator_name, method;
  size_t real_rows = 0, synthetic_rows = 0;
  bool minimal = false;
  QualityReport quality;
  std::vector<ColumnSummary> columns;  // sides: real, synthetic (id columns left out)
  size_t synthetic_duplicate_rows = 0;
  // Correlations (empty when minimal or fewer than two usable columns).
  std::vector<std::string> corr_columns;
  std::vector<double> corr_real, corr_synthetic;
  Projection pca;  // columns empty: not computed (note says why, or minimal)
  std::optional<PrivacyReport> privacy;
  std::string privacy_note;  // why privacy is missing
  // The membership inference attack, on the request's hold-out (real rows the generator never
  // saw); membership_note says why it is missing.
  std::optional<MembershipReport> membership;
  std::string membership_note;
  // Rows the summaries, plots and correlations read per table (< real_rows / synthetic_rows when
  // sampled); sample_note says so in the HTML, empty when nothing was sampled.
  size_t summary_real_rows = 0, summary_synthetic_rows = 0;
  std::string sample_note;
  std::optional<Json> adversarial, ml_efficacy;
  std::vector<DriftSeries> drift;         // one per drifted column (empty: no drift was applied)
  Json privacy_guarantee;                 // a DP method's guarantee (null for the others)
  std::optional<SequenceView> sequences;  // sequence data only (ReportRequest::sequence_key)
  std::optional<SingleCellReport> single_cell;  // single-cell data only (gene_columns)
  std::string single_cell_note;                 // why single_cell is missing
};

inline constexpr size_t kPcaSampleRows = 5000;
// Column summaries, plots, correlations and the PCA scaling read at most this many rows of each
// table (a seeded uniform sample); the scores, duplicate rows and exact copies read every row.
inline constexpr size_t kSummarySampleRows = 200000;
inline constexpr size_t kMaxCorrelationColumns = 20;
inline constexpr char kNoHoldoutNote[] =
    "Membership inference not computed: no hold-out (real rows the generator did not train on): "
    "set holdout_fraction in generate or pass --holdout to calm evaluate.";

// Runs one part of the report and logs its wall time at debug level (the report's budget is
// spent part by part; `calm ... --log-level debug` shows where).
template <typename Fn>
void timed(const Logger& log, const char* part, Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  char line[120];
  std::snprintf(line, sizeof line, "report part %s: %.3f s", part,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  log.debug(line);
}

// Computes every statistic of the reports. Privacy and membership failures become their notes,
// not errors.
ReportData build_report_data(const ReportRequest& req, const Logger& log);
// The single-cell metrics of the request's gene columns (ReportRequest::gene_columns), cell types
// from target_col; a failure becomes d.single_cell_note.
void add_single_cell(ReportData& d, const ReportRequest& req, const Logger& log);

// The synthetic-only view of a two-sided summary (for the profile report).
ColumnSummary synthetic_side(const ColumnSummary& s);
// Element-wise synthetic - real of the correlation matrices.
std::vector<double> correlation_difference(const ReportData& d);
// Colour scale of a difference matrix: its largest |value| rounded up, within [0.1, 2], so small
// differences stay visible and 0.1 never looks alarming.
double difference_scale(const std::vector<double>& diff);

// The report files' contents.
std::string comparison_html(const ReportData& d);
std::string profile_html(const ReportData& d);
std::string distribution_png(const ReportData& d);
std::string correlation_png(const ReportData& d);

}  // namespace calm::report
