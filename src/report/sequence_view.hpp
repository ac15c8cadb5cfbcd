// The sequence part of the reports, for the output of a sequence method (or `calm evaluate
// --sequence-key`): the sequence metrics (calm/eval/sequence_metrics.hpp), the distribution of
// entity lengths, and per numeric varying column the trajectories of a few real and synthetic
// entities with each side's mean trajectory, over the time since the entity's first stamp (or the
// step number without a time column).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "calm/eval/sequence_metrics.hpp"
#include "report/canvas.hpp"
#include "report/charts.hpp"
#include "report/summary.hpp"

namespace calm::report {

struct Trajectory {
  std::vector<double> x, y;
};

struct TrajectoryPanel {
  std::string column;
  std::string x_label;
  std::vector<Trajectory> real, synthetic;  // a few entities of each side
  Trajectory real_mean, synthetic_mean;     // mean value at each step (steps most entities reach)
};

struct SequenceView {
  SequenceReport scores;
  ColumnSummary lengths;  // entity lengths, real and synthetic
  std::vector<TrajectoryPanel> panels;
  std::string note;  // why the view is missing (scores failed), empty when computed
};

inline constexpr size_t kTrajectoryEntities = 6;  // per side and panel
inline constexpr size_t kTrajectoryPanels = 6;    // numeric varying columns shown

// Reads both tables as sequences with the real table's column roles. A table that cannot be read
// as sequences leaves `note` set (the reports still write; the error is the note).
SequenceView sequence_view(const Table& real, const Table& synthetic, const Schema& schema,
                           const SequenceMetricsOptions& options);

// Thin lines: the sampled entities; thick: each side's mean trajectory.
void draw_trajectories(Canvas& c, Box box, const TrajectoryPanel& panel);

}  // namespace calm::report
