// SQLite as a sink and a source (src/io/sqlite_*.cpp), on real database files: the round trip of
// every storage type written in blocks, queries, if_exists, nothing visible without commit (also
// after SIGINT and SIGKILL), CSV typing of TEXT columns, and the error messages. Also the target
// strings and if_exists names of table_sink.hpp.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>

#include "calm/core/atomic_file.hpp"
#include "db_test_tables.hpp"
#include "io/db_text.hpp"

using namespace calm;
using namespace calm::db_test;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("calm_sqlite_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
};

// Runs SQL on the file directly (sqlite3 C API), for tables calm did not write.
void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

}  // namespace

TEST(SqliteTest, TargetStringsAndIfExistsNames) {
  EXPECT_EQ(target_kind("-"), TargetKind::csv_stdout);
  EXPECT_EQ(target_kind("out.csv"), TargetKind::csv_file);
  EXPECT_EQ(target_kind("out"), TargetKind::csv_file);
  EXPECT_EQ(target_kind("a/b.sqlite"), TargetKind::sqlite);
  EXPECT_EQ(target_kind("b.sqlite3"), TargetKind::sqlite);
  EXPECT_EQ(target_kind("b.db"), TargetKind::sqlite);
  EXPECT_EQ(target_kind("postgresql://u@h/db"), TargetKind::postgres);
  EXPECT_EQ(target_kind("postgres://h"), TargetKind::postgres);
  EXPECT_EQ(if_exists_from_string("fail"), IfExists::fail);
  EXPECT_EQ(if_exists_from_string("replace"), IfExists::replace);
  EXPECT_EQ(if_exists_from_string("append"), IfExists::append);
  const std::string m =
      error_of([] { if_exists_from_string("overwrite"); }, ErrorKind::invalid_argument);
  EXPECT_NE(m.find("'overwrite'"), std::string::npos) << m;
  EXPECT_NE(m.find("fail, replace, append"), std::string::npos) << m;
  const std::string no_table =
      error_of([] { open_sink("x.sqlite", SinkOptions{}); }, ErrorKind::invalid_argument);
  EXPECT_NE(no_table.find("needs a table name (--table)"), std::string::npos) << no_table;
}

TEST(SqliteTest, RoundTripOfEveryStorageTypeInThreeBlocks) {
  TempDir dir;
  const std::string path = dir.file("out.sqlite");
  const Table t = all_types_table();
  write_in_three_blocks(t, path, table_options("synthetic"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.sqlite"});  // no temporary file left
  const Table back = read_table(path, table_source("synthetic"));
  expect_same_cells(t, back);
  // The declared types.
  const Table schema =
      read_table(path, query_source("SELECT name, type FROM pragma_table_info('synthetic')"));
  std::vector<std::string> types;
  for (size_t r = 0; r < schema.num_rows(); ++r) types.push_back(schema.column(1).text(r));
  EXPECT_EQ(types, (std::vector<std::string>{"INTEGER", "REAL", "REAL", "BOOLEAN", "DATE",
                                             "TIMESTAMP", "TEXT"}));
}

TEST(SqliteTest, ManyRowsAcrossInsertBatches) {
  TempDir dir;
  const std::string path = dir.file("big.db");
  const Table t = small_table("a", 0, 1000);  // 1000 = 3 batches of 256 rows + 232 single rows
  auto sink = open_sink(path, table_options("t"));
  sink->write(rows_of(t, 0, 700));
  sink->write(rows_of(t, 700, 1000));
  sink->write(rows_of(t, 1000, 1000));  // an empty block
  EXPECT_EQ(sink->description(), "table 't' in " + path);
  sink->commit();
  expect_same_cells(t, read_table(path, table_source("t")));
}

TEST(SqliteTest, QueryAsSource) {
  TempDir dir;
  const std::string path = dir.file("q.sqlite3");
  write_in_three_blocks(all_types_table(), path, table_options("t"));
  const Table q = read_table(
      path, query_source("SELECT i, label, i * 2 AS twice, x + 1 AS shifted FROM t WHERE i > 0 "
                         "ORDER BY i"));
  ASSERT_EQ(q.column_names(), (std::vector<std::string>{"i", "label", "twice", "shifted"}));
  ASSERT_EQ(q.num_rows(), 4u);
  EXPECT_EQ(q.column("i").i64, (std::vector<int64_t>{1, 3, 42, 9223372036854775807LL}));
  EXPECT_EQ(q.column("twice").type, StorageType::float64);  // the overflow turned it real
  EXPECT_EQ(q.column("label").text(0), "red");
  EXPECT_EQ(q.column("shifted").type, StorageType::float64);
  EXPECT_TRUE(q.column("shifted").is_missing(1));
  // Aggregates, and a query without rows still has typed columns.
  const Table n = read_table(path, query_source("SELECT count(*) AS n FROM t"));
  EXPECT_EQ(n.column("n").i64, (std::vector<int64_t>{9}));
  const Table none = read_table(path, query_source("SELECT i, label FROM t WHERE 0"));
  EXPECT_EQ(none.num_rows(), 0u);
  EXPECT_EQ(none.column_names(), (std::vector<std::string>{"i", "label"}));
}

TEST(SqliteTest, TextColumnsAreTypedAsCsvWouldType) {
  TempDir dir;
  const std::string path = dir.file("imported.db");
  // What `.import data.csv t` makes: every column TEXT.
  run_sql(path,
          "CREATE TABLE t (n TEXT, f TEXT, b TEXT, d TEXT, ts TEXT, s TEXT, mixed, flag BOOLEAN, "
          "nums NUMERIC);"
          "INSERT INTO t VALUES ('1', '1.25', 'yes', '2024-01-02', '2024-01-02T03:04:05', 'a', "
          "1, 1, 1);"
          "INSERT INTO t VALUES ('-3', '2', 'no', '2023-12-31', '2024-01-02 00:00:00.5', 'b', "
          "'x', 0, 2.5);"
          "INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL, 2.5, NULL, NULL);");
  const Table t = read_table(path, table_source("t"));
  EXPECT_EQ(t.column("n").type, StorageType::int64);
  EXPECT_TRUE(t.column("n").is_missing(2));
  EXPECT_EQ(t.column("f").type, StorageType::float64);
  EXPECT_EQ(t.column("f").format.decimals, 2);
  EXPECT_EQ(t.column("b").type, StorageType::boolean);
  EXPECT_EQ(t.column("b").format.true_token, "yes");
  EXPECT_EQ(t.column("d").type, StorageType::datetime);
  EXPECT_TRUE(t.column("d").format.date_only);
  EXPECT_EQ(t.column("d").i64[0], days_from_civil(2024, 1, 2) * kNanosPerDay);
  EXPECT_EQ(t.column("ts").type, StorageType::datetime);
  EXPECT_FALSE(t.column("ts").format.date_only);
  EXPECT_EQ(t.column("s").type, StorageType::categorical);
  EXPECT_EQ(t.column("mixed").type, StorageType::categorical);  // 1, 'x', 2.5 as text
  EXPECT_EQ(t.column("mixed").text(2), "2.5");
  EXPECT_EQ(t.column("flag").type, StorageType::boolean);  // declared BOOLEAN, 0/1
  EXPECT_EQ(t.column("nums").type, StorageType::float64);  // INTEGER and REAL values
  EXPECT_EQ(t.column("nums").f64[1], 2.5);
  // A column of NULLs only is float64, as in a CSV.
  const Table nulls = read_table(path, query_source("SELECT NULL AS blank FROM t"));
  EXPECT_EQ(nulls.column(0).type, StorageType::float64);
  EXPECT_EQ(nulls.column(0).missing_count(), 3u);
}

TEST(SqliteTest, IfExistsFailReplaceAppend) {
  TempDir dir;
  const std::string path = dir.file("t.sqlite");
  write_in_three_blocks(small_table("a", 0, 5), path, table_options("t"));
  write_in_three_blocks(small_table("a", 0, 2), path, table_options("other"));

  // fail (the default): refused before anything is written, the file unchanged.
  const std::string refused =
      error_of([&] { open_sink(path, table_options("t")); }, ErrorKind::invalid_argument);
  EXPECT_NE(refused.find("'t'"), std::string::npos) << refused;
  EXPECT_NE(refused.find("already exists"), std::string::npos) << refused;
  EXPECT_NE(refused.find("replace"), std::string::npos) << refused;
  EXPECT_EQ(read_table(path, table_source("t")).num_rows(), 5u);

  // replace: other columns, other rows; the other table untouched.
  write_in_three_blocks(small_table("b", 10, 3), path, table_options("t", IfExists::replace));
  expect_same_cells(small_table("b", 10, 3), read_table(path, table_source("t")));
  EXPECT_EQ(read_table(path, table_source("other")).num_rows(), 2u);

  // append: same columns (in any order) add rows.
  {
    auto sink = open_sink(path, table_options("t", IfExists::append));
    const Table more = small_table("b", 13, 4);
    sink->write(more.select({"y", "b"}));
    sink->commit();
  }
  expect_same_cells(Table({Column::int64("b", {10, 11, 12, 13, 14, 15, 16}),
                           Column::float64("y", {0, 0.5, 1, 0, 0.5, 1, 1.5})}),
                    read_table(path, table_source("t")));

  // append with other columns: both lists named, nothing written.
  const std::string mismatch = error_of(
      [&] {
        auto sink = open_sink(path, table_options("t", IfExists::append));
        sink->write(small_table("c", 0, 1));
      },
      ErrorKind::invalid_argument);
  EXPECT_NE(mismatch.find("(b, y)"), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("(c, y)"), std::string::npos) << mismatch;
  EXPECT_EQ(read_table(path, table_source("t")).num_rows(), 7u);

  // SQLite's names ignore case: "T" is the table t.
  error_of([&] { open_sink(path, table_options("T")); }, ErrorKind::invalid_argument);
  EXPECT_EQ(read_table(path, table_source("T")).num_rows(), 7u);

  // append to a table that does not exist creates it.
  write_in_three_blocks(small_table("a", 0, 3), path, table_options("new", IfExists::append));
  EXPECT_EQ(read_table(path, table_source("new")).num_rows(), 3u);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"t.sqlite"});
}

TEST(SqliteTest, NothingVisibleWithoutCommit) {
  TempDir dir;
  // A new file: no file at all, and no temporary file.
  const std::string path = dir.file("new.sqlite");
  {
    auto sink = open_sink(path, table_options("t"));
    sink->write(small_table("a", 0, 1000));
  }
  EXPECT_TRUE(dir.entries().empty());

  // An existing file: a new table rolled back, a replaced table still the old one, appended rows
  // gone; no journal left.
  write_in_three_blocks(small_table("a", 0, 5), path, table_options("t"));
  {
    auto sink = open_sink(path, table_options("fresh"));
    sink->write(small_table("a", 0, 10));
  }
  {
    auto sink = open_sink(path, table_options("t", IfExists::replace));
    sink->write(small_table("z", 0, 10));
  }
  {
    auto sink = open_sink(path, table_options("t", IfExists::append));
    sink->write(small_table("a", 5, 10));
  }
  expect_same_cells(small_table("a", 0, 5), read_table(path, table_source("t")));
  const std::string unknown =
      error_of([&] { read_table(path, table_source("fresh")); }, ErrorKind::invalid_argument);
  EXPECT_NE(unknown.find("its tables: t"), std::string::npos) << unknown;
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"new.sqlite"});
}

// Two writers of a new file (e.g. two shards): the second to commit does not replace the first's
// database, it fails and leaves it whole.
TEST(SqliteTest, AFileCreatedMeanwhileIsNotReplaced) {
  TempDir dir;
  const std::string path = dir.file("shared.db");
  auto late = open_sink(path, table_options("t", IfExists::append));
  late->write(small_table("a", 100, 3));
  write_in_three_blocks(small_table("a", 0, 5), path, table_options("t", IfExists::append));
  const std::string m = error_of([&] { late->commit(); }, ErrorKind::io);
  EXPECT_NE(m.find("another process created it"), std::string::npos) << m;
  late.reset();
  expect_same_cells(small_table("a", 0, 5), read_table(path, table_source("t")));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"shared.db"});
}

// The CLI's set-up (remove_temp_files_on_interrupt) makes SIGINT remove the temporary database
// too; SIGKILL leaves only a file named <target>.tmp-<pid>-db<n>, never the target.
TEST(SqliteTest, InterruptedWriteLeavesNoDatabase) {
  for (int sig : {SIGINT, SIGKILL}) {
    TempDir dir;
    const std::string path = dir.file("out.sqlite");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      remove_temp_files_on_interrupt();
      auto sink = open_sink(path, table_options("t"));
      sink->write(small_table("a", 0, 5000));
      std::raise(sig);
      ::_exit(0);  // not reached
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << sig;
    EXPECT_EQ(WTERMSIG(status), sig);
    const auto left = dir.entries();
    if (sig == SIGINT) {
      EXPECT_TRUE(left.empty()) << left.front();
    } else {
      ASSERT_EQ(left.size(), 1u);
      EXPECT_EQ(left[0].rfind("out.sqlite.tmp-" + std::to_string(child) + "-db", 0), 0u) << left[0];
    }
  }
}

TEST(SqliteTest, ErrorMessages) {
  TempDir dir;
  const std::string path = dir.file("e.sqlite");
  write_in_three_blocks(small_table("a", 0, 3), path, table_options("alpha"));
  write_in_three_blocks(small_table("a", 0, 3), path, table_options("beta"));

  const std::string missing =
      error_of([&] { read_table(dir.file("missing.sqlite"), table_source("t")); }, ErrorKind::io);
  EXPECT_NE(missing.find("missing.sqlite"), std::string::npos) << missing;
  EXPECT_NE(missing.find("no such file"), std::string::npos) << missing;
  EXPECT_FALSE(fs::exists(dir.file("missing.sqlite")));  // reading never creates a file

  const std::string unknown =
      error_of([&] { read_table(path, table_source("gamma")); }, ErrorKind::invalid_argument);
  EXPECT_NE(unknown.find("no table 'gamma'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("alpha, beta"), std::string::npos) << unknown;

  const std::string bad_query =
      error_of([&] { read_table(path, query_source("SELECT nope FROM alpha")); },
               ErrorKind::invalid_argument);
  EXPECT_NE(bad_query.find("no such column: nope"), std::string::npos) << bad_query;
  const std::string syntax =
      error_of([&] { read_table(path, query_source("SELEC 1")); }, ErrorKind::invalid_argument);
  EXPECT_NE(syntax.find("syntax error"), std::string::npos) << syntax;
  // The file is opened read-only: a query cannot change it.
  const std::string write =
      error_of([&] { read_table(path, query_source("DELETE FROM alpha RETURNING a")); },
               ErrorKind::invalid_argument);
  EXPECT_NE(write.find("readonly"), std::string::npos) << write;
  EXPECT_EQ(read_table(path, table_source("alpha")).num_rows(), 3u);

  const std::string two_statements =
      error_of([&] { read_table(path, query_source("SELECT 1 AS one; DELETE FROM alpha")); },
               ErrorKind::invalid_argument);
  EXPECT_NE(two_statements.find("more than one statement"), std::string::npos) << two_statements;
  EXPECT_EQ(read_table(path, query_source("SELECT a FROM alpha;  \n")).num_rows(), 3u);

  const std::string duplicate =
      error_of([&] { read_table(path, query_source("SELECT a, a FROM alpha")); }, ErrorKind::data);
  EXPECT_NE(duplicate.find("'a' occurs twice"), std::string::npos) << duplicate;

  SourceOptions both = table_source("alpha");
  both.query = "SELECT 1";
  const std::string two = error_of([&] { read_table(path, both); }, ErrorKind::invalid_argument);
  EXPECT_NE(two.find("exactly one of"), std::string::npos) << two;
  const std::string none =
      error_of([&] { read_table(path, SourceOptions{}); }, ErrorKind::invalid_argument);
  EXPECT_NE(none.find("exactly one of"), std::string::npos) << none;

  const std::string no_folder =
      error_of([&] { open_sink(dir.file("nowhere/x.sqlite"), table_options("t")); }, ErrorKind::io);
  EXPECT_NE(no_folder.find("does not exist"), std::string::npos) << no_folder;

  const std::string not_db_path = dir.file("text.db");
  std::ofstream(not_db_path) << "this is not a database, just some text that is long enough\n";
  const std::string not_db =
      error_of([&] { read_table(not_db_path, table_source("t")); }, ErrorKind::io);
  EXPECT_NE(not_db.find("not a database"), std::string::npos) << not_db;
  const std::string not_db_sink =
      error_of([&] { open_sink(not_db_path, table_options("t")); }, ErrorKind::io);
  EXPECT_NE(not_db_sink.find("not a database"), std::string::npos) << not_db_sink;
}

// The sinks' datetime text is format_datetime's, byte for byte.
TEST(SqliteTest, DatetimeTextMatchesFormatDatetime) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> values = {0, -1, 1, kNanosPerDay - 1, -kNanosPerDay, 123456789,
                                 // The ends of int64 nanoseconds (1677-09-21 .. 2262-04-11); years
                                 // 1, 9999 or 10000 overflow int64 (UBSan, scripts/sanitize.sh).
                                 days_from_civil(2262, 4, 10) * kNanosPerDay + 5,
                                 days_from_civil(2262, 4, 11) * kNanosPerDay,
                                 days_from_civil(1677, 9, 23) * kNanosPerDay + kNanosPerSecond,
                                 days_from_civil(1677, 9, 23) * kNanosPerDay - 1};
  for (int i = 0; i < 20000; ++i) {
    // In unsigned arithmetic: 400 years of nanoseconds exceed int64 (UBSan); C++20's conversion
    // back to int64 is modular, so v spans +-200 years.
    const int64_t v =
        static_cast<int64_t>(rng() % (400ULL * 365 * kNanosPerDay) - 200ULL * 365 * kNanosPerDay);
    values.push_back(i % 3 == 0 ? v - v % kNanosPerSecond : v);
  }
  for (int64_t v : values) {
    for (bool date_only : {false, true}) {
      std::string text = "prefix";
      db_detail::append_datetime(text, v, date_only);
      ASSERT_EQ(text, "prefix" + format_datetime(v, date_only)) << v;
    }
  }
}
