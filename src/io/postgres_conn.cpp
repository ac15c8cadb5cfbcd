// PgConnection and the password redaction (see postgres_conn.hpp).
#include "io/postgres_conn.hpp"

#include "calm/core/error.hpp"

namespace calm::db_detail {

namespace {

// libpq's messages end in a newline and continue lines with a tab: one line for calm's messages.
std::string one_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      out += "; ";
      while (i + 1 < s.size() && (s[i + 1] == '\t' || s[i + 1] == ' ')) ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string replace_all(std::string s, const std::string& what, const std::string& with) {
  if (what.empty()) return s;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size()))
    s.replace(at, what.size(), with);
  return s;
}

// The value of `keyword` in the parsed connection options ("" when unset or unparsable).
std::string conninfo_value(const std::string& url, const char* keyword) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  PQfreemem(error);
  std::string value;
  if (!options) return value;
  for (PQconninfoOption* o = options; o->keyword; ++o)
    if (std::string(o->keyword) == keyword && o->val) value = o->val;
  PQconninfoFree(options);
  return value;
}

}  // namespace

std::string redact_url(const std::string& url) {
  std::string out = url;
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    size_t end = out.find_first_of("/?", start);
    if (end == std::string::npos) end = out.size();
    const size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ?password=...&... (any position in the query string)
  const size_t query = out.find('?');
  if (query != std::string::npos) {
    size_t p = query + 1;
    while (p < out.size()) {
      size_t amp = out.find('&', p);
      if (amp == std::string::npos) amp = out.size();
      if (out.compare(p, 9, "password=") == 0) {
        out.replace(p + 9, amp - p - 9, "***");
        amp = p + 9 + 3;
      }
      p = amp + 1;
    }
  }
  return out;
}

PgConnection::PgConnection(const std::string& url) : display_url_(redact_url(url)) {
  const std::string password = conninfo_value(url, "password");
  if (!password.empty()) secrets_.push_back(password);
  // The password as written in the URL (percent-encoded) too.
  const size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    const size_t end = url.find_first_of("/?", scheme + 3);
    const size_t at = url.rfind('@', end == std::string::npos ? url.size() : end);
    const size_t colon = url.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at && at > scheme + 3)
      secrets_.push_back(url.substr(colon + 1, at - colon - 1));
  }

  // Later keywords override earlier ones, and the URL (expanded from dbname) overrides these
  // defaults.
  const char* keywords[] = {"connect_timeout", "client_encoding", "fallback_application_name",
                            "dbname", nullptr};
  const char* values[] = {"10", "UTF8", "calm", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn_) throw IoError("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string host = PQhost(conn_) ? PQhost(conn_) : "";
    std::string port = PQport(conn_) ? PQport(conn_) : "";
    if (host.empty()) host = conninfo_value(url, "host");
    if (host.empty()) host = conninfo_value(url, "hostaddr");
    if (host.empty()) host = "localhost";
    if (port.empty()) port = conninfo_value(url, "port");
    if (port.empty()) port = "5432";
    const std::string message = redact(one_line(PQerrorMessage(conn_)));
    PQfinish(conn_);
    conn_ = nullptr;
    throw IoError("cannot connect to PostgreSQL at " + redact(host) + ":" + redact(port) + " (" +
                  display_url_ + "): " + message);
  }
  // The server's notices (NOTICE: ... does not exist, skipping) are not for calm's user: libpq
  // would print them on standard error.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

std::string PgConnection::redact(std::string message) const {
  for (const auto& s : secrets_) message = replace_all(std::move(message), s, "***");
  return message;
}

void PgConnection::fail(const PGresult* r, const std::string& what) const {
  std::string message;
  std::string state;
  if (r && PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) {
    message = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    if (const char* detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL))
      message += std::string(" (") + detail + ")";
    if (const char* hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT))
      message += std::string("; hint: ") + hint;
    if (const char* code = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = code;
  } else {
    message = PQerrorMessage(conn_);
  }
  message = redact(what + " (" + display_url_ + "): " + one_line(message));
  const std::string cls = state.substr(0, 2);
  if (cls == "22" || cls == "23") throw DataError(message);
  // 42: syntax, unknown names, permissions; 0A: not supported; 3F: no such schema; 25006: a write
  // in a read-only transaction (a source's query that is not a SELECT).
  if (cls == "42" || cls == "0A" || cls == "3F" || state == "25006") throw InvalidArgument(message);
  throw IoError(message);
}

PgResult PgConnection::exec(const std::string& sql, const std::string& what,
                            ExecStatusType expected) {
  PgResult r(PQexec(conn_, sql.c_str()));
  if (r.status() != expected) fail(r.get(), what);
  return r;
}

PgResult PgConnection::exec_params(const std::string& sql, const std::vector<std::string>& params,
                                   const std::string& what, ExecStatusType expected) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PgResult r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0));
  if (r.status() != expected) fail(r.get(), what);
  return r;
}

}  // namespace calm::db_detail
