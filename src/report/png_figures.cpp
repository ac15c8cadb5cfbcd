// distribution_plots.png (a grid of per-column real vs synthetic distributions) and
// correlation_heatmap.png (real, synthetic, difference), drawn with cairo.
#include <algorithm>

#include "report/charts.hpp"
#include "report/report_data.hpp"

namespace calm::report {
namespace {

constexpr size_t kGridColumns = 3;
constexpr size_t kMaxPanels = 36;  // beyond that a grid is unreadable: the HTML has them all
constexpr double kPanelW = 420, kPanelH = 270, kHeader = 64;

void header(Canvas& c, double width, const std::string& title, const std::string& subtitle,
            bool legend) {
  c.text(width / 2, 26, title,
         {.size = 18, .color = kTextColor, .anchor = Anchor::middle, .bold = true});
  c.text(width / 2, 46, subtitle, {.size = 12, .color = kAxisColor, .anchor = Anchor::middle});
  if (legend) draw_legend(c, width - 190, 26, {"Real", "Synthetic"});
}

}  // namespace

std::string distribution_png(const ReportData& d) {
  const size_t panels = std::min(d.columns.size(), kMaxPanels);
  const size_t cols = std::min(kGridColumns, std::max<size_t>(panels, 1));
  const size_t rows = (panels + cols - 1) / cols;
  const double width = kPanelW * cols, height = kHeader + kPanelH * std::max<size_t>(rows, 1);
  PngCanvas c(static_cast<int>(width), static_cast<int>(height));
  std::string subtitle =
      d.generator_name + " (" + d.method + "): share of rows per bin or category";
  if (panels < d.columns.size())
    subtitle += "; first " + std::to_string(panels) + " of " + std::to_string(d.columns.size()) +
                " columns";
  header(c, width, "Real vs synthetic distributions", subtitle, true);
  for (size_t i = 0; i < panels; ++i) {
    const Box b{kPanelW * (i % cols) + 6, kHeader + kPanelH * (i / cols), kPanelW - 12,
                kPanelH - 8};
    draw_distribution(c, b, d.columns[i], "");
  }
  return c.png();
}

std::string correlation_png(const ReportData& d) {
  const double w = 460, h = heatmap_height(d.corr_columns, w);
  PngCanvas c(static_cast<int>(3 * w), static_cast<int>(kHeader + h));
  header(c, 3 * w, "Correlation matrices (Pearson)",
         d.generator_name + " (" + d.method + "): real, synthetic and their difference", false);
  const std::vector<double> diff = correlation_difference(d);
  draw_heatmap(c, {0, kHeader, w, h}, d.corr_real, d.corr_columns, "Real");
  draw_heatmap(c, {w, kHeader, w, h}, d.corr_synthetic, d.corr_columns, "Synthetic");
  draw_heatmap(c, {2 * w, kHeader, w, h}, diff, d.corr_columns, "Difference (synthetic - real)",
               difference_scale(diff));
  return c.png();
}

}  // namespace calm::report
