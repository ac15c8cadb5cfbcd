// Columns that are a calendar part of a datetime column of the same table — airquality's Month and
// Day of its date, tx_housing_monthly's year and month of its date: exact functions that a
// synthesizer learns only approximately (a GAN's Month disagrees with its date on some rows, which
// the pair metrics see). The pipeline (api/calendar_derived.hpp) fits the methods without them and
// computes them from the synthetic datetime, so they agree on every row.
//
// A column is derived when its storage is numeric (int64, or float64 holding whole numbers) and,
// on every row, it is missing exactly when the datetime is, and otherwise equals the part of the
// datetime (UTC, proleptic Gregorian).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

enum class CalendarPart : uint8_t { year, quarter, month, day, weekday, day_of_year, hour, minute };
const char* to_string(CalendarPart p);

struct CalendarColumn {
  std::string column;  // the derived column
  std::string source;  // the datetime column it is a part of
  CalendarPart part = CalendarPart::year;
  size_t position = 0;  // its index in the table
  Column prototype;     // name, storage, format; no cells
};

// The part of an instant (ns since the epoch, UTC); weekday 0 = Monday ... 6 = Sunday.
int64_t calendar_part(int64_t ns, CalendarPart part);

// The derived columns of `t`, in table order, each from the first datetime column (in table order)
// it is a part of. Columns in `keep` (named by the run's options), id columns and datetime
// sources that are themselves derived are never derived.
std::vector<CalendarColumn> detect_calendar_columns(const Table& t, const Schema& schema,
                                                    const std::set<std::string>& keep);

// `t` without the derived columns.
Table without_calendar_columns(const Table& t, const std::vector<CalendarColumn>& derived);
Schema without_calendar_columns(const Schema& s, const std::vector<CalendarColumn>& derived);

// `t` (the columns without the derived ones) with each derived column computed from its source
// and put back at its position, in its storage type and format.
Table with_calendar_columns(const Table& t, const std::vector<CalendarColumn>& derived);

void save_calendar_columns(ArchiveWriter& out, const std::vector<CalendarColumn>& derived);
std::vector<CalendarColumn> load_calendar_columns(ArchiveReader& in);

}  // namespace calm
