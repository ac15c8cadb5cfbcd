// The PostgreSQL sink: streamed blocks of rows sent with COPY ... FROM STDIN (text format) inside
// ONE transaction, made visible by commit() and by nothing else.
//   - A new or replaced table is filled under a temporary name, <table>_calm_tmp_<pid>, in the
//     target's schema; commit() drops the old table (replace), renames the new one and COMMITs.
//     Readers of a replaced table keep seeing the old rows until that moment, and the old table
//     is locked only for the drop and rename, not for the whole load.
//   - Appending COPYs straight into the table inside the transaction.
//   - Without commit() (an error, an exception unwinding) the destructor rolls back; a killed
//     process's connection drops and the server rolls back: nothing is left either way.
// Types: int64 BIGINT, float64 DOUBLE PRECISION, boolean BOOLEAN, datetime DATE (date_only) or
// TIMESTAMP (microseconds: PostgreSQL's resolution), categorical TEXT, missing NULL (\N).
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <optional>

#include "calm/core/error.hpp"
#include "io/db_backends.hpp"
#include "io/db_names.hpp"
#include "io/db_text.hpp"
#include "io/postgres_catalog.hpp"
#include "io/postgres_conn.hpp"

namespace calm::db_detail {

namespace {

// COPY's text format: backslash, newline, carriage return and tab (the delimiter) escaped.
void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out.push_back(c);
    }
  }
}

template <typename T>
void append_number(std::string& out, T v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// `name` cut to a UTF-8 character boundary so that `name + suffix` fits PostgreSQL's 63 bytes
// (a longer identifier would be truncated by the server, possibly onto the target's own name).
std::string temp_table_name(const std::string& name) {
  const std::string suffix = "_calm_tmp_" + std::to_string(::getpid());
  constexpr size_t kMaxIdentifier = 63;
  size_t keep = std::min(name.size(), kMaxIdentifier - suffix.size());
  while (keep > 0 && keep < name.size() && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80)
    --keep;
  return name.substr(0, keep) + suffix;
}

class PostgresSink final : public TableSink {
 public:
  PostgresSink(const std::string& url, const SinkOptions& options)
      : name_(split_table_name(options.table)), if_exists_(options.if_exists) {
    conn_.emplace(url);
    conn_->exec("BEGIN", "starting a transaction");
    in_transaction_ = true;
    existing_schema_ = pg_table_schema(*conn_, name_);
    if (existing_schema_ && if_exists_ == IfExists::fail)
      throw InvalidArgument(description() +
                            " already exists; to write to it, set if_exists to 'replace' or "
                            "'append' (valid: fail, replace, append)");
  }

  ~PostgresSink() override {
    if (!conn_ || !in_transaction_) return;
    PGconn* c = conn_->get();
    if (PQtransactionStatus(c) == PQTRANS_ACTIVE) {  // inside a COPY: end it with an error
      PQputCopyEnd(c, "calm: the write was abandoned");
      while (PGresult* r = PQgetResult(c)) PQclear(r);
    }
    PQclear(PQexec(c, "ROLLBACK"));
  }

  void write(const Table& rows) override {
    if (committed_) throw InvalidArgument("cannot write to " + description() + " after commit");
    if (!started_) start(rows);
    check_block_columns(rows, names_, description());
    copy(rows);
  }

  void commit() override {
    if (committed_) return;
    // Nothing written: nothing to show (the columns of a table to create are unknown).
    if (started_ && !appending_) {
      if (existing_schema_)
        conn_->exec("DROP TABLE " + target_quoted_, "dropping the old " + description());
      conn_->exec("ALTER TABLE " + copy_target_ + " RENAME TO " + quote_identifier(name_.table),
                  "renaming the new table to " + description());
    }
    // A transaction that an earlier error aborted answers COMMIT with ROLLBACK.
    PgResult done = conn_->exec("COMMIT", "committing " + description());
    in_transaction_ = false;
    if (std::string(PQcmdStatus(done.get())) != "COMMIT")
      throw IoError("committing " + description() +
                    " failed: the server rolled the transaction back after an earlier error");
    committed_ = true;
  }

  std::string description() const override {
    return "table '" + (name_.schema.empty() ? "" : name_.schema + ".") + name_.table + "' at " +
           (conn_ ? conn_->display_url() : std::string("PostgreSQL"));
  }

 private:
  void start(const Table& rows) {
    names_ = rows.column_names();
    check_result_names(names_, "the rows for " + description());
    if (names_.empty())
      throw InvalidArgument("cannot write a table without columns to " + description());
    TableName target = name_;
    if (existing_schema_) target.schema = *existing_schema_;
    target_quoted_ = target.quoted();
    if (existing_schema_ && if_exists_ == IfExists::append) {
      check_append_columns(pg_column_names(*conn_, target_quoted_), names_, description());
      appending_ = true;
      copy_target_ = target_quoted_;
    } else {
      TableName temp = target;
      temp.table = temp_table_name(target.table);
      copy_target_ = temp.quoted();
      conn_->exec(
          "CREATE TABLE " + copy_target_ + " " + column_definitions(rows, Dialect::postgres),
          "creating " + description());
    }
    copy_sql_ = "COPY " + copy_target_ + " " + column_list(names_) + " FROM STDIN";
    started_ = true;
  }

  void copy(const Table& rows) {
    PGconn* c = conn_->get();
    conn_->exec(copy_sql_, "starting COPY into " + description(), PGRES_COPY_IN);
    const size_t columns = rows.num_columns();
    // Each categorical dictionary escaped once per block.
    std::vector<std::vector<std::string>> dict(columns);
    for (size_t k = 0; k < columns; ++k) {
      const Column& col = rows.column(k);
      if (col.type != StorageType::categorical) continue;
      dict[k].resize(col.dict.size());
      for (size_t i = 0; i < col.dict.size(); ++i) append_escaped(dict[k][i], col.dict[i]);
    }
    constexpr size_t kChunk = 1 << 20;
    std::string buf;
    buf.reserve(kChunk + 4096);
    const size_t n = rows.num_rows();
    for (size_t r = 0; r < n; ++r) {
      for (size_t k = 0; k < columns; ++k) {
        if (k) buf.push_back('\t');
        const Column& col = rows.column(k);
        if (col.is_missing(r)) {
          buf += "\\N";
          continue;
        }
        switch (col.type) {
          case StorageType::float64: {
            const double v = col.f64[r];
            if (std::isinf(v))
              buf += v > 0 ? "Infinity" : "-Infinity";
            else
              append_number(buf, v);
            break;
          }
          case StorageType::int64:
            append_number(buf, col.i64[r]);
            break;
          case StorageType::boolean:
            buf.push_back(col.b[r] ? 't' : 'f');
            break;
          case StorageType::datetime:
            append_datetime(buf, col.i64[r], col.format.date_only);
            break;
          case StorageType::categorical:
            buf += dict[k][static_cast<size_t>(col.codes[r])];
            break;
        }
      }
      buf.push_back('\n');
      if (buf.size() >= kChunk) {
        put(buf);
        buf.clear();
      }
    }
    if (!buf.empty()) put(buf);
    if (PQputCopyEnd(c, nullptr) != 1) conn_->fail(nullptr, "ending COPY into " + description());
    PgResult result(PQgetResult(c));
    if (result.status() != PGRES_COMMAND_OK) {
      while (PGresult* extra = PQgetResult(c)) PQclear(extra);
      conn_->fail(result.get(), "COPY into " + description());
    }
    while (PGresult* extra = PQgetResult(c)) PQclear(extra);
  }

  void put(const std::string& bytes) {
    if (PQputCopyData(conn_->get(), bytes.data(), static_cast<int>(bytes.size())) != 1)
      conn_->fail(nullptr, "sending rows to " + description());
  }

  TableName name_;
  IfExists if_exists_;
  std::optional<PgConnection> conn_;
  std::optional<std::string> existing_schema_;
  std::vector<std::string> names_;
  std::string target_quoted_, copy_target_, copy_sql_;
  bool in_transaction_ = false, started_ = false, appending_ = false, committed_ = false;
};

}  // namespace

std::unique_ptr<TableSink> open_postgres_sink(const std::string& url, const SinkOptions& options) {
  return std::make_unique<PostgresSink>(url, options);
}

}  // namespace calm::db_detail
