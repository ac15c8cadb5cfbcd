// to_json(QualityReport): the report as JSON for `calm evaluate` and sdv_quality_report.json.
// JSON has no NaN, so a score SDMetrics would give as NaN is null, with "error" (the metric
// failed, SDMetrics' text) or "note" (why there is nothing to score) beside it.
#include <string>

#include "calm/eval/quality.hpp"

namespace calm {
namespace {

Json value(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

void add_reason(Json& j, const std::string& error, const std::string& note) {
  if (!error.empty()) j["error"] = error;
  if (!note.empty()) j["note"] = note;
}

}  // namespace

Json to_json(const QualityReport& r) {
  Json j;
  j["overall"] = value(r.overall);
  if (!r.overall) j["note"] = "no property could be scored";
  j["definitions"] = "SDMetrics 0.32 single-table QualityReport and DiagnosticReport";
  j["num_rows_real"] = r.real_rows;
  j["num_rows_synthetic"] = r.synthetic_rows;
  j["thresholds"] = {{"real_correlation", r.options.real_correlation_threshold},
                     {"real_association", r.options.real_association_threshold}};

  Json props = Json::object();
  props["Column Shapes"] = value(r.column_shapes_score);
  props["Column Pair Trends"] = value(r.column_pair_trends_score);
  j["properties"] = props;
  Json notes = Json::object();
  if (!r.column_shapes_score) notes["Column Shapes"] = "no column could be scored";
  if (!r.pair_trends_computed)
    notes["Column Pair Trends"] = "skipped (minimal report)";
  else if (!r.column_pair_trends_score)
    notes["Column Pair Trends"] =
        "no column pair meets the real-data threshold (or there are fewer than two columns)";
  if (!notes.empty()) j["property_notes"] = notes;

  Json shapes = Json::array();
  for (const auto& c : r.column_shapes) {
    Json e = {{"column", c.column}, {"metric", c.metric}, {"score", value(c.score)}};
    add_reason(e, c.error, c.note);
    shapes.push_back(std::move(e));
  }
  j["column_shapes"] = std::move(shapes);

  Json pairs = Json::array();
  for (const auto& p : r.column_pair_trends) {
    Json e = {{"column_1", p.column_1},
              {"column_2", p.column_2},
              {"metric", p.metric},
              {"score", value(p.score)},
              {"real_correlation", value(p.real_correlation)},
              {"synthetic_correlation", value(p.synthetic_correlation)},
              {"real_association", value(p.real_association)},
              {"meets_threshold", p.meets_threshold ? Json(*p.meets_threshold) : Json(nullptr)}};
    add_reason(e, p.error, p.note);
    pairs.push_back(std::move(e));
  }
  j["column_pair_trends"] = std::move(pairs);

  if (r.diagnostic_computed) {
    const DiagnosticResult& d = r.diagnostic;
    Json diag;
    diag["overall"] = value(d.overall);
    diag["properties"] = {{"Data Validity", value(d.data_validity)},
                          {"Data Structure", value(d.data_structure)}};
    Json validity = Json::array();
    for (const auto& v : d.validity) {
      Json e = {{"column", v.column}, {"metric", v.metric}, {"score", value(v.score)}};
      add_reason(e, {}, v.note);
      validity.push_back(std::move(e));
    }
    diag["data_validity"] = std::move(validity);
    diag["data_structure"] = {{"metric", "TableStructure"}, {"score", value(d.data_structure)}};
    j["diagnostic"] = std::move(diag);
  }
  return j;
}

}  // namespace calm
