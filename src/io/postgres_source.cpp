// Reading a PostgreSQL table or query into a calm::Table (read_table's PostgreSQL case). The query
// (one statement) runs in a READ ONLY transaction (so a read never changes the database) with ISO
// dates, UTC and
// shortest exact floats, and its rows arrive one at a time (libpq's single-row mode) instead of
// as one result the size of the table. Types map back by the column's type:
//   int2/int4/int8/oid -> int64, float4/float8/numeric -> float64 (NaN -> missing), bool ->
//   boolean, date -> datetime (date_only), timestamp/timestamptz -> datetime, text/varchar/char
//   and anything else (uuid, json, time ...) -> categorical text; NULL -> missing.
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "io/db_backends.hpp"
#include "io/db_columns.hpp"
#include "io/db_names.hpp"
#include "io/postgres_catalog.hpp"
#include "io/postgres_conn.hpp"

namespace calm::db_detail {

namespace {

// Type OIDs (PostgreSQL's catalog/pg_type.dat; stable across versions).
enum : Oid {
  kBool = 16,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kOid = 26,
  kFloat4 = 700,
  kFloat8 = 701,
  kDate = 1082,
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kNumeric = 1700,
};

enum class Reader { integer, real, boolean, date, timestamp, text };

Reader reader_for(Oid type) {
  switch (type) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
      return Reader::integer;
    case kFloat4:
    case kFloat8:
    case kNumeric:
      return Reader::real;
    case kBool:
      return Reader::boolean;
    case kDate:
      return Reader::date;
    case kTimestamp:
    case kTimestampTz:
      return Reader::timestamp;
    default:
      return Reader::text;
  }
}

void add_value(DbColumnBuilder& b, Reader reader, std::string_view s) {
  switch (reader) {
    case Reader::integer: {
      int64_t v = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return b.add_int(v);
      break;
    }
    case Reader::real: {
      if (s == "NaN") return b.add_null();
      if (s == "Infinity") return b.add_real(HUGE_VAL, 0);
      if (s == "-Infinity") return b.add_real(-HUGE_VAL, 0);
      double v = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) {
        int decimals = 0;
        const size_t dot = s.find('.');
        if (dot != std::string_view::npos)
          while (dot + 1 + decimals < s.size() && s[dot + 1 + decimals] >= '0' &&
                 s[dot + 1 + decimals] <= '9')
            ++decimals;
        return b.add_real(v, decimals);
      }
      break;
    }
    case Reader::boolean:
      return b.add_bool(s == "t");
    case Reader::date:
    case Reader::timestamp: {
      // timestamptz prints its zone: "+00" in the session's UTC.
      if (s.size() > 3 && s.substr(s.size() - 3) == "+00") s.remove_suffix(3);
      bool date_only = false;
      if (auto ns = parse_datetime(s, &date_only))
        return b.add_datetime(*ns, reader == Reader::date);
      break;  // infinity, BC dates: the column becomes text
    }
    case Reader::text:
      break;
  }
  b.add_text(s);
}

}  // namespace

Table read_postgres(const std::string& url, const SourceOptions& options) {
  PgConnection conn(url);
  conn.exec("SET default_transaction_read_only = on; BEGIN READ ONLY",
            "starting a read-only transaction");
  conn.exec(
      "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; "
      "SET LOCAL extra_float_digits = 1",
      "setting the session's formats");

  std::string sql, what;
  if (options.table) {
    const TableName name = split_table_name(*options.table);
    if (!pg_table_schema(conn, name)) {
      const auto tables = pg_table_names(conn);
      throw InvalidArgument("no table '" + *options.table + "' at " + conn.display_url() + "; " +
                            (tables.empty() ? std::string("the database has no tables")
                                            : "its tables: " + join_names(tables)));
    }
    sql = "SELECT * FROM " + name.quoted();
    what = "table '" + *options.table + "' at " + conn.display_url();
  } else {
    sql = *options.query;
    what = "the query at " + conn.display_url();
  }

  // The extended protocol takes one statement only: a query cannot end the read-only transaction
  // and go on with another statement.
  PGconn* c = conn.get();
  if (!PQsendQueryParams(c, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
    conn.fail(nullptr, "sending " + what);
  PQsetSingleRowMode(c);
  std::vector<DbColumnBuilder> builders;
  std::vector<Reader> readers;
  std::vector<std::string> names;
  // The result: 0 = no rows yet, 1 = rows arriving, 2 = complete.
  int state = 0;
  std::optional<PgResult> error;
  while (PGresult* raw = PQgetResult(c)) {
    PgResult r(raw);
    const ExecStatusType status = r.status();
    if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK) {
      if (status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY && !error)
        error.emplace(std::move(r));
      continue;
    }
    if (state == 2) continue;
    if (state == 0) {
      for (int k = 0; k < PQnfields(r.get()); ++k) {
        names.emplace_back(PQfname(r.get(), k));
        readers.push_back(reader_for(PQftype(r.get(), k)));
        builders.emplace_back(names.back(), what + ", column '" + names.back() + "'",
                              TextRule::categorical, false);
      }
      state = 1;
    }
    if (status == PGRES_TUPLES_OK) {
      state = 2;
      continue;
    }
    for (size_t k = 0; k < builders.size(); ++k) {
      const int col = static_cast<int>(k);
      if (PQgetisnull(r.get(), 0, col)) {
        builders[k].add_null();
        continue;
      }
      add_value(builders[k], readers[k],
                std::string_view(PQgetvalue(r.get(), 0, col),
                                 static_cast<size_t>(PQgetlength(r.get(), 0, col))));
    }
  }
  if (error) conn.fail(error->get(), options.table ? "reading " + what : "the query failed");
  if (state == 0 || names.empty())
    throw InvalidArgument(what + " returns no columns; give a SELECT statement");
  check_result_names(names, what);
  std::vector<Column> out;
  out.reserve(builders.size());
  for (auto& b : builders) out.push_back(b.finish());
  return Table(std::move(out));
}

}  // namespace calm::db_detail
