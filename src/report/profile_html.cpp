// quality_report.html: a profile of the synthetic data on its own — overview, missing values,
// per-column statistics and charts, correlations.
#include "report/charts.hpp"
#include "report/html.hpp"
#include "report/report_data.hpp"

namespace calm::report {
namespace {

std::string pct(double v) {
  return fmt(100 * v, 1) + "%";
}

std::string column_block(const ColumnSummary& s) {
  SvgCanvas c(380, 250);
  draw_distribution(c, {0, 0, 380, 250}, s, "");
  const SideStats& st = s.sides[0];
  const double miss = st.rows ? static_cast<double>(st.missing) / static_cast<double>(st.rows) : 0;
  std::vector<std::vector<std::string>> rows = {
      {"type", to_string(s.semantic)},
      {"missing", std::to_string(st.missing) + " (" + pct(miss) + ")"},
      {"distinct", std::to_string(st.distinct)}};
  if (s.continuous) {
    for (const auto& [label, v] :
         std::vector<std::pair<std::string, double>>{{"mean", st.mean},
                                                     {"std. deviation", st.sd},
                                                     {"minimum", st.min},
                                                     {"25th percentile", st.q25},
                                                     {"median", st.median},
                                                     {"75th percentile", st.q75},
                                                     {"maximum", st.max}})
      rows.push_back({label, label == "std. deviation" ? format_spread(s, v) : format_value(s, v)});
  } else {
    rows.push_back({"most frequent", st.top});
    for (size_t i = 0; i < s.levels.size() && i < 5; ++i)
      rows.push_back({s.levels[i], pct(st.share[i])});
  }
  return "<div class=\"chart\" style=\"display:flex;gap:12px;align-items:flex-start\">" +
         c.svg("Distribution of " + s.name) + "<div>" + table({"statistic", "value"}, rows) +
         "</div></div>";
}

}  // namespace

std::string profile_html(const ReportData& d) {
  size_t missing = 0, cells = 0;
  for (const ColumnSummary& s : d.columns) {
    missing += s.sides[1].missing;
    cells += s.sides[1].rows;
  }
  std::string overview = "<div class=\"cards\">";
  overview += info_card("Rows", std::to_string(d.synthetic_rows));
  overview += info_card("Columns", std::to_string(d.columns.size()));
  overview += info_card("Missing cells", pct(cells ? static_cast<double>(missing) / cells : 0.0));
  overview += info_card("Duplicate rows",
                        pct(d.synthetic_rows ? static_cast<double>(d.synthetic_duplicate_rows) /
                                                   static_cast<double>(d.synthetic_rows)
                                             : 0.0));
  overview += "</div>";
  std::vector<std::vector<std::string>> types;
  for (const ColumnSummary& s : d.columns)
    types.push_back(
        {s.name, to_string(s.semantic), std::to_string(s.sides[1].distinct),
         pct(s.sides[1].rows ? static_cast<double>(s.sides[1].missing) / s.sides[1].rows : 0.0)});
  overview += table({"column", "type", "distinct", "missing"}, types, 2);
  if (!d.sample_note.empty()) overview += paragraph(d.sample_note, "note");

  std::string body = section("overview", "Overview", overview);
  std::vector<std::string> labels;
  std::vector<double> shares;
  for (const ColumnSummary& s : d.columns) {
    labels.push_back(s.name);
    shares.push_back(s.sides[1].rows ? static_cast<double>(s.sides[1].missing) / s.sides[1].rows
                                     : 0.0);
  }
  if (missing == 0) {
    body += section("missing", "Missing values", paragraph("No missing values."));
  } else {
    const double h = 40 + 24.0 * labels.size();
    SvgCanvas c(720, h);
    draw_hbars(c, {0, 0, 720, h}, labels, shares, "Missing values per column", {150, 150, 160});
    body += section("missing", "Missing values",
                    "<div class=\"chart\">" + c.svg("Missing values per column") + "</div>");
  }
  std::string cols = "<div class=\"grid\">";
  for (const ColumnSummary& s : d.columns) cols += column_block(synthetic_side(s));
  body += section("columns", "Columns", cols + "</div>");
  std::vector<std::pair<std::string, std::string>> nav = {
      {"overview", "Overview"}, {"missing", "Missing values"}, {"columns", "Columns"}};
  if (!d.minimal && d.corr_columns.size() >= 2) {
    const double w = 480, h = heatmap_height(d.corr_columns, w);
    SvgCanvas c(w, h);
    draw_heatmap(c, {0, 0, w, h}, d.corr_synthetic, d.corr_columns, "Pearson correlation");
    body += section("correlations", "Correlations",
                    paragraph("Pearson correlation of the numerical, datetime and boolean "
                              "columns over rows where both are present.",
                              "note") +
                        "<div class=\"chart\" style=\"display:inline-block\">" +
                        c.svg("Correlation matrix") + "</div>");
    nav.emplace_back("correlations", "Correlations");
  }
  return html_page("Synthetic data profile",
                   d.generator_name + " \xC2\xB7 method " + d.method + " \xC2\xB7 " +
                       std::to_string(d.synthetic_rows) + " rows",
                   nav, body);
}

}  // namespace calm::report
