// What the database tests share (test_sqlite.cpp, test_postgres.cpp): a table holding every
// storage type with missing cells and awkward text, cell-by-cell comparison, and the message of a
// calm::Error of an expected kind.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "calm/core/error.hpp"
#include "calm/core/table.hpp"
#include "calm/core/text.hpp"
#include "calm/io/table_sink.hpp"

namespace calm::db_test {

// 9 rows: int64, float64 (decimals and whole values), boolean, date, timestamp (whole
// microseconds: PostgreSQL's resolution) and text with tabs, newlines, backslashes, quotes,
// commas, non-ASCII and an empty string; every column has missing cells.
inline Table all_types_table() {
  const std::vector<uint8_t> valid = {1, 1, 0, 1, 1, 1, 0, 1, 1};
  const int64_t day = kNanosPerDay;
  const int64_t base = days_from_civil(2024, 2, 29) * day;
  Column i = Column::int64("i", {1, -7, 0, 9223372036854775807LL, 42, 0, 5, -1, 3}, valid);
  Column x = Column::float64(
      "x", {0.1, -2.5, std::nan(""), 1e-7, 12345.678, 1e300, -0.125, 3.0, std::nan("")});
  Column whole = Column::float64("whole", {1, 2, 3, 4, std::nan(""), 6, 7, 8, 9});
  Column flag = Column::boolean("flag", {1, 0, 1, 1, 0, 0, 1, 0, 1}, {1, 1, 1, 0, 1, 1, 1, 1, 0});
  Column d = Column::datetime(
      "day", {base, base + day, 0, -365 * day, base, base - 10 * day, 0, base, base},
      {1, 1, 0, 1, 1, 1, 1, 0, 1});
  d.format.date_only = true;
  Column ts = Column::datetime("ts",
                               {base + 3723 * kNanosPerSecond, base + 123456000, 0, base - 1000,
                                base, base + day - 1000, base, 86399 * kNanosPerSecond, 0},
                               {1, 1, 1, 1, 0, 1, 1, 1, 0});
  Column cat = Column::categorical("label", {0, 1, 2, -1, 3, 4, 5, 0, 6},
                                   {"red", "tab\there", "line\nbreak\r\n", "back\\slash \\N",
                                    "quote \"q\", comma", "héllo ✓", " spaced "});
  return Table({i, x, whole, flag, d, ts, cat});
}

// Rows [begin, end) of `t`.
inline Table rows_of(const Table& t, size_t begin, size_t end) {
  std::vector<int64_t> rows;
  for (size_t r = begin; r < end; ++r) rows.push_back(static_cast<int64_t>(r));
  return t.take_rows(rows);
}

// Writes `t` to `target` in three blocks and commits.
inline void write_in_three_blocks(const Table& t, const std::string& target,
                                  const SinkOptions& options) {
  auto sink = open_sink(target, options);
  const size_t n = t.num_rows();
  sink->write(rows_of(t, 0, n / 3));
  sink->write(rows_of(t, n / 3, 2 * n / 3));
  sink->write(rows_of(t, 2 * n / 3, n));
  sink->commit();
}

// Same names, storage types, date_only flags, missing masks and values (floats bit for bit,
// categoricals by label).
inline void expect_same_cells(const Table& a, const Table& b) {
  ASSERT_EQ(a.column_names(), b.column_names());
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = a.column(c);
    const Column& y = b.column(c);
    ASSERT_EQ(to_string(x.type), std::string(to_string(y.type))) << "column " << x.name;
    if (x.type == StorageType::datetime) {
      EXPECT_EQ(x.format.date_only, y.format.date_only) << "column " << x.name;
    }
    for (size_t r = 0; r < a.num_rows(); ++r) {
      ASSERT_EQ(x.is_missing(r), y.is_missing(r)) << x.name << " row " << r;
      if (x.is_missing(r)) continue;
      switch (x.type) {
        case StorageType::float64:
          EXPECT_EQ(std::bit_cast<uint64_t>(x.f64[r]), std::bit_cast<uint64_t>(y.f64[r]))
              << x.name << " row " << r << ": " << x.f64[r] << " vs " << y.f64[r];
          break;
        case StorageType::int64:
        case StorageType::datetime:
          EXPECT_EQ(x.i64[r], y.i64[r]) << x.name << " row " << r;
          break;
        case StorageType::boolean:
          EXPECT_EQ(x.b[r], y.b[r]) << x.name << " row " << r;
          break;
        case StorageType::categorical:
          EXPECT_EQ(x.dict[x.codes[r]], y.dict[y.codes[r]]) << x.name << " row " << r;
          break;
      }
    }
  }
}

// Two columns: `first_column` = start, start + 1, ... and y = 0, 0.5, 1, ... (n rows).
inline Table small_table(const std::string& first_column, int64_t start, size_t n) {
  std::vector<int64_t> v(n);
  std::vector<double> y(n);
  for (size_t r = 0; r < n; ++r) {
    v[r] = start + static_cast<int64_t>(r);
    y[r] = 0.5 * static_cast<double>(r);
  }
  return Table({Column::int64(first_column, v), Column::float64("y", y)});
}

// Sink and source options naming a table or a query.
inline SinkOptions table_options(const std::string& table, IfExists if_exists = IfExists::fail) {
  SinkOptions o;
  o.table = table;
  o.if_exists = if_exists;
  return o;
}

inline SourceOptions table_source(const std::string& table) {
  SourceOptions o;
  o.table = table;
  return o;
}

inline SourceOptions query_source(const std::string& query) {
  SourceOptions o;
  o.query = query;
  return o;
}

// The message of the calm::Error that `f` throws, checking its kind.
template <typename F>
std::string error_of(F&& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no calm::Error thrown";
  return {};
}

}  // namespace calm::db_test
