// Internal to io: a libpq connection for the PostgreSQL sink and source, with the error handling
// both need: connection failures as IoError naming host and port, server errors mapped to calm's
// kinds by SQLSTATE class, and the URL's password never echoed (redacted in every message).
#pragma once

#include <libpq-fe.h>

#include <string>
#include <vector>

namespace calm::db_detail {

// `url` with any password (user:PASSWORD@ or ?password=...) replaced by ***.
std::string redact_url(const std::string& url);

// Owns one PGresult.
class PgResult {
 public:
  explicit PgResult(PGresult* r = nullptr) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PGresult* get() const { return r_; }
  ExecStatusType status() const { return PQresultStatus(r_); }

 private:
  PGresult* r_;
};

class PgConnection {
 public:
  // Connects (UTF-8 client encoding, a 10 s connect timeout unless the URL sets one). IoError
  // naming host, port and libpq's message when the server cannot be reached or refuses.
  explicit PgConnection(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PGconn* get() const { return conn_; }
  const std::string& display_url() const { return display_url_; }
  // The message with the password (as given in the URL, and decoded) replaced by ***.
  std::string redact(std::string message) const;

  // Runs a command expecting `expected` (PGRES_COMMAND_OK or PGRES_TUPLES_OK); throws otherwise.
  PgResult exec(const std::string& sql, const std::string& what,
                ExecStatusType expected = PGRES_COMMAND_OK);
  // Same, with text parameters $1, $2, ...
  PgResult exec_params(const std::string& sql, const std::vector<std::string>& params,
                       const std::string& what, ExecStatusType expected = PGRES_TUPLES_OK);
  // The error of a failed result (or of the connection when `r` is null) as a calm error:
  // SQLSTATE class 22 (data) and 23 (constraint) -> DataError, 42 (syntax, unknown name,
  // permission), 0A, 3F and 25006 (a write in a read-only transaction) -> InvalidArgument,
  // anything else -> IoError.
  [[noreturn]] void fail(const PGresult* r, const std::string& what) const;

 private:
  PGconn* conn_ = nullptr;
  std::string display_url_;
  std::vector<std::string> secrets_;
};

}  // namespace calm::db_detail
