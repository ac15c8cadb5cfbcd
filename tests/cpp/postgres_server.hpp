// A real, throwaway PostgreSQL server for the tests of the PostgreSQL sink and source: initdb into
// a fresh folder under the system temp folder, a free TCP port on 127.0.0.1, the Unix socket in
// that folder, password (SCRAM) authentication for the user "calm", and no fsync (test data only).
// Debian's binaries live in /usr/lib/postgresql/<version>/bin (the newest version is used).
// PostgreSQL refuses to run as root, so when the tests run as root the folder is given to the
// `postgres` system user (made by Debian's package) and initdb/pg_ctl run through runuser.
// The destructor stops the server (pg_ctl -m fast) and removes the folder.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <postgresql/libpq-fe.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace calm::pg_test {

namespace fs = std::filesystem;

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's pick for port 0).
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

class PostgresServer {
 public:
  static constexpr const char* kUser = "calm";
  static constexpr const char* kPassword = "Pw-s3cr3t-9x7";

  PostgresServer() { error_ = start(); }
  ~PostgresServer() {
    if (!dir_.empty() && fs::exists(dir_ / "data" / "postmaster.pid"))
      run(bin_ + "/pg_ctl -D " + (dir_ / "data").string() + " -m fast -w stop");
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url(const std::string& password = kPassword) const {
    return "postgresql://" + std::string(kUser) + ":" + password +
           "@127.0.0.1:" + std::to_string(port_) + "/postgres";
  }

  // Runs SQL with libpq directly (for tables calm did not write); returns "" or the error, and
  // the first value of the result in *value when asked.
  std::string sql(const std::string& statement, std::string* value = nullptr) const {
    PGconn* c = PQconnectdb(url().c_str());
    std::string error;
    if (PQstatus(c) != CONNECTION_OK) {
      error = PQerrorMessage(c);
    } else {
      PQsetNoticeProcessor(
          c, [](void*, const char*) {}, nullptr);
      PGresult* r = PQexec(c, statement.c_str());
      const ExecStatusType s = PQresultStatus(r);
      if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        error = PQresultErrorMessage(r);
      else if (value)
        *value = PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "";
      PQclear(r);
    }
    PQfinish(c);
    return error;
  }

 private:
  // Runs a shell command (as `postgres` when we are root); its output goes to out.log.
  int run(const std::string& command) const {
    const std::string as_user = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
    const std::string log = (dir_ / "out.log").string();
    return std::system((as_user + command + " >" + log + " 2>&1").c_str());
  }

  std::string slurp(const fs::path& p) const {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string start() {
    // The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl.
    int best = -1;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
      const std::string v = e.path().filename().string();
      if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) continue;
      if (!fs::exists(e.path() / "bin" / "initdb") || !fs::exists(e.path() / "bin" / "pg_ctl"))
        continue;
      if (std::stoi(v) > best) {
        best = std::stoi(v);
        bin_ = (e.path() / "bin").string();
      }
    }
    if (bin_.empty())
      return "no PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin (Debian package "
             "'postgresql', listed in scripts/apt-packages.txt)";

    // As root the folder must be reachable by the postgres user: /tmp, not a private $TMPDIR.
    const fs::path base = ::geteuid() == 0 ? fs::path("/tmp") : fs::temp_directory_path();
    std::string templ = (base / "calm_pg_XXXXXX").string();
    if (!::mkdtemp(templ.data())) return "cannot create a temporary folder for the server";
    dir_ = templ;
    const std::string pwfile = (dir_ / "pwfile").string();
    std::ofstream(pwfile) << kPassword << "\n";
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (!pw)
        return "the tests run as root, and PostgreSQL refuses root, but there is no 'postgres' "
               "user to run it as (Debian's 'postgresql' package creates it)";
      if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0 ||
          ::chown(pwfile.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        return "cannot give " + dir_.string() + " to the postgres user";
    }
    const std::string data = (dir_ / "data").string();
    if (run(bin_ + "/initdb -D " + data + " -U " + kUser + " --pwfile=" + pwfile +
            " -A scram-sha-256 -E UTF8 --locale=C --no-sync") != 0)
      return "initdb failed: " + slurp(dir_ / "out.log");
    // Another process may take the port between free_port() and the server's bind: retry.
    std::string why;
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = free_port();
      if (port_ < 0) return "no free TCP port on 127.0.0.1";
      const std::string options = "-p " + std::to_string(port_) + " -k " + dir_.string() +
                                  " -c listen_addresses=127.0.0.1 -c fsync=off"
                                  " -c synchronous_commit=off -c full_page_writes=off";
      if (run(bin_ + "/pg_ctl -D " + data + " -l " + (dir_ / "server.log").string() +
              " -w -t 60 -o '" + options + "' start") == 0)
        return "";
      why = slurp(dir_ / "out.log") + slurp(dir_ / "server.log");
    }
    return "pg_ctl start failed: " + why;
  }

  std::string bin_, error_;
  fs::path dir_;
  int port_ = -1;
};

}  // namespace calm::pg_test
