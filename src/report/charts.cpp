// Chart routines shared by the HTML (SVG) and PNG reports (see charts.hpp).
#include "report/charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace calm::report {
namespace {

constexpr double kTitle = 13, kTick = 10, kLabel = 11;

std::string percent(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100 * v);
  return buf;
}

// Diverging blue-white-red for [-1, 1] (ColorBrewer RdBu end points).
Color diverging(double v) {
  if (std::isnan(v)) return {200, 200, 200};
  v = std::clamp(v, -1.0, 1.0);
  const Color end = v < 0 ? Color{33, 102, 172} : Color{178, 24, 43};
  const double t = std::fabs(v);
  auto mix = [t](uint8_t e) { return static_cast<uint8_t>(std::lround(247 + (e - 247.0) * t)); };
  return {mix(end.r), mix(end.g), mix(end.b)};
}

Color with_alpha(Color c, double a) {
  c.a = a;
  return c;
}

}  // namespace

double nice_ceiling(double v) {
  if (!(v > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= v * 0.999) return m * p;
  return 10 * p;
}

namespace {

std::string tick_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

double LineAxes::px(double x) const {
  return plot.x + plot.w * (x - x_lo) / (x_hi - x_lo);
}
double LineAxes::py(double y) const {
  return plot.y + plot.h - plot.h * (y - y_lo) / (y_hi - y_lo);
}

LineAxes draw_line_axes(Canvas& c, Box b, const std::string& title, const std::string& x_label,
                        double x_lo, double x_hi, double y_lo, double y_hi) {
  c.text(b.x + b.w / 2, b.y + 15, fit_text(title, kTitle, b.w - 8),
         {.size = kTitle, .color = kTextColor, .anchor = Anchor::middle, .bold = true});
  LineAxes a;
  a.plot = {b.x + 58, b.y + 26, b.w - 70, b.h - 26 - 34};
  if (!(y_lo <= y_hi)) y_lo = 0, y_hi = 1;
  if (y_hi - y_lo < 1e-12 * std::max(1.0, std::fabs(y_hi))) y_lo -= 0.5, y_hi += 0.5;
  const double pad = 0.05 * (y_hi - y_lo);
  a.y_lo = y_lo - pad, a.y_hi = y_hi + pad;
  if (!(x_lo < x_hi)) x_hi = x_lo + 1;
  a.x_lo = x_lo, a.x_hi = x_hi;
  // Ticks at round values (1, 2, 2.5, 5 x 10^k), as the other charts.
  const double y_step = nice_ceiling((a.y_hi - a.y_lo) / 4);
  for (double v = std::ceil(a.y_lo / y_step) * y_step; v <= a.y_hi; v += y_step) {
    const double y = a.py(v);
    c.line(a.plot.x, y, a.plot.x + a.plot.w, y, kGridColor, 1);
    c.text(a.plot.x - 5, y + 3.5, tick_text(std::fabs(v) < y_step * 1e-9 ? 0.0 : v),
           {.size = kTick, .color = kAxisColor, .anchor = Anchor::end});
  }
  const double x_step = nice_ceiling((x_hi - x_lo) / 4);
  for (double x = std::ceil(x_lo / x_step) * x_step; x <= x_hi + x_step * 1e-9; x += x_step)
    c.text(a.px(x), a.plot.y + a.plot.h + 14, tick_text(std::fabs(x) < x_step * 1e-9 ? 0.0 : x),
           {.size = kTick, .color = kAxisColor, .anchor = Anchor::middle});
  c.line(a.plot.x, a.plot.y + a.plot.h, a.plot.x + a.plot.w, a.plot.y + a.plot.h, kAxisColor, 1);
  c.text(a.plot.x + a.plot.w / 2, b.y + b.h - 4, fit_text(x_label, kTick, b.w - 8),
         {.size = kTick, .color = kAxisColor, .anchor = Anchor::middle});
  return a;
}

void draw_polyline(Canvas& c, const LineAxes& a, const std::vector<double>& x,
                   const std::vector<double>& y, Color color, double width) {
  for (size_t i = 1; i < x.size() && i < y.size(); ++i)
    if (!std::isnan(y[i - 1]) && !std::isnan(y[i]))
      c.line(a.px(x[i - 1]), a.py(y[i - 1]), a.px(x[i]), a.py(y[i]), color, width);
}

namespace {

// Title, y grid with percentage ticks; returns the plot area.
Box frame_with_percent_axis(Canvas& c, Box b, const std::string& title, double step, int lines,
                            double bottom_margin) {
  c.text(b.x + b.w / 2, b.y + 15, fit_text(title, kTitle, b.w - 8),
         {.size = kTitle, .color = kTextColor, .anchor = Anchor::middle, .bold = true});
  const Box plot{b.x + 46, b.y + 26, b.w - 56, b.h - 26 - bottom_margin};
  for (int t = 0; t <= lines; ++t) {
    const double y = plot.y + plot.h - plot.h * t / lines;
    c.line(plot.x, y, plot.x + plot.w, y, kGridColor, 1);
    char tick[32];  // %.3g: "10%", "12.5%", "0.25%"
    std::snprintf(tick, sizeof tick, "%.3g%%", 100 * step * t);
    c.text(plot.x - 5, y + 3.5, tick, {.size = kTick, .color = kAxisColor, .anchor = Anchor::end});
  }
  c.line(plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h, kAxisColor, 1);
  return plot;
}

}  // namespace

const std::vector<Color>& side_colors() {
  static const std::vector<Color> colors = {kRealColor, kSyntheticColor, {44, 160, 44}};
  return colors;
}

void draw_legend(Canvas& c, double x, double y, const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    c.rect(x, y - 10, 12, 12, with_alpha(side_colors()[i % side_colors().size()], 0.75));
    c.text(x + 17, y, names[i], {.size = kLabel, .color = kTextColor});
    x += 30 + text_width(names[i], kLabel);
  }
}

void draw_distribution(Canvas& c, Box b, const ColumnSummary& s, const std::string& subtitle) {
  double top = 0;
  for (const auto& side : s.sides)
    for (double v : side.share) top = std::max(top, v);
  // Gridlines at round percentages, at most five above zero.
  const double step = nice_ceiling(top * 1.02 / 5);
  const int lines = std::max(1, static_cast<int>(std::ceil(top * 1.02 / step - 1e-9)));
  const double ymax = step * lines;
  const size_t n = s.continuous ? kBins : s.levels.size();
  // Category labels are turned only when they do not fit their slot level.
  double widest = 0;
  for (const auto& level : s.levels) widest = std::max(widest, text_width(level, kTick));
  const bool rotate = !s.continuous && n > 0 && widest > (b.w - 56) / static_cast<double>(n) - 4;
  const Box p = frame_with_percent_axis(c, b, s.name + subtitle, step, lines, rotate ? 58 : 22);
  if (n == 0) return;
  const double slot = p.w / static_cast<double>(n);
  const size_t sides = s.sides.size();
  for (size_t k = 0; k < sides; ++k) {
    const Color col = side_colors()[k % side_colors().size()];
    const auto& share = s.sides[k].share;
    for (size_t i = 0; i < n && i < share.size(); ++i) {
      const double h = p.h * share[i] / ymax;
      if (s.continuous) {
        // The first side as filled bars, later ones as a light fill under a step outline: both
        // stay readable where they overlap.
        const double x = p.x + slot * i;
        if (k == 0) {
          c.rect(x + 0.5, p.y + p.h - h, slot - 1, h, with_alpha(col, 0.55));
          continue;
        }
        c.rect(x, p.y + p.h - h, slot, h, with_alpha(col, 0.12));
        c.line(x, p.y + p.h - h, x + slot, p.y + p.h - h, col, 2);
        const double prev = i > 0 ? p.h * share[i - 1] / ymax : 0;
        c.line(x, p.y + p.h - prev, x, p.y + p.h - h, col, 2);
        if (i + 1 == n) c.line(x + slot, p.y + p.h - h, x + slot, p.y + p.h, col, 2);
      } else {
        const double bw = slot * 0.8 / static_cast<double>(sides);
        const double x = p.x + slot * i + slot * 0.1 + bw * k;
        c.rect(x, p.y + p.h - h, bw, h, with_alpha(col, 0.85));
      }
    }
  }
  const TextStyle tick{.size = kTick, .color = kAxisColor, .anchor = Anchor::middle};
  if (s.continuous) {
    const double lo = s.edges.front(), hi = s.edges.back();
    if (s.datetime) {  // dates are long: first, middle and last, kept inside the plot
      for (int t = 0; t <= 2; ++t) {
        const double x = p.x + p.w * t / 2.0;
        c.line(x, p.y + p.h, x, p.y + p.h + 4, kAxisColor, 1);
        TextStyle st = tick;
        st.anchor = t == 0 ? Anchor::start : t == 1 ? Anchor::middle : Anchor::end;
        c.text(x, p.y + p.h + 15, format_value(s, lo + (hi - lo) * t / 2.0), st);
      }
      return;
    }
    const double step = nice_ceiling((hi - lo) / 5);  // round tick values
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-6; v += step) {
      const double x = p.x + p.w * (v - lo) / (hi - lo);
      c.line(x, p.y + p.h, x, p.y + p.h + 4, kAxisColor, 1);
      c.text(x, p.y + p.h + 15, format_value(s, std::fabs(v) < step * 1e-9 ? 0.0 : v), tick);
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    const double x = p.x + slot * (i + 0.5);
    if (rotate) {
      c.text(x + 3, p.y + p.h + 10, fit_text(s.levels[i], kTick, 70),
             {.size = kTick, .color = kAxisColor, .anchor = Anchor::end, .rotate_deg = 40});
    } else {
      c.text(x, p.y + p.h + 15, fit_text(s.levels[i], kTick, slot - 2), tick);
    }
  }
}

namespace {

struct HeatmapLayout {
  double label_w, cell, font;
};

// Room for the longest label (at most 30% of the width), square cells up to 44 px.
HeatmapLayout heatmap_layout(const std::vector<std::string>& labels, double w) {
  const size_t k = std::max<size_t>(labels.size(), 1);
  HeatmapLayout l{0, 0, kTick};
  for (int pass = 0; pass < 2; ++pass) {  // the font depends on the cell, the cell on the labels
    double longest = 0;
    for (const auto& s : labels) longest = std::max(longest, text_width(s, l.font));
    l.label_w = std::min(longest + 12, w * 0.3);
    l.cell = std::min(44.0, (w - l.label_w - 60) / static_cast<double>(k));
    l.font = std::clamp(l.cell * 0.3, 7.0, kTick);
  }
  return l;
}

}  // namespace

double heatmap_height(const std::vector<std::string>& labels, double w) {
  const HeatmapLayout l = heatmap_layout(labels, w);
  // Column labels are rotated 50 degrees: they rise by sin(50) of their length.
  return 30 + l.label_w * 0.77 + l.cell * static_cast<double>(labels.size()) + 12;
}

void draw_heatmap(Canvas& c, Box b, const std::vector<double>& m,
                  const std::vector<std::string>& labels, const std::string& title, double scale) {
  const size_t k = labels.size();
  const HeatmapLayout l = heatmap_layout(labels, b.w);
  const double label_w = l.label_w, cell = l.cell, fs = l.font;
  const double x0 = b.x + label_w, y0 = b.y + 30 + label_w * 0.77;
  c.text(b.x + b.w / 2, b.y + 15, fit_text(title, kTitle, b.w),
         {.size = kTitle, .color = kTextColor, .anchor = Anchor::middle, .bold = true});
  for (size_t i = 0; i < k; ++i) {
    const std::string lab = fit_text(labels[i], fs, label_w - 8);
    c.text(x0 - 5, y0 + cell * (i + 0.5) + fs * 0.35, lab,
           {.size = fs, .color = kTextColor, .anchor = Anchor::end});
    c.text(x0 + cell * (i + 0.5) + fs * 0.35, y0 - 5, fit_text(labels[i], fs, label_w * 0.95),
           {.size = fs, .color = kTextColor, .rotate_deg = 50});
    for (size_t j = 0; j < k; ++j) {
      const double v = m[i * k + j];
      c.rect(x0 + cell * j, y0 + cell * i, cell, cell, diverging(v / scale));
      if (cell >= 26 && !std::isnan(v)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.2f", std::fabs(v) < 0.005 ? 0.0 : v);  // no "-0.00"
        c.text(x0 + cell * (j + 0.5), y0 + cell * (i + 0.5) + 3.5, buf,
               {.size = 9,
                .color = std::fabs(v / scale) > 0.6 ? Color{255, 255, 255} : kTextColor,
                .anchor = Anchor::middle});
      }
    }
  }
  c.frame(x0, y0, cell * k, cell * k, kAxisColor, 1);
  // Colour bar from -scale (bottom) to +scale (top).
  const double bx = x0 + cell * k + 14, bh = cell * k;
  for (int s = 0; s < 40; ++s)
    c.rect(bx, y0 + bh * s / 40.0, 12, bh / 40.0 + 0.5, diverging(1.0 - 2.0 * s / 39.0));
  c.frame(bx, y0, 12, bh, kAxisColor, 1);
  // Appended rather than "+" + s: GCC 12 flags the latter with a false -Wrestrict warning.
  std::string ends[3] = {"+", "0", "-"};
  ends[0] += format_number(scale);
  ends[2] += format_number(scale);
  for (int t = 0; t <= 2; ++t)
    c.text(bx + 16, y0 + bh * t / 2.0 + 3.5, ends[t], {.size = kTick, .color = kAxisColor});
}

void draw_scatter(Canvas& c, Box b, const Projection& p, size_t max_points) {
  char title[96];
  std::snprintf(title, sizeof title, "PCA projection (PC1 %.0f%%, PC2 %.0f%% of variance)",
                100 * p.explained[0], 100 * p.explained[1]);
  c.text(b.x + b.w / 2, b.y + 15, title,
         {.size = kTitle, .color = kTextColor, .anchor = Anchor::middle, .bold = true});
  const Box a{b.x + 40, b.y + 30, b.w - 50, b.h - 70};
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (const auto* xy : {&p.real_xy, &p.synthetic_xy})
    for (size_t i = 0; i < xy->size(); ++i) {
      lo[i % 2] = std::min(lo[i % 2], (*xy)[i]);
      hi[i % 2] = std::max(hi[i % 2], (*xy)[i]);
    }
  for (int d = 0; d < 2; ++d)
    if (!(hi[d] > lo[d])) lo[d] -= 1, hi[d] += 1;
  c.frame(a.x, a.y, a.w, a.h, kAxisColor, 1);
  const std::vector<const std::vector<double>*> sets = {&p.real_xy, &p.synthetic_xy};
  for (size_t s = 0; s < 2; ++s) {
    const auto& xy = *sets[s];
    const size_t n = std::min(xy.size() / 2, max_points);
    for (size_t i = 0; i < n; ++i) {
      const double x = a.x + 4 + (a.w - 8) * (xy[2 * i] - lo[0]) / (hi[0] - lo[0]);
      const double y = a.y + a.h - 4 - (a.h - 8) * (xy[2 * i + 1] - lo[1]) / (hi[1] - lo[1]);
      c.circle(x, y, 2.4, with_alpha(side_colors()[s], 0.5));
    }
  }
  c.text(a.x + a.w / 2, a.y + a.h + 18, "PC1",
         {.size = kLabel, .color = kAxisColor, .anchor = Anchor::middle});
  c.text(a.x - 12, a.y + a.h / 2, "PC2",
         {.size = kLabel, .color = kAxisColor, .anchor = Anchor::middle, .rotate_deg = 90});
  draw_legend(c, a.x, b.y + b.h - 8, {"Real", "Synthetic"});
}

void draw_hbars(Canvas& c, Box b, const std::vector<std::string>& labels,
                const std::vector<double>& values, const std::string& title, Color color) {
  c.text(b.x + b.w / 2, b.y + 15, title,
         {.size = kTitle, .color = kTextColor, .anchor = Anchor::middle, .bold = true});
  const double label_w = std::min(160.0, b.w * 0.35);
  const double row = (b.h - 28) / std::max<size_t>(labels.size(), 1);
  const double bar_w = b.w - label_w - 60;
  for (size_t i = 0; i < labels.size(); ++i) {
    const double y = b.y + 26 + row * i;
    c.text(b.x + label_w - 6, y + row * 0.5 + 4, fit_text(labels[i], kLabel, label_w - 8),
           {.size = kLabel, .color = kTextColor, .anchor = Anchor::end});
    c.rect(b.x + label_w, y + row * 0.15, bar_w, row * 0.7, kGridColor);
    const double v = std::isnan(values[i]) ? 0 : std::clamp(values[i], 0.0, 1.0);
    c.rect(b.x + label_w, y + row * 0.15, bar_w * v, row * 0.7, color);
    c.text(b.x + label_w + bar_w + 6, y + row * 0.5 + 4,
           std::isnan(values[i]) ? "n/a" : percent(values[i], 1),
           {.size = kLabel, .color = kTextColor});
  }
}

}  // namespace calm::report
