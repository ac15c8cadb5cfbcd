// The reports written to output_dir when auto_report is on (the seed's file names).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/drift_window.hpp"
#include "calm/core/log.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/sparse_matrix.hpp"
#include "calm/core/table.hpp"
#include "calm/eval/quality.hpp"

namespace calm {

struct ReportRequest {
  const Table& real;
  const Table& synthetic;
  const Schema& schema;
  std::optional<std::string> target_col;
  std::string output_dir;
  std::string generator_name;
  std::string method;
  bool minimal = false;
  bool adversarial_validation = false;
  int threads = 1;
  uint64_t seed = 0;
  // Where drift_injection_config changed the synthetic table (apply_drift_config's `applied`):
  // comparison_report.html then plots each drifted column over the row index, windows shaded.
  std::vector<DriftWindow> drift_windows = {};
  // Real rows the synthesizer never saw (generate's holdout_fraction, calm evaluate --holdout):
  // the membership inference attack (calm/eval/membership.hpp) tells them from `real`, the rows it
  // trained on, and ML efficacy tests on them instead of on a split of `real`. nullptr: no
  // membership inference (the report says why).
  const Table* holdout = nullptr;
  // The scores of this pair when the caller has them already (calm evaluate prints them too),
  // computed with pair trends unless `minimal`; nullptr: computed here.
  const QualityReport* quality = nullptr;
  // A DP method's guarantee (Synthesizer::privacy_guarantee): written into
  // sdv_quality_report.json ("differential_privacy") and the HTML report.
  Json privacy_guarantee = nullptr;
  // Sequence data (a sequence method's output, calm evaluate --sequence-key): the entity column and
  // the time column. The reports then add the sequence metrics (calm/eval/sequence_metrics.hpp),
  // the entity lengths and real-vs-synthetic trajectories.
  std::optional<std::string> sequence_key = std::nullopt;
  std::optional<std::string> time_col = std::nullopt;
  // Single-cell data (a single-cell method's output, calm evaluate on cells): the gene columns.
  // The reports then score the genes with the single-cell metrics (calm/eval/
  // single_cell_metrics.hpp; cell types from target_col) and give every other part of the reports
  // the remaining (obs) columns only.
  std::vector<std::string> gene_columns = {};
  // Cells held as matrices (api/cell_generator.hpp): the genes of each side, scored by the
  // single-cell metrics; `real` and `synthetic` then hold the obs columns only. Unset otherwise.
  std::optional<CsrView> real_genes = std::nullopt;
  std::optional<CsrView> synthetic_genes = std::nullopt;
};

// Writes every report this release builds; returns the paths written.
std::vector<std::string> write_reports(const ReportRequest& request, const Logger& log);

}  // namespace calm
