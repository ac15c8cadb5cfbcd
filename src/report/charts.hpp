// The report charts, drawn on a Canvas (SVG or PNG): overlaid distributions, correlation
// heatmaps with a colour bar, the PCA scatter, horizontal score/missing bars, legends.
#pragma once

#include <string>
#include <vector>

#include "report/analysis.hpp"
#include "report/canvas.hpp"
#include "report/summary.hpp"

namespace calm::report {

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
};

inline constexpr Color kRealColor{31, 119, 180};      // blue
inline constexpr Color kSyntheticColor{230, 110, 0};  // orange
inline constexpr Color kTextColor{40, 40, 40};
inline constexpr Color kGridColor{225, 225, 225};
inline constexpr Color kAxisColor{120, 120, 120};
const std::vector<Color>& side_colors();  // real, synthetic, then further sides

// Legend swatches in a row starting at (x, y) (y = text baseline).
void draw_legend(Canvas& c, double x, double y, const std::vector<std::string>& names);

// One column: overlaid histograms (continuous) or grouped bars (discrete), one colour per side,
// y axis in % of each side's rows. The title is the column name plus `subtitle`.
void draw_distribution(Canvas& c, Box box, const ColumnSummary& s, const std::string& subtitle);

// A k x k matrix coloured over [-scale, scale] (NaN grey) with row/column labels, a title and a
// colour bar.
void draw_heatmap(Canvas& c, Box box, const std::vector<double>& m,
                  const std::vector<std::string>& labels, const std::string& title,
                  double scale = 1.0);

// PC1/PC2 scatter of the real (blue) and synthetic (orange) samples, at most `max_points` each.
void draw_scatter(Canvas& c, Box box, const Projection& p, size_t max_points);

// Horizontal bars of values in [0, 1] (one per label), printed as percentages.
void draw_hbars(Canvas& c, Box box, const std::vector<std::string>& labels,
                const std::vector<double>& values, const std::string& title, Color color);

// Height draw_heatmap needs for these labels in a box of width w (square cells plus labels).
double heatmap_height(const std::vector<std::string>& labels, double w);

// The frame of a line chart: title, round-valued y grid and x ticks over [x_lo, x_hi] x
// [y_lo, y_hi] (the y range padded by 5%), the x axis label under the plot. px/py map data to
// pixels inside `plot`.
struct LineAxes {
  Box plot;
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  double px(double x) const;
  double py(double y) const;
};
LineAxes draw_line_axes(Canvas& c, Box box, const std::string& title, const std::string& x_label,
                        double x_lo, double x_hi, double y_lo, double y_hi);
// A polyline through the points whose y is not NaN (gaps at NaN).
void draw_polyline(Canvas& c, const LineAxes& a, const std::vector<double>& x,
                   const std::vector<double>& y, Color color, double width);

// A round number (1, 2, 2.5, 5 x 10^k) at or above v; 1 for v <= 0.
double nice_ceiling(double v);

}  // namespace calm::report
