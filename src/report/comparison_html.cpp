// comparison_report.html: real vs synthetic in one self-contained page — quality scores,
// privacy, membership inference, adversarial validation and ML efficacy when computed, per-column
// overlaid distributions, correlation matrices and their difference, and a PCA projection.
#include <algorithm>
#include <cmath>

#include "report/charts.hpp"
#include "report/html.hpp"
#include "report/report_data.hpp"

namespace calm::report {
namespace {

constexpr double kChartW = 372, kChartH = 250;

std::string legend_html(const std::vector<std::string>& names) {
  static const char* colors[] = {"var(--real)", "var(--syn)"};
  std::string out = "<div class=\"legend\">";
  for (size_t i = 0; i < names.size() && i < 2; ++i)
    out += std::string("<span><span class=\"sw\" style=\"background:") + colors[i] + "\"></span>" +
           xml_escape(names[i]) + "</span>";
  return out + "</div>";
}

std::string chart(const SvgCanvas& c, const std::string& label) {
  return "<div class=\"chart\">" + c.svg(label) + "</div>";
}

std::string pct(double v) {
  return fmt(100 * v, 1) + "%";
}

std::string scores_section(const ReportData& d) {
  const QualityReport& q = d.quality;
  std::string body = "<div class=\"cards\">";
  body += score_card("Overall quality", q.overall);
  body += score_card("Column Shapes", q.column_shapes_score);
  body += score_card("Column Pair Trends", q.column_pair_trends_score,
                     q.pair_trends_computed ? "" : "skipped (minimal report)");
  if (q.diagnostic_computed)
    body += score_card("Diagnostic (validity, structure)", q.diagnostic.overall);
  body += info_card("Duplicate synthetic rows",
                    pct(d.synthetic_rows ? static_cast<double>(d.synthetic_duplicate_rows) /
                                               static_cast<double>(d.synthetic_rows)
                                         : 0.0));
  body += "</div>";
  body += paragraph(
      "Scores follow SDMetrics' single-table QualityReport: Column Shapes is the mean of the "
      "Kolmogorov-Smirnov complement (numerical, datetime) and total-variation complement "
      "(categorical, boolean) per column; Column Pair Trends compares correlations and "
      "contingency tables of column pairs. 100% means identical.",
      "note");
  if (!d.sample_note.empty()) body += paragraph(d.sample_note, "note");
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : q.column_shapes) {
    labels.push_back(c.column);
    values.push_back(c.score.value_or(std::nan("")));
    rows.push_back(
        {c.column, c.metric, c.score ? fmt(*c.score) : "n/a", c.error.empty() ? c.note : c.error});
  }
  if (!labels.empty()) {
    SvgCanvas bars(720, 40 + 24.0 * labels.size());
    draw_hbars(bars, {0, 0, 720, 40 + 24.0 * labels.size()}, labels, values,
               "Column Shapes score per column", {60, 140, 90});
    body += "<h3>Column Shapes</h3>" + chart(bars, "Column Shapes score per column");
    body += table({"column", "metric", "score", "note"}, rows, 2);
  }
  if (q.pair_trends_computed && !q.column_pair_trends.empty()) {
    // The weakest pairs first: they show where the generator loses structure.
    std::vector<const PairTrendScore*> pairs;
    for (const auto& p : q.column_pair_trends)
      if (p.score) pairs.push_back(&p);
    std::sort(pairs.begin(), pairs.end(),
              [](const auto* a, const auto* b) { return *a->score < *b->score; });
    std::vector<std::vector<std::string>> prow;
    for (size_t i = 0; i < pairs.size() && i < 15; ++i) {
      const auto& p = *pairs[i];
      prow.push_back({p.column_1 + " / " + p.column_2, p.metric, fmt(*p.score),
                      p.real_correlation ? fmt(*p.real_correlation, 3) : "",
                      p.synthetic_correlation ? fmt(*p.synthetic_correlation, 3) : "",
                      p.meets_threshold ? (*p.meets_threshold ? "yes" : "no") : ""});
    }
    body += "<h3>Column Pair Trends: the 15 weakest pairs (of " +
            std::to_string(q.column_pair_trends.size()) + ")</h3>" +
            table({"pair", "metric", "score", "real r", "synthetic r", "counts in score"}, prow, 2);
  }
  return section("scores", "Quality scores", body);
}

std::string privacy_section(const ReportData& d) {
  if (!d.privacy) return section("privacy", "Privacy", paragraph(d.privacy_note, "note"));
  const PrivacyReport& p = *d.privacy;
  std::string body = "<div class=\"cards\">";
  body += info_card("DCR ratio (synthetic / hold-out)",
                    p.dcr_ratio ? fmt(*p.dcr_ratio, 3) + " ± " + fmt(p.dcr_ratio_se, 3) : "n/a");
  body += info_card("Exact copies of real rows", pct(p.exact_copy_rate));
  body += info_card("Synthetic rows closer than hold-out 5th pct.", pct(p.share_below_holdout_p5));
  body += info_card("Median NNDR synthetic / hold-out",
                    fmt(p.nndr_synthetic_median, 3) + " / " + fmt(p.nndr_holdout_median, 3));
  body += "</div>";
  body += paragraph("Assessment: " + p.interpretation,
                    p.interpretation.rfind("low", 0) == 0 ? "" : "warn");
  body += paragraph(
      "The real rows were split (seeded) into a training part (" + std::to_string(p.train_rows) +
          " rows) and a hold-out (" + std::to_string(p.holdout_rows) +
          " rows). DCR is the mixed-type distance from a row to its closest training row "
          "(numerical columns scaled by their range, 1 per categorical mismatch). A synthetic row "
          "should be no closer to the training rows than a new real row (the hold-out) is: a DCR "
          "ratio near 1 is expected, near 0 means copying. The generator saw every real row, so "
          "copies of hold-out rows are counted in the exact-copy rate only. NNDR is the nearest / "
          "second-nearest distance ratio (small = the row singles out one record).",
      "note");
  const ColumnSummary dcr =
      summarize_values("Distance to closest training record", {&p.dcr_holdout, &p.dcr_synthetic});
  SvgCanvas c(640, 280);
  draw_distribution(c, {0, 0, 640, 280}, dcr, " (DCR)");
  body += legend_html({"Real hold-out", "Synthetic"}) + chart(c, "DCR distribution");
  std::vector<std::vector<std::string>> rows = {
      {"DCR median (± standard error)",
       fmt(p.dcr_holdout_median) + " ± " + fmt(p.dcr_holdout_median_se),
       fmt(p.dcr_synthetic_median) + " ± " + fmt(p.dcr_synthetic_median_se)},
      {"DCR 5th percentile", fmt(p.dcr_holdout_p5), fmt(p.dcr_synthetic_p5)},
      {"DCR mean", fmt(p.dcr_holdout_mean), fmt(p.dcr_synthetic_mean)},
      {"NNDR median", fmt(p.nndr_holdout_median), fmt(p.nndr_synthetic_median)},
      {"exact copies", pct(p.holdout_exact_copy_rate), pct(p.exact_copy_rate)},
      {"rows queried", std::to_string(p.dcr_holdout.size()),
       std::to_string(p.dcr_synthetic.size())}};
  body += table({"", "real hold-out", "synthetic"}, rows);
  body += paragraph("Measured on " + sampling_text(p) + ".", "note");
  return section("privacy", "Privacy", body);
}

// The formal guarantee of a DP method: what was spent on what, and what was treated as public.
std::string guarantee_section(const Json& g) {
  const bool zcdp = g.contains("rho");
  std::string body = "<div class=\"cards\">";
  body += info_card("epsilon", fmt(g.value("epsilon", 0.0), 4));
  body += info_card("delta", fmt(g.value("delta", 0.0), 3));
  if (zcdp) body += info_card("rho (zCDP)", fmt(g.value("rho", 0.0), 5));
  body += info_card("mechanism", g.value("mechanism", ""));
  body += "</div>";
  body += paragraph(
      "The synthetic table is (epsilon, delta)-differentially private with respect "
      "to one real row added or removed. Accounting: " +
          g.value("accountant", std::string()) + ". Noise: " + g.value("noise", std::string()) +
          ".",
      "note");
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : g.value("spends", Json::array())) {
    const char* unit = s.contains("rho") ? "rho" : "epsilon";
    rows.push_back({s.value("what", ""), unit, fmt(s.value(unit, 0.0), 5)});
  }
  body += table({"spent on", "unit", "amount"}, rows);
  std::vector<std::vector<std::string>> inputs;
  for (const auto& p : g.value("public_inputs", Json::array()))
    inputs.push_back({p.get<std::string>()});
  body += table({"treated as public (not protected)"}, inputs, 1);
  return section("dp", "Differential privacy", body);
}

std::string membership_section(const ReportData& d) {
  const char* title = "Membership inference";
  if (!d.membership) return section("membership", title, paragraph(d.membership_note, "note"));
  const MembershipReport& m = *d.membership;
  std::string body = "<div class=\"cards\">";
  body += info_card("Attack AUC (0.5 = no signal)", fmt(m.auc, 3) + " ± " + fmt(m.auc_se, 3));
  body +=
      info_card("Advantage max(TPR - FPR)", fmt(m.advantage, 3) + " ± " + fmt(m.advantage_se, 3));
  body += info_card("TPR at 10% FPR (guessing: 10%)", pct(m.tpr_at_fpr_10pct));
  body += info_card("TPR at 1% FPR (guessing: 1%)", pct(m.tpr_at_fpr_1pct));
  body += "</div>";
  body += paragraph("Assessment: " + m.interpretation, m.auc < 0.55 ? "" : "warn");
  body += paragraph(
      "An attacker holding the synthetic rows guesses that a real row was in the training data "
      "when it lies close to some synthetic row (distance-to-synthetic attack, GAN-Leaks). The "
      "generator trained on " +
          std::to_string(m.train_rows) + " rows and never saw the " +
          std::to_string(m.holdout_rows) +
          " hold-out rows; the same number of each is scored by its mixed-type distance to the "
          "nearest synthetic row. The AUC is the chance that a training row is closer than a "
          "hold-out row (ties count half): 0.5 means members are not distinguishable, above 0.6 "
          "the generator leaks which rows it learnt from.",
      "note");
  const ColumnSummary dist = summarize_values("Distance to the nearest synthetic row",
                                              {&m.distance_train, &m.distance_holdout});
  SvgCanvas c(640, 280);
  draw_distribution(c, {0, 0, 640, 280}, dist, "");
  body += legend_html({"Training rows (members)", "Hold-out rows"}) +
          chart(c, "Distance to the nearest synthetic row");
  std::vector<std::vector<std::string>> rows = {
      {"median distance to the nearest synthetic row", fmt(m.distance_train_median),
       fmt(m.distance_holdout_median)},
      {"rows (queried)",
       std::to_string(m.train_rows) + " (" + std::to_string(m.distance_train.size()) + ")",
       std::to_string(m.holdout_rows) + " (" + std::to_string(m.distance_holdout.size()) + ")"}};
  body += table({"", "training rows", "hold-out rows"}, rows);
  body += paragraph("Measured on " + sampling_text(m) + ".", "note");
  return section("membership", title, body);
}

std::string distributions_section(const ReportData& d) {
  std::string body = legend_html({"Real", "Synthetic"});
  body += paragraph(
      "Share of each side's rows per bin (30 equal bins over the joint 0.5%-99.5% range; values "
      "outside fall in the edge bins) or per category (the 12 most frequent).",
      "note");
  body += "<div class=\"grid\">";
  std::vector<std::vector<std::string>> rows;
  for (const ColumnSummary& s : d.columns) {
    SvgCanvas c(kChartW, kChartH);
    draw_distribution(c, {0, 0, kChartW, kChartH}, s, "");
    body += chart(c, "Distribution of " + s.name);
    const SideStats& r = s.sides[0];
    const SideStats& y = s.sides[1];
    auto miss = [](const SideStats& st) {
      return st.rows ? pct(static_cast<double>(st.missing) / static_cast<double>(st.rows)) : "-";
    };
    rows.push_back({s.name, to_string(s.semantic), s.continuous ? format_value(s, r.mean) : r.top,
                    s.continuous ? format_value(s, y.mean) : y.top,
                    s.continuous ? format_spread(s, r.sd) : std::to_string(r.distinct),
                    s.continuous ? format_spread(s, y.sd) : std::to_string(y.distinct), miss(r),
                    miss(y)});
  }
  body += "</div><h3>Summary statistics</h3>";
  body += paragraph(
      "Mean and standard deviation for continuous columns; most frequent value "
      "and number of distinct values for discrete ones.",
      "note");
  body += table({"column", "type", "real mean / top", "synthetic mean / top", "real sd / distinct",
                 "synthetic sd / distinct", "real missing", "synthetic missing"},
                rows, 2);
  return section("distributions", "Column distributions", body);
}

std::string correlations_section(const ReportData& d) {
  if (d.corr_columns.size() < 2)
    return section("correlations", "Correlations",
                   paragraph("Needs at least two numerical, datetime or boolean columns.", "note"));
  const double w = 410, h = heatmap_height(d.corr_columns, w);
  std::string body = paragraph(
      "Pearson correlation over rows where both columns are present (numerical, datetime and "
      "boolean columns). The difference is synthetic minus real, on its own colour scale.",
      "note");
  body += "<div class=\"grid\">";
  const std::vector<double> diff = correlation_difference(d);
  const std::vector<std::pair<const std::vector<double>*, std::string>> maps = {
      {&d.corr_real, "Real"},
      {&d.corr_synthetic, "Synthetic"},
      {&diff, "Difference (synthetic - real)"}};
  for (const auto& [m, title] : maps) {
    SvgCanvas c(w, h);
    draw_heatmap(c, {0, 0, w, h}, *m, d.corr_columns, title);
    body += chart(c, title + " correlation matrix");
  }
  return section("correlations", "Correlations", body + "</div>");
}

std::string pca_section(const ReportData& d) {
  if (d.pca.columns.empty())
    return section("pca", "PCA projection", paragraph("Not computed: " + d.pca.note, "note"));
  SvgCanvas c(680, 500);
  draw_scatter(c, {0, 0, 680, 500}, d.pca, 2000);
  std::string cols;
  for (const auto& n : d.pca.columns) cols += (cols.empty() ? "" : ", ") + n;
  return section("pca", "PCA projection",
                 paragraph("Principal components of the standardised columns " + cols +
                               ", fitted on a seeded sample of both sides (up to 5000 rows each; "
                               "2000 per side drawn). Overlapping clouds mean similar joint "
                               "structure.",
                           "note") +
                     chart(c, "PCA projection of real and synthetic rows"));
}

std::string drift_section(const ReportData& d) {
  std::string body = paragraph(
      "Each column that drift_injection_config changed, along the row index of the synthetic "
      "table: a centred rolling mean (numeric columns) or the rolling share of the value whose "
      "share changed most (categorical and boolean columns). Shaded: the rows each drift step "
      "ran over (its selection, within which the transition ramps in).",
      "note");
  std::vector<std::vector<std::string>> rows;
  body += "<div class=\"grid\">";
  for (const DriftSeries& s : d.drift) {
    SvgCanvas c(kChartW * 2 + 16, kChartH);
    draw_drift_series(c, {0, 0, kChartW * 2 + 16, kChartH}, s);
    body += chart(c, "Drift of " + s.column + " over the row index");
    for (const auto& w : s.windows)
      rows.push_back({s.column, w.method, std::to_string(w.start), std::to_string(w.end)});
  }
  body += "</div>";
  body += table({"column", "method", "first row", "last row"}, rows, 2);
  return section("drift", "Drift", body);
}

std::string single_cell_section(const ReportData& d) {
  if (!d.single_cell)
    return section(
        "single-cell", "Single-cell expression",
        paragraph("The single-cell metrics could not be computed: " + d.single_cell_note, "note"));
  const SingleCellReport& q = *d.single_cell;
  auto opt = [](const std::optional<double>& x, int digits) {
    return x ? fmt(*x, digits) : std::string("-");
  };
  const std::vector<std::vector<std::string>> rows = {
      {"cells (real / synthetic), genes", "",
       std::to_string(q.real_cells) + " / " + std::to_string(q.synthetic_cells) + ", " +
           std::to_string(q.genes)},
      {"gene mean correlation", "Pearson over genes of the mean log1p CP10k; 1 = equal",
       fmt(q.mean_correlation, 3)},
      {"gene variance correlation", "the same for the variance", fmt(q.variance_correlation, 3)},
      {"gene dropout correlation", "the same for the share of cells with zero counts",
       fmt(q.dropout_correlation, 3)},
      {"dropout rate difference", "mean absolute difference of the genes' zero shares; 0 = equal",
       fmt(q.dropout_mae, 3)},
      {"sparsity (real / synthetic)", "share of zero entries",
       pct(q.real_sparsity) + " / " + pct(q.synthetic_sparsity)},
      {"mean-variance trend difference",
       "quadratic fits of log10 variance on log10 mean, mean |difference| over the real genes "
       "(log10 units); 0 = the same overdispersion",
       opt(q.mean_variance_trend_difference, 3)},
      {"real-vs-synthetic AUC",
       "XGBoost on the top principal components, 5-fold; 0.5 = indistinguishable",
       opt(q.pca_auc, 3)},
      {"cell-type accuracy (TSTR / TRTR)",
       "a classifier of the target's cell types on the components, trained on synthetic / on "
       "real cells, tested on real ones",
       q.tstr_accuracy ? opt(q.tstr_accuracy, 3) + " / " + opt(q.trtr_accuracy, 3) : "-"}};
  std::string body = paragraph(
      "Genes scored as a single-cell analyst would (docs/single_cell.md), on log1p of counts per "
      "10k; the other sections read the cells' metadata (obs) columns.",
      "note");
  body += table({"metric", "meaning", "value"}, rows, 2);
  if (!q.real_pc.empty()) {
    Projection p;
    p.columns = {"principal components of the most variable genes"};
    p.real_xy = q.real_pc;
    p.synthetic_xy = q.synthetic_pc;
    p.explained[0] = q.explained[0];
    p.explained[1] = q.explained[1];
    SvgCanvas c(680, 500);
    draw_scatter(c, {0, 0, 680, 500}, p, 2000);
    body += paragraph(
        "PC1/PC2 of log1p CP10k over the most variable real genes (standardised on the real "
        "cells, fitted on them), both sides projected; up to 2000 cells a side.",
        "note");
    body += chart(c, "PCA of real and synthetic cells");
  }
  return section("single-cell", "Single-cell expression", body);
}

std::string sequence_section(const SequenceView& v) {
  if (!v.note.empty())
    return section("sequences", "Sequences",
                   paragraph("The sequence metrics could not be computed: " + v.note, "note"));
  const SequenceReport& q = v.scores;
  auto opt = [](const std::optional<double>& x, int digits) {
    return x ? fmt(*x, digits) : std::string("-");
  };
  std::vector<std::vector<std::string>> rows = {
      {"entities (real / synthetic)", "synthetic entities generated",
       std::to_string(q.real_entities) + " / " + std::to_string(q.synthetic_entities)},
      {"length similarity",
       "1 - Kolmogorov-Smirnov statistic of entity lengths; 1 = same distribution",
       fmt(q.length_similarity, 3)},
      {"autocorrelation similarity",
       "lag-1 autocorrelation within entities, per numeric column; 1 = equal",
       opt(q.autocorrelation_similarity, 3)},
      {"cross-correlation similarity", "correlations between columns at lags 0 and 1; 1 = equal",
       opt(q.cross_correlation_similarity, 3)},
      {"discriminative AUC",
       "a random forest telling synthetic from real sequences; 0.5 = indistinguishable, well "
       "below 0.5 = copies of real sequences",
       opt(q.discriminative_auc, 3)},
      {"predictive similarity",
       "next-step forecasts trained on synthetic vs on real sequences, tested on real; 1 = as "
       "good",
       opt(q.predictive_similarity, 3)},
      {"context-sequence consistency",
       "time order, constant context, time bounds the real data keep; 1 = all kept",
       fmt(q.consistency, 3)}};
  std::string body = paragraph(
      "Whole entities compared (docs/sequences.md). Row-level quality is the overall score "
      "above.",
      "note");
  body += table({"metric", "meaning", "value"}, rows, 2);
  body += legend_html({"Real", "Synthetic"});
  body += paragraph(
      "Thin lines: " + std::to_string(kTrajectoryEntities) +
          " entities drawn (seeded) from each side; thick lines: the mean over each side's "
          "entities at each step, up to the step three quarters of them reach.",
      "note");
  body += "<div class=\"grid\">";
  SvgCanvas lengths(kChartW, kChartH);
  draw_distribution(lengths, {0, 0, kChartW, kChartH}, v.lengths, "");
  body += chart(lengths, "Distribution of entity lengths");
  for (const TrajectoryPanel& p : v.panels) {
    SvgCanvas c(kChartW, kChartH);
    draw_trajectories(c, {0, 0, kChartW, kChartH}, p);
    body += chart(c, "Trajectories of " + p.column);
  }
  return section("sequences", "Sequences", body + "</div>");
}

}  // namespace

std::string comparison_html(const ReportData& d) {
  std::vector<std::pair<std::string, std::string>> nav = {{"scores", "Scores"}};
  std::string body = scores_section(d);
  if (d.privacy || !d.privacy_note.empty()) {
    nav.emplace_back("privacy", "Privacy");
    body += privacy_section(d);
  }
  if (!d.privacy_guarantee.is_null()) {
    nav.emplace_back("dp", "Differential privacy");
    body += guarantee_section(d.privacy_guarantee);
  }

  if (d.membership || !d.membership_note.empty()) {
    nav.emplace_back("membership", "Membership");
    body += membership_section(d);
  }
  if (d.adversarial) {
    nav.emplace_back("adversarial", "Adversarial validation");
    body += section("adversarial", "Adversarial validation",
                    paragraph("A gradient-boosted classifier trained to tell real from synthetic "
                              "rows: ROC-AUC 0.5 means indistinguishable.",
                              "note") +
                        json_table(*d.adversarial));
  }
  if (d.ml_efficacy) {
    nav.emplace_back("ml-efficacy", "ML efficacy");
    body += section("ml-efficacy", "Machine-learning efficacy",
                    paragraph("Train on synthetic, test on real (TSTR) against train on real, "
                              "test on real (TRTR) on the same real hold-out.",
                              "note") +
                        json_table(*d.ml_efficacy));
  }
  if (d.single_cell || !d.single_cell_note.empty()) {
    nav.emplace_back("single-cell", "Single-cell");
    body += single_cell_section(d);
  }
  if (d.sequences) {
    nav.emplace_back("sequences", "Sequences");
    body += sequence_section(*d.sequences);
  }
  if (!d.drift.empty()) {
    nav.emplace_back("drift", "Drift");
    body += drift_section(d);
  }
  nav.emplace_back("distributions", "Distributions");
  body += distributions_section(d);
  if (!d.minimal) {
    nav.emplace_back("correlations", "Correlations");
    body += correlations_section(d);
    nav.emplace_back("pca", "PCA");
    body += pca_section(d);
  }
  return html_page("Real vs synthetic comparison",
                   d.generator_name + " \xC2\xB7 method " + d.method + " \xC2\xB7 " +
                       std::to_string(d.real_rows) + " real rows \xC2\xB7 " +
                       std::to_string(d.synthetic_rows) + " synthetic rows" +
                       (d.minimal ? " \xC2\xB7 minimal report" : ""),
                   nav, body);
}

}  // namespace calm::report
