// Date injection (the seed's date_col / date_start / date_step / date_every): row r gets
// start + step * floor(r / every), calendar-aware for months and years; the column is inserted at
// position 0, or replaces an existing column of that name in place.
#pragma once

#include <string>

#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct DateInjection {
  std::string column = "timestamp";
  int64_t start_ns = 0;
  bool date_only = true;
  // The step, split into calendar months and a fixed duration.
  int64_t months = 0;
  int64_t nanos = 0;
  int64_t every = 1;
};

// Validates the seed's arguments; throws InvalidArgument naming the bad key/value and valid ones.
DateInjection parse_date_injection(const std::string& column, const std::string& start,
                                   const Json& step, int64_t every);

// InvalidArgument when the date of the last of `rows` rows is past the nanosecond timestamp range.
void check_date_span(const DateInjection& spec, size_t rows);

// `row_offset`: the position of the table's first row in the whole output (a streamed block).
Table inject_dates(const Table& table, const DateInjection& spec, size_t row_offset = 0);

}  // namespace calm
