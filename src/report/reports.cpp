// Report writing. Built: sdv_quality_report.json (SDMetrics-equivalent quality and diagnostic
// scores, see docs/metrics.md). The seed's HTML/PNG reports come with a later release; a warning
// names the files that are not written yet.
#include "calm/report/reports.hpp"

#include <filesystem>

#include "calm/eval/quality.hpp"
#include "calm/io/csv.hpp"

namespace calm {

std::vector<std::string> write_reports(const ReportRequest& req, const Logger& log) {
  std::vector<std::string> files;
  QualityOptions options;
  options.pair_trends = !req.minimal;
  options.threads = req.threads;
  QualityReport report = evaluate_quality(req.real, req.synthetic, req.schema, options);
  Json json = to_json(report);
  json["generator_name"] = req.generator_name;
  json["method"] = req.method;
  json["random_state"] = req.seed;
  const auto path = (std::filesystem::path(req.output_dir) / "sdv_quality_report.json").string();
  write_file_atomically(path, json.dump(2) + "\n");
  files.push_back(path);
  if (report.overall)
    log.info("quality (SDMetrics-equivalent) overall " + std::to_string(*report.overall).substr(0, 6) +
             "; wrote " + path);
  log.warning("HTML/PNG reports are not available yet in this release (quality_report.html, "
              "comparison_report.html, distribution_plots.png, correlation_heatmap.png)");
  return files;
}

}  // namespace calm
