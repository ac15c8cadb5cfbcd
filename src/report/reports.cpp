// write_reports: the files written to output_dir when auto_report is on — sdv_quality_report.json
// (SDMetrics-equivalent scores, docs/metrics.md, plus privacy, membership inference when a hold-out
// is given and, when asked for, adversarial validation and ML efficacy), comparison_report.html,
// quality_report.html (profile of the synthetic data), distribution_plots.png and
// correlation_heatmap.png (not in a minimal report). Every file is written atomically.
#include "calm/report/reports.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"
#include "report/report_data.hpp"

namespace calm {

namespace {

std::vector<std::string> write_all(const ReportRequest& req, const Logger& log,
                                   std::optional<report::ReportData> single_cell);

}  // namespace

std::vector<std::string> write_reports(const ReportRequest& req, const Logger& log) {
  if (req.real_genes && req.synthetic_genes) {  // the obs tables are already apart
    report::ReportData cells;
    report::add_single_cell(cells, req, log);
    return write_all(req, log, std::move(cells));
  }
  if (req.gene_columns.empty()) return write_all(req, log, std::nullopt);
  // Genes are scored by the single-cell metrics; every other part reads the obs columns.
  report::ReportData cells;
  report::add_single_cell(cells, req, log);
  std::vector<std::string> obs;
  for (const auto& name : req.real.column_names())
    if (std::find(req.gene_columns.begin(), req.gene_columns.end(), name) == req.gene_columns.end())
      obs.push_back(name);
  Schema schema;
  for (const ColumnSchema& cs : req.schema.columns)
    if (std::find(obs.begin(), obs.end(), cs.name) != obs.end()) schema.columns.push_back(cs);
  std::vector<std::string> synthetic_obs;
  for (const auto& name : obs)
    if (req.synthetic.has(name)) synthetic_obs.push_back(name);
  const Table real = req.real.select(obs), synthetic = req.synthetic.select(synthetic_obs);
  ReportRequest narrowed{real,
                         synthetic,
                         schema,
                         req.target_col,
                         req.output_dir,
                         req.generator_name,
                         req.method,
                         req.minimal,
                         req.adversarial_validation,
                         req.threads,
                         req.seed,
                         req.drift_windows,
                         req.holdout,
                         nullptr,
                         req.privacy_guarantee,
                         req.sequence_key,
                         req.time_col};
  return write_all(narrowed, log, std::move(cells));
}

namespace {

std::vector<std::string> write_all(const ReportRequest& req, const Logger& log,
                                   std::optional<report::ReportData> single_cell) {
  // Columns that post-processing added (dynamics' constructed target, date_col) have no real
  // counterpart: the reports compare the columns both tables have and say which were left out.
  std::vector<std::string> added, shared;
  for (const auto& name : req.synthetic.column_names())
    (req.real.has(name) ? shared : added).push_back(name);
  if (!added.empty()) {
    log.info("reports compare the columns of the real data; not in it: " + join_names(added));
    const Table compared = req.synthetic.select(shared);
    const ReportRequest narrowed{req.real,         compared,       req.schema,
                                 req.target_col,   req.output_dir, req.generator_name,
                                 req.method,       req.minimal,    req.adversarial_validation,
                                 req.threads,      req.seed,       req.drift_windows,
                                 req.holdout,      nullptr,        req.privacy_guarantee,
                                 req.sequence_key, req.time_col};
    return write_all(narrowed, log, std::move(single_cell));
  }
  const auto start = std::chrono::steady_clock::now();
  report::ReportData d = report::build_report_data(req, log);
  if (single_cell) {
    d.single_cell = std::move(single_cell->single_cell);
    d.single_cell_note = std::move(single_cell->single_cell_note);
  }
  std::vector<std::string> files;
  auto write = [&](const std::string& name, const std::string& contents) {
    const auto path = (std::filesystem::path(req.output_dir) / name).string();
    write_file_atomically(path, contents);
    files.push_back(path);
  };

  Json json = to_json(d.quality);
  json["generator_name"] = req.generator_name;
  json["method"] = req.method;
  json["random_state"] = req.seed;
  json["privacy"] = d.privacy ? to_json(*d.privacy) : Json{{"note", d.privacy_note}};
  if (!req.privacy_guarantee.is_null()) json["differential_privacy"] = req.privacy_guarantee;
  json["membership_inference"] =
      d.membership ? to_json(*d.membership) : Json{{"note", d.membership_note}};
  if (d.adversarial) json["adversarial_validation"] = *d.adversarial;
  if (d.ml_efficacy) json["ml_efficacy"] = *d.ml_efficacy;
  if (d.single_cell)
    json["single_cell"] = to_json(*d.single_cell);
  else if (!d.single_cell_note.empty())
    json["single_cell"] = Json{{"note", d.single_cell_note}};
  if (d.sequences) {
    Json sequence = d.sequences->note.empty() ? to_json(d.sequences->scores)
                                              : Json{{"note", d.sequences->note}};
    if (d.sequences->note.empty()) sequence["row_quality"] = d.quality.overall.value_or(NAN);
    json["sequence"] = std::move(sequence);
  }
  write("sdv_quality_report.json", json.dump(2) + "\n");
  if (d.adversarial) write("adversarial_validation.json", d.adversarial->dump(2) + "\n");
  report::timed(log, "html and png files", [&] {
    write("comparison_report.html", report::comparison_html(d));
    write("quality_report.html", report::profile_html(d));
    write("distribution_plots.png", report::distribution_png(d));
    if (d.corr_columns.size() >= 2)
      write("correlation_heatmap.png", report::correlation_png(d));
    else
      log.info(req.minimal ? "minimal report: no correlation_heatmap.png"
                           : "fewer than two numerical/datetime/boolean columns: no "
                             "correlation_heatmap.png");
  });

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char summary[160];
  std::snprintf(summary, sizeof summary, "reports: quality %.4f, %zu files in %.2f s to ",
                d.quality.overall.value_or(std::nan("")), files.size(), seconds);
  log.info(summary + req.output_dir);
  return files;
}

}  // namespace
}  // namespace calm
