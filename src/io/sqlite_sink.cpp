// The SQLite sink: streamed blocks of rows inserted into one table with a prepared multi-row
// INSERT inside ONE transaction, made visible by commit() and by nothing else.
//   - A new file is built under a temporary name (PendingFile) with journal_mode=OFF,
//     synchronous=OFF and an exclusive lock: nobody else can see it, a failure discards the whole
//     file, and commit() syncs it to disk once before the rename. This is what makes it fast.
//   - An existing file keeps its own journal mode and synchronous level (its owner's durability
//     choice); the one transaction (BEGIN IMMEDIATE ... COMMIT) makes the write atomic: the
//     destructor rolls it back, and a killed process leaves a hot journal that the next opener
//     rolls back. Replacing a table drops and re-creates it inside the same transaction.
// Values: int64 -> INTEGER, float64 -> REAL, boolean -> 0/1 in a BOOLEAN column, datetime ->
// ISO-8601 text (as format_datetime prints it) in a DATE or TIMESTAMP column, categorical -> TEXT,
// missing -> NULL (db_names.hpp: sql_type).
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "calm/core/error.hpp"
#include "io/db_backends.hpp"
#include "io/db_names.hpp"
#include "io/db_text.hpp"
#include "io/pending_file.hpp"
#include "io/sqlite_db.hpp"

namespace calm::db_detail {

namespace {

// Rows per INSERT statement: fewer statement executions, within SQLite's limit of 32766 bound
// parameters per statement.
constexpr size_t kMaxRowsPerInsert = 256;
constexpr size_t kMaxParameters = 32766;

class SqliteSink final : public TableSink {
 public:
  SqliteSink(const std::string& path, const SinkOptions& options)
      : path_(path), table_(options.table), if_exists_(options.if_exists) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (exists && fs::is_directory(path, ec))
      throw IoError("cannot write SQLite database '" + path + "': it is a folder");
    if (!exists) {
      pending_.emplace(path);
      db_.emplace(pending_->temp_path(), SQLITE_OPEN_READWRITE);
      db_->exec(
          "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; "
          "PRAGMA cache_size=-65536");
    } else {
      db_.emplace(path, SQLITE_OPEN_READWRITE);
      db_->exec("PRAGMA cache_size=-65536");
    }
    db_->exec("BEGIN IMMEDIATE");
    in_transaction_ = true;
    table_exists_ = exists && db_->table_exists(table_);
    if (table_exists_ && if_exists_ == IfExists::fail)
      throw InvalidArgument(description() +
                            " already exists; to write to it, set if_exists to 'replace' or "
                            "'append' (valid: fail, replace, append)");
  }

  ~SqliteSink() override {
    insert_.reset();
    tail_insert_.reset();
    if (db_ && in_transaction_) sqlite3_exec(db_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }

  void write(const Table& rows) override {
    if (committed_) throw InvalidArgument("cannot write to " + description() + " after commit");
    if (!started_) start(rows);
    check_block_columns(rows, names_, description());
    const size_t n = rows.num_rows();
    size_t r = 0;
    for (; r + rows_per_insert_ <= n; r += rows_per_insert_)
      insert(*insert_, rows, r, rows_per_insert_);
    for (; r < n; ++r) insert(*tail_insert_, rows, r, 1);
  }

  void commit() override {
    if (committed_) return;
    // Nothing written: nothing to show (the columns of a table to create are unknown).
    if (started_) {
      insert_.reset();
      tail_insert_.reset();
      db_->exec("COMMIT");
      in_transaction_ = false;
      if (pending_) {
        db_->close();
        pending_->commit();
      }
    }
    committed_ = true;
  }

  std::string description() const override { return "table '" + table_ + "' in " + path_; }

 private:
  void start(const Table& rows) {
    names_ = rows.column_names();
    check_result_names(names_, "the rows for " + description());
    if (names_.empty())
      throw InvalidArgument("cannot write a table without columns to " + description());
    const std::string table = quote_identifier(table_);
    if (table_exists_ && if_exists_ == IfExists::append) {
      check_append_columns(db_->column_names(table_), names_, description());
    } else {
      if (table_exists_) db_->exec("DROP TABLE " + table);
      db_->exec("CREATE TABLE " + table + " " + column_definitions(rows, Dialect::sqlite));
    }
    rows_per_insert_ =
        std::max<size_t>(1, std::min(kMaxRowsPerInsert, kMaxParameters / names_.size()));
    insert_.emplace(db_->prepare(insert_sql(table, rows_per_insert_)));
    tail_insert_.emplace(db_->prepare(insert_sql(table, 1)));
    text_.resize(rows_per_insert_ * names_.size());
    started_ = true;
  }

  std::string insert_sql(const std::string& table, size_t row_count) const {
    std::string one = "(";
    for (size_t c = 0; c < names_.size(); ++c) one += c ? ",?" : "?";
    one += ")";
    std::string sql = "INSERT INTO " + table + " " + column_list(names_) + " VALUES ";
    for (size_t k = 0; k < row_count; ++k) {
      if (k) sql += ",";
      sql += one;
    }
    return sql;
  }

  // Rows [first, first + count) through `st` (prepared for `count` rows).
  void insert(SqliteStatement& st, const Table& rows, size_t first, size_t count) {
    sqlite3_stmt* s = st.get();
    const size_t columns = names_.size();
    for (size_t c = 0; c < columns; ++c) {
      const Column& col = rows.column(c);
      const bool has_valid = !col.valid.empty();
      for (size_t k = 0; k < count; ++k) {
        const size_t r = first + k;
        const int index = static_cast<int>(k * columns + c + 1);
        int rc = SQLITE_OK;
        switch (col.type) {
          case StorageType::float64:
            rc = std::isnan(col.f64[r]) ? sqlite3_bind_null(s, index)
                                        : sqlite3_bind_double(s, index, col.f64[r]);
            break;
          case StorageType::int64:
            rc = has_valid && !col.valid[r] ? sqlite3_bind_null(s, index)
                                            : sqlite3_bind_int64(s, index, col.i64[r]);
            break;
          case StorageType::boolean:
            rc = has_valid && !col.valid[r] ? sqlite3_bind_null(s, index)
                                            : sqlite3_bind_int(s, index, col.b[r] ? 1 : 0);
            break;
          case StorageType::datetime:
            if (has_valid && !col.valid[r]) {
              rc = sqlite3_bind_null(s, index);
            } else {
              std::string& t = text_[k * columns + c];
              t.clear();
              append_datetime(t, col.i64[r], col.format.date_only);
              rc = sqlite3_bind_text(s, index, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
            }
            break;
          case StorageType::categorical:
            if (col.codes[r] < 0) {
              rc = sqlite3_bind_null(s, index);
            } else {
              const std::string& t = col.dict[static_cast<size_t>(col.codes[r])];
              rc = sqlite3_bind_text(s, index, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
            }
            break;
        }
        if (rc != SQLITE_OK) db_->check(rc, "binding a value of column '" + col.name + "'");
      }
    }
    st.step();
    st.reset();
  }

  std::string path_, table_;
  IfExists if_exists_;
  std::optional<PendingFile> pending_;  // a new file: its temporary name (declared before db_)
  std::optional<SqliteDb> db_;
  std::optional<SqliteStatement> insert_, tail_insert_;
  std::vector<std::string> names_;
  std::vector<std::string> text_;  // datetime text bound to the statement until it runs
  size_t rows_per_insert_ = 1;
  bool table_exists_ = false, in_transaction_ = false, started_ = false, committed_ = false;
};

}  // namespace

std::unique_ptr<TableSink> open_sqlite_sink(const std::string& path, const SinkOptions& options) {
  return std::make_unique<SqliteSink>(path, options);
}

}  // namespace calm::db_detail
