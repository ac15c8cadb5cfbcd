// SqliteDb / SqliteStatement (see sqlite_db.hpp).
#include "io/sqlite_db.hpp"

#include <string_view>

#include "calm/core/error.hpp"
#include "io/db_names.hpp"

namespace calm::db_detail {

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  const std::string message = sqlite3_errmsg(db);
  const int code = rc & 0xff;
  if (code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH || code == SQLITE_TOOBIG)
    throw DataError(what_ + ": " + message);
  if (user_query_ && (code == SQLITE_READONLY || code == SQLITE_ERROR))
    throw InvalidArgument(what_ + " failed: " + message);
  throw IoError(what_ + ": " + message);
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
}

SqliteDb::SqliteDb(const std::string& path, int flags) : path_(path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw IoError("cannot open SQLite database '" + path + "': " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // SQLite has one writer at a time: another process writing the file (a sink holds the lock
  // until its commit) is waited for, up to a minute.
  sqlite3_busy_timeout(db_, 60000);
  // Reading the schema finds a file that is not a database now, not at the first statement.
  const int schema =
      sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  if (schema != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    db_ = nullptr;
    throw IoError("cannot read SQLite database '" + path + "': " + message);
  }
}

SqliteDb::~SqliteDb() {
  sqlite3_close_v2(db_);
}

void SqliteDb::close() {
  if (!db_) return;
  const int rc = sqlite3_close(db_);
  if (rc != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db_);
    throw IoError("closing SQLite database '" + path_ + "' failed: " + message);
  }
  db_ = nullptr;
}

void SqliteDb::check(int rc, const std::string& what) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  const std::string message = sqlite3_errmsg(db_);
  const int code = rc & 0xff;
  if (code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH || code == SQLITE_TOOBIG)
    throw DataError(what + " in '" + path_ + "': " + message);
  throw IoError(what + " in '" + path_ + "' failed: " + message);
}

void SqliteDb::exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return;
  std::string message = error ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  const int code = rc & 0xff;
  const std::string what = "SQLite '" + sql.substr(0, 80) + "' on '" + path_ + "': " + message;
  if (code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH) throw DataError(what);
  throw IoError(what);
}

SqliteStatement SqliteDb::prepare(const std::string& sql, bool user_query) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    if (user_query)
      throw InvalidArgument("query failed on SQLite database '" + path_ + "': " + message);
    throw IoError("SQLite '" + sql.substr(0, 80) + "' on '" + path_ + "': " + message);
  }
  if (!stmt) {
    if (user_query) throw InvalidArgument("the query for SQLite database '" + path_ + "' is empty");
    throw IoError("SQLite: empty statement");
  }
  // SQLite compiles the first statement only: a second one would be ignored without a word.
  if (user_query && tail &&
      std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    throw InvalidArgument("the query for SQLite database '" + path_ +
                          "' holds more than one statement; give one SELECT");
  }
  const std::string what = user_query ? "query on SQLite database '" + path_ + "'"
                                      : "SQLite '" + sql.substr(0, 80) + "' on '" + path_ + "'";
  return SqliteStatement(stmt, what, user_query);
}

bool SqliteDb::table_exists(const std::string& table) {
  SqliteStatement st = prepare(
      "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE");
  sqlite3_bind_text(st.get(), 1, table.data(), static_cast<int>(table.size()), SQLITE_TRANSIENT);
  return st.step();
}

std::vector<std::string> SqliteDb::table_names() {
  SqliteStatement st = prepare(
      "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE "
      "'sqlite_%' ORDER BY name");
  std::vector<std::string> names;
  while (st.step())
    names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
  return names;
}

std::vector<std::string> SqliteDb::column_names(const std::string& table) {
  SqliteStatement st = prepare("SELECT * FROM " + quote_identifier(table) + " LIMIT 0");
  std::vector<std::string> names;
  for (int c = 0; c < sqlite3_column_count(st.get()); ++c)
    names.emplace_back(sqlite3_column_name(st.get(), c));
  return names;
}

}  // namespace calm::db_detail
