// Time stamps of generated sequences, shared by every sequence method: the time column read as a
// coordinate on an axis, the spacing pattern of the real entities, the columns that are functions
// of time, and the rules that tie time to an entity's context. A method generates per entity a
// start, (for irregular spacing) a span and relative steps; rebuild_times() turns them into time
// stamps that keep the real pattern:
//  - axis: numbers as they are; datetimes in days, or in calendar months when every stamp falls on
//    the same day of its month (monthly series stay on that day, whatever the month's length);
//  - regular spacing (every real step equal): stamps start + k * step, the start snapped to the
//    real grid when every real start lies on it — regular months stay regular;
//  - irregular spacing: the generated steps scaled to the span, rounded to the data's resolution,
//    never below the smallest real step (strictly increasing when the real stamps are);
//  - time-determined columns (year and month of a date, ...): a column whose value is the same
//    for every row at a given time, in data where times repeat across entities, is looked up from
//    the generated stamp instead of being generated;
//  - context bounds (core's detect_time_bounds): generated stamps obey the bounds the real ones
//    keep (e.g. a visit day never after the follow-up time).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/table.hpp"
#include "core/sequence_table.hpp"

namespace calm {

enum class TimeAxisKind { number, days, months };

class TimeAxis {
 public:
  static TimeAxis fit(const Column& time);
  // The coordinate of a value in Column::numeric encoding (number, or ns for datetimes).
  double coordinate(double value) const;
  // The value (Column::numeric encoding) at a coordinate, rounded to the data's resolution.
  double value(double coordinate) const;
  // Smallest distinguishable coordinate step (1 for integer numbers and whole days/months).
  double resolution() const { return resolution_; }
  TimeAxisKind kind() const { return kind_; }

  void save(ArchiveWriter& out) const;
  static TimeAxis load(ArchiveReader& in);

 private:
  TimeAxisKind kind_ = TimeAxisKind::number;
  double resolution_ = 0;     // 0: any value (floats with unknown decimals)
  int64_t month_day = 1;      // months: the day of the month (31 = the last day)
  int64_t month_time_ns = 0;  // months: the time of day
};

struct TimeSpacing {
  bool regular = false;
  double step = 0;                      // regular: the one step
  double origin = 0;                    // regular: a real start; grid = origin + k * step
  bool on_grid = false;                 // regular: every real start lies on the grid
  double min_step = 0;                  // irregular: smallest real step (>= 0)
  bool strict = false;                  // every real step > 0
  double start_min = 0, start_max = 0;  // range of the real starts (coordinates)
};

// A varying column whose value is a function of time (looked up, not generated).
struct TimeLookup {
  size_t column = 0;                   // table column
  std::vector<double> times, values;   // sorted coordinates; values in Column::numeric encoding
  double at(double coordinate) const;  // value at the nearest real time
};

struct SequenceTime {
  TimeAxis axis;
  TimeSpacing spacing;
  std::vector<TimeLookup> lookups;
  std::vector<TimeBound> bounds;

  // Learns the above from the real table (s.time_column() must be set).
  static SequenceTime fit(const Table& t, const SequenceTable& s);
  // Coordinates of entity e's stamps.
  std::vector<double> coordinates(const Table& t, const SequenceTable& s, size_t e) const;

  // Stamps of one generated entity of `length` rows, as coordinates, into `out`:
  //  regular: start (snapped to the grid) + k * step; `steps` and `span` unused;
  //  irregular: start + the cumulative `steps` (length - 1 of them, >= 0) scaled to `span`.
  // `lo` / `hi` (coordinates, NaN = none) bound every stamp; a regular series that would cross hi
  // is cut (the returned length is the rows kept, at least 1).
  size_t rebuild(double start, double span, const std::vector<double>& steps, size_t length,
                 double lo, double hi, std::vector<double>& out) const;

  void save(ArchiveWriter& out) const;
  static SequenceTime load(ArchiveReader& in);
};

}  // namespace calm
