// Report writer (src/report): every file is written and valid — PNG signature and IHDR size,
// self-contained HTML with the expected sections and no external URL or script, escaped text —
// the minimal report leaves out correlations, PCA and privacy, and optional sections appear when
// asked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/report/reports.hpp"
#include "report/drift_series.hpp"

using namespace calm;
namespace fs = std::filesystem;

namespace {

// Numerical (correlated, with gaps), categorical with markup in a level, boolean, datetime.
Table draw(size_t n, uint64_t seed) {
  Rng rng(seed, 0);
  std::vector<double> x(n), y(n);
  std::vector<int32_t> k(n);
  std::vector<uint8_t> flag(n);
  std::vector<int64_t> when(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = rng.normal() * 3 + 10;
    y[i] = i % 17 == 0 ? std::nan("") : 2 * x[i] + rng.normal();
    k[i] = static_cast<int32_t>(rng.below(3));
    flag[i] = rng.uniform() < 0.3;
    when[i] = 1'600'000'000'000'000'000LL +
              static_cast<int64_t>(rng.below(86400ULL * 365)) * 1'000'000'000LL;
  }
  return Table({Column::float64("x", x), Column::float64("y", y),
                Column::categorical("kind", k, {"alpha", "<b>&beta", "gamma"}),
                Column::boolean("flag", flag), Column::datetime("when", when)});
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

uint32_t big_endian(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

// PNG signature, then the IHDR chunk first: returns {width, height}.
std::pair<uint32_t, uint32_t> png_size(const fs::path& p) {
  const std::string s = slurp(p);
  EXPECT_GE(s.size(), 33u) << p;
  if (s.size() < 33) return {0, 0};
  EXPECT_EQ(s.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << p;
  EXPECT_EQ(s.substr(12, 4), "IHDR") << p;
  return {big_endian(s, 16), big_endian(s, 20)};
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

void expect_self_contained_html(const std::string& html, const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(count(html, "<svg "), count(html, "</svg>"));
  EXPECT_EQ(count(html, "<section "), count(html, "</section>"));
  EXPECT_EQ(count(html, "<table>"), count(html, "</table>"));
  EXPECT_EQ(html.find("<b>&beta"), std::string::npos) << "data text must be escaped";
  EXPECT_NE(html.find("&lt;b&gt;&amp;beta"), std::string::npos);
}

struct Written {
  fs::path dir;
  std::vector<std::string> files;
};

Written run(bool minimal, bool extras, const std::string& tag) {
  static const Table real = draw(600, 1), synthetic = draw(500, 2);
  static const Schema schema = infer_schema(real);
  Written w{fs::temp_directory_path() / ("calm_reports_" + tag + std::to_string(::getpid())), {}};
  fs::remove_all(w.dir);
  fs::create_directories(w.dir);
  ReportRequest req{real,           synthetic,  schema,     std::nullopt,
                    w.dir.string(), "Test_gen", "resample", minimal,
                    false,          1,          42};
  if (extras) {
    req.target_col = "kind";
    req.adversarial_validation = true;
  }
  const Logger quiet(LogLevel::quiet, [](LogLevel, const std::string&) {});
  w.files = write_reports(req, quiet);
  return w;
}

}  // namespace

TEST(Reports, FullReportWritesValidFiles) {
  const Written w = run(false, false, "full");
  for (const char* name :
       {"sdv_quality_report.json", "comparison_report.html", "quality_report.html",
        "distribution_plots.png", "correlation_heatmap.png"})
    EXPECT_TRUE(fs::exists(w.dir / name)) << name;
  EXPECT_EQ(w.files.size(), 5u);

  // 5 columns in a 3-wide grid: 3 x 420 px wide, a 64 px header and 2 rows of 270 px.
  EXPECT_EQ(png_size(w.dir / "distribution_plots.png"), std::make_pair(1260u, 604u));
  const auto [hw, hh] = png_size(w.dir / "correlation_heatmap.png");
  EXPECT_EQ(hw, 1380u);  // three 460 px matrices
  EXPECT_GT(hh, 300u);

  const std::string cmp = slurp(w.dir / "comparison_report.html");
  expect_self_contained_html(cmp, "comparison_report.html");
  for (const char* id : {"id=\"scores\"", "id=\"privacy\"", "id=\"distributions\"",
                         "id=\"correlations\"", "id=\"pca\""})
    EXPECT_NE(cmp.find(id), std::string::npos) << id;
  EXPECT_EQ(cmp.find("id=\"adversarial\""), std::string::npos);
  // One distribution chart per column, three heatmaps, the PCA scatter.
  EXPECT_NE(cmp.find("aria-label=\"Distribution of when\""), std::string::npos);
  EXPECT_NE(cmp.find("Difference (synthetic - real) correlation matrix"), std::string::npos);
  EXPECT_GE(count(cmp, "<circle "), 400u);

  const std::string prof = slurp(w.dir / "quality_report.html");
  expect_self_contained_html(prof, "quality_report.html");
  for (const char* id :
       {"id=\"overview\"", "id=\"missing\"", "id=\"columns\"", "id=\"correlations\""})
    EXPECT_NE(prof.find(id), std::string::npos) << id;

  const Json j = Json::parse(slurp(w.dir / "sdv_quality_report.json"));
  EXPECT_TRUE(j["overall"].is_number());
  ASSERT_TRUE(j.contains("privacy"));
  // Two independent draws of one distribution: no copies, DCR like the hold-out's.
  EXPECT_DOUBLE_EQ(j["privacy"]["exact_copy_rate"].get<double>(), 0.0);
  EXPECT_NEAR(j["privacy"]["dcr_ratio"].get<double>(), 1.0, 0.35);
  fs::remove_all(w.dir);
}

TEST(Reports, MinimalReportSkipsCorrelationsPcaAndPrivacy) {
  const Written w = run(true, false, "min");
  EXPECT_EQ(w.files.size(), 4u);
  EXPECT_FALSE(fs::exists(w.dir / "correlation_heatmap.png"));
  const std::string cmp = slurp(w.dir / "comparison_report.html");
  expect_self_contained_html(cmp, "comparison_report.html (minimal)");
  EXPECT_EQ(cmp.find("id=\"correlations\""), std::string::npos);
  EXPECT_EQ(cmp.find("id=\"pca\""), std::string::npos);
  EXPECT_NE(cmp.find("skipped (minimal report)"), std::string::npos);
  const Json j = Json::parse(slurp(w.dir / "sdv_quality_report.json"));
  EXPECT_TRUE(j["column_pair_trends"].empty());
  EXPECT_FALSE(j["privacy"].contains("dcr_ratio"));
  EXPECT_NE(j["privacy"]["note"].get<std::string>().find("Minimal report"), std::string::npos);
  fs::remove_all(w.dir);
}

TEST(Reports, AdversarialAndMlEfficacySectionsWhenRequested) {
  const Written w = run(false, true, "extra");
  const std::string cmp = slurp(w.dir / "comparison_report.html");
  EXPECT_NE(cmp.find("id=\"adversarial\""), std::string::npos);
  EXPECT_NE(cmp.find("id=\"ml-efficacy\""), std::string::npos);
  const Json j = Json::parse(slurp(w.dir / "sdv_quality_report.json"));
  EXPECT_TRUE(j.contains("adversarial_validation"));
  EXPECT_TRUE(j.contains("ml_efficacy"));
  fs::remove_all(w.dir);
}

TEST(Reports, DriftSectionPlotsEachDriftedColumn) {
  const Table real = draw(300, 1), synthetic = draw(400, 2);
  const Schema schema = infer_schema(real);
  const fs::path dir =
      fs::temp_directory_path() / ("calm_reports_drift" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ReportRequest req{real,         synthetic,  schema,     std::nullopt,
                    dir.string(), "Test_gen", "resample", true,
                    false,        1,          42};
  req.drift_windows = {{"x", 100, 299, "inject_feature_drift"},
                       {"kind", 200, 399, "inject_drift"},
                       {"x", 350, 399, "inject_outliers_global"},
                       {"not_a_column", 0, 10, "inject_drift"}};
  const Logger quiet(LogLevel::quiet, [](LogLevel, const std::string&) {});
  write_reports(req, quiet);
  const std::string cmp = slurp(dir / "comparison_report.html");
  expect_self_contained_html(cmp, "comparison_report.html (drift)");
  EXPECT_NE(cmp.find("id=\"drift\""), std::string::npos);
  EXPECT_NE(cmp.find("aria-label=\"Drift of x over the row index\""), std::string::npos);
  EXPECT_NE(cmp.find("aria-label=\"Drift of kind over the row index\""), std::string::npos);
  EXPECT_EQ(cmp.find("Drift of not_a_column"), std::string::npos);
  EXPECT_EQ(count(cmp, "over the row index\""), 2u);  // one plot per column, windows merged
  fs::remove_all(dir);
  // Without windows there is no drift section.
  const Written w = run(true, false, "nodrift");
  EXPECT_EQ(slurp(w.dir / "comparison_report.html").find("id=\"drift\""), std::string::npos);
  fs::remove_all(w.dir);
}

TEST(Reports, DriftSeriesRollingMeanAndAffectedShare) {
  // x steps from 0 to 10 at row 500; the category "b" appears only from row 500.
  std::vector<double> x(1000);
  std::vector<int32_t> k(1000);
  for (size_t i = 0; i < 1000; ++i) {
    x[i] = i < 500 ? 0.0 : 10.0;
    k[i] = i < 500 ? 0 : static_cast<int32_t>(i % 2);
  }
  const Table t({Column::float64("x", x), Column::categorical("k", k, {"a", "b"})});
  const auto series = report::drift_series(
      t, {{"x", 500, 999, "inject_feature_drift"}, {"k", 500, 999, "inject_drift"}}, 101);
  ASSERT_EQ(series.size(), 2u);
  const auto& sx = series[0];
  EXPECT_EQ(sx.span, 40u);  // rows / 25
  ASSERT_EQ(sx.x.size(), 101u);
  EXPECT_DOUBLE_EQ(sx.y.front(), 0.0);
  EXPECT_DOUBLE_EQ(sx.y.back(), 10.0);
  EXPECT_DOUBLE_EQ(sx.x.back(), 999.0);
  // Rolling mean over 40 rows centred on row 500 (rows 480..519): half the rows at 10.
  EXPECT_NEAR(sx.y[50], 5.0, 0.3);
  const auto& sk = series[1];
  EXPECT_EQ(sk.y_label, "share of 'b'");
  EXPECT_DOUBLE_EQ(sk.y.front(), 0.0);
  EXPECT_NEAR(sk.y.back(), 0.5, 0.05);
}
