// Reading a SQLite table or query into a calm::Table (read_table's SQLite case). The file is
// opened read-only, so a query can never change it. SQLite types each value, not each column:
// every value goes to a DbColumnBuilder, which gives the column the storage type a CSV of the same
// values would get (INTEGER -> int64, REAL -> float64, 0/1 in a column declared BOOLEAN ->
// boolean, TEXT typed by read_csv's rules: ISO dates -> datetime, other text -> categorical).
#include <sqlite3.h>

#include <cctype>
#include <filesystem>

#include "calm/core/error.hpp"
#include "io/db_backends.hpp"
#include "io/db_columns.hpp"
#include "io/db_names.hpp"
#include "io/sqlite_db.hpp"

namespace calm::db_detail {

namespace {

bool declared_boolean(const char* decltype_text) {
  if (!decltype_text) return false;
  std::string t;
  for (const char* p = decltype_text; *p; ++p)
    t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(*p))));
  return t == "BOOLEAN" || t == "BOOL";
}

}  // namespace

Table read_sqlite(const std::string& path, const SourceOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw IoError("cannot read SQLite database '" + path + "': no such file");
  if (fs::is_directory(path, ec))
    throw IoError("cannot read SQLite database '" + path + "': it is a folder");
  SqliteDb db(path, SQLITE_OPEN_READONLY);

  std::string sql, what;
  if (options.table) {
    if (!db.table_exists(*options.table)) {
      const auto tables = db.table_names();
      throw InvalidArgument(
          "no table '" + *options.table + "' in SQLite database '" + path + "'; " +
          (tables.empty() ? std::string("it has no tables") : "its tables: " + join_names(tables)));
    }
    sql = "SELECT * FROM " + quote_identifier(*options.table);
    what = "table '" + *options.table + "' in " + path;
  } else {
    sql = *options.query;
    what = "the query on " + path;
  }
  SqliteStatement st = db.prepare(sql, /*user_query=*/true);
  sqlite3_stmt* s = st.get();
  const int columns = sqlite3_column_count(s);
  if (columns == 0) throw InvalidArgument(what + " returns no columns; give a SELECT statement");
  std::vector<std::string> names;
  std::vector<DbColumnBuilder> builders;
  for (int c = 0; c < columns; ++c) {
    names.emplace_back(sqlite3_column_name(s, c));
    builders.emplace_back(names.back(), what + ", column '" + names.back() + "'", TextRule::csv,
                          declared_boolean(sqlite3_column_decltype(s, c)));
  }
  check_result_names(names, what);

  while (st.step()) {
    for (int c = 0; c < columns; ++c) {
      DbColumnBuilder& b = builders[static_cast<size_t>(c)];
      switch (sqlite3_column_type(s, c)) {
        case SQLITE_NULL:
          b.add_null();
          break;
        case SQLITE_INTEGER:
          b.add_int(sqlite3_column_int64(s, c));
          break;
        case SQLITE_FLOAT: {
          const double v = sqlite3_column_double(s, c);
          b.add_real(v, decimals_of_double(v));
          break;
        }
        case SQLITE_TEXT: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
          b.add_text(std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(s, c))));
          break;
        }
        default:
          throw DataError(what + ", column '" + names[static_cast<size_t>(c)] +
                          "': BLOB values cannot be read (valid: integers, reals, text, NULL); "
                          "select the column out or CAST it to TEXT");
      }
    }
  }
  std::vector<Column> out;
  out.reserve(builders.size());
  for (auto& b : builders) out.push_back(b.finish());
  return Table(std::move(out));
}

}  // namespace calm::db_detail
