// Internal to io: a thin RAII layer over the SQLite C API (a connection and its prepared
// statements) that turns SQLite's result codes into calm errors carrying SQLite's message, shared
// by the SQLite sink and source.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

namespace calm::db_detail {

class SqliteStatement {
 public:
  // `user_query`: a source's --query, whose failures are the caller's (InvalidArgument).
  SqliteStatement(sqlite3_stmt* stmt, std::string what, bool user_query = false)
      : stmt_(stmt), what_(std::move(what)), user_query_(user_query) {}
  ~SqliteStatement() { sqlite3_finalize(stmt_); }
  SqliteStatement(SqliteStatement&& other) noexcept
      : stmt_(other.stmt_), what_(std::move(other.what_)), user_query_(other.user_query_) {
    other.stmt_ = nullptr;
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  // true: a row is ready; false: done. Throws on an error: DataError for constraint and type
  // mismatches, InvalidArgument for a user query's own errors (writing to the read-only file, a
  // run-time SQL error), IoError otherwise.
  bool step();
  void reset();

 private:
  sqlite3_stmt* stmt_;
  std::string what_;
  bool user_query_;
};

class SqliteDb {
 public:
  // `flags`: SQLITE_OPEN_READONLY, or SQLITE_OPEN_READWRITE [| SQLITE_OPEN_CREATE]. IoError naming
  // the file when it cannot be opened or is not a database.
  SqliteDb(const std::string& path, int flags);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }
  void exec(const std::string& sql);
  // For a bad query (a source's --query) the error is InvalidArgument, else IoError.
  SqliteStatement prepare(const std::string& sql, bool user_query = false);
  // Throws for rc not OK/ROW/DONE: DataError for constraint and type mismatches (appending rows
  // an existing table refuses), IoError otherwise; `what` says what was being done.
  void check(int rc, const std::string& what) const;
  bool table_exists(const std::string& table);  // SQLite names ignore ASCII case
  std::vector<std::string> table_names();       // tables and views, sorted
  std::vector<std::string> column_names(const std::string& table);
  void close();  // closing errors are reported (the sink's commit needs the file complete)

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace calm::db_detail
