// The drift plots of comparison_report.html: for each column a drift step changed, the column
// along the row index of the synthetic table (a centred rolling mean for numeric columns; for
// categorical and boolean ones the rolling share of the value whose share changed most inside the
// drift windows) with the windows shaded.
#pragma once

#include <string>
#include <vector>

#include "calm/core/drift_window.hpp"
#include "calm/core/table.hpp"
#include "report/canvas.hpp"
#include "report/charts.hpp"

namespace calm::report {

struct DriftSeries {
  std::string column;
  std::string y_label;               // "rolling mean" or "share of 'x'"
  std::vector<DriftWindow> windows;  // every window on this column, in step order
  size_t rows = 0;                   // rows of the table (the x axis runs 0..rows-1)
  size_t span = 0;                   // rows per rolling window
  std::vector<double> x, y;          // points; y NaN where the rolling window has no value
};

// At most `points` points per column, each the mean over `span` = max(1, rows/25) rows centred on
// it. Windows on columns absent from `table` are ignored.
std::vector<DriftSeries> drift_series(const Table& table, const std::vector<DriftWindow>& windows,
                                      size_t points = 300);

// A line chart of one series over the row index with its windows shaded.
void draw_drift_series(Canvas& c, Box box, const DriftSeries& s);

}  // namespace calm::report
