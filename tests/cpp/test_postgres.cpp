// PostgreSQL as a sink and a source (src/io/postgres_*.cpp) against a real server that this file
// starts for itself (postgres_server.hpp; one per test process, shared by its tests): the round
// trip of every storage type written in blocks, the type mapping back from PostgreSQL's types,
// queries, if_exists, nothing visible without commit, schema-qualified names, and the errors
// (unreachable server, wrong password, failing query) — never echoing the URL's password.
// A test that cannot start the server fails with the reason; none is skipped.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "db_test_tables.hpp"
#include "postgres_server.hpp"

using namespace calm;
using namespace calm::db_test;
using calm::pg_test::PostgresServer;

namespace {

class PostgresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<PostgresServer>(); }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(server_->ok()) << "could not start a PostgreSQL server: " << server_->error();
  }
  void TearDown() override {
    // Each test starts from an empty database.
    if (server_->ok()) {
      EXPECT_EQ(server_->sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                             "DROP SCHEMA IF EXISTS other CASCADE"),
                "");
    }
  }
  std::string url() const { return server_->url(); }
  // The tables of the database ("schema.table"), to see that nothing else was left.
  std::string tables() const {
    std::string list;
    EXPECT_EQ(server_->sql("SELECT coalesce(string_agg(schemaname || '.' || tablename, ',' ORDER "
                           "BY 1), '') FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
                           "'information_schema')",
                           &list),
              "");
    return list;
  }
  static std::unique_ptr<PostgresServer> server_;
};

std::unique_ptr<PostgresServer> PostgresTest::server_;

}  // namespace

TEST_F(PostgresTest, RoundTripOfEveryStorageTypeInThreeBlocks) {
  const Table t = all_types_table();
  write_in_three_blocks(t, url(), table_options("synthetic"));
  EXPECT_EQ(tables(), "public.synthetic");  // the temporary table was renamed, nothing else left
  expect_same_cells(t, read_table(url(), table_source("synthetic")));
  std::string types;
  EXPECT_EQ(server_->sql("SELECT string_agg(data_type, ',' ORDER BY ordinal_position) FROM "
                         "information_schema.columns WHERE table_name = 'synthetic'",
                         &types),
            "");
  EXPECT_EQ(types,
            "bigint,double precision,double precision,boolean,date,timestamp without time "
            "zone,text");
}

TEST_F(PostgresTest, PostgresTypesMapBack) {
  ASSERT_EQ(server_->sql(
                "CREATE TABLE typed (s smallint, i integer, n numeric(8,3), r real, v varchar(9), "
                "c char(2), tz timestamptz, d date, b boolean, u uuid, nan double precision);"
                "INSERT INTO typed VALUES (1, 100000, 12.5, 0.25, 'abc', 'xy', "
                "'2024-05-06 07:08:09.5+02', '2024-05-06', true, "
                "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'NaN');"
                "INSERT INTO typed VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                "NULL, 2);"),
            "");
  const Table t = read_table(url(), table_source("typed"));
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.column("s").type, StorageType::int64);
  EXPECT_EQ(t.column("i").i64[0], 100000);
  EXPECT_TRUE(t.column("i").is_missing(1));
  EXPECT_EQ(t.column("n").type, StorageType::float64);
  EXPECT_EQ(t.column("n").f64[0], 12.5);
  EXPECT_EQ(t.column("n").format.decimals, 3);  // numeric(8,3) prints 12.500
  EXPECT_EQ(t.column("r").f64[0], 0.25);
  EXPECT_EQ(t.column("v").type, StorageType::categorical);
  EXPECT_EQ(t.column("v").text(0), "abc");
  EXPECT_EQ(t.column("c").text(0), "xy");
  EXPECT_EQ(t.column("tz").type, StorageType::datetime);
  EXPECT_EQ(t.column("tz").i64[0], days_from_civil(2024, 5, 6) * kNanosPerDay +
                                       (5 * 3600 + 8 * 60 + 9) * kNanosPerSecond +
                                       kNanosPerSecond / 2);  // in UTC
  EXPECT_EQ(t.column("d").type, StorageType::datetime);
  EXPECT_TRUE(t.column("d").format.date_only);
  EXPECT_EQ(t.column("b").type, StorageType::boolean);
  EXPECT_EQ(t.column("u").type, StorageType::categorical);
  EXPECT_TRUE(t.column("nan").is_missing(0));  // NaN is missing
  EXPECT_EQ(t.column("nan").f64[1], 2.0);
}

TEST_F(PostgresTest, QueryAsSource) {
  write_in_three_blocks(all_types_table(), url(), table_options("t"));
  const Table q = read_table(
      url(), query_source("SELECT i, label, x + 1 AS shifted, count(*) OVER () AS n FROM t WHERE "
                          "i > 0 ORDER BY i;"));
  ASSERT_EQ(q.column_names(), (std::vector<std::string>{"i", "label", "shifted", "n"}));
  EXPECT_EQ(q.column("i").i64, (std::vector<int64_t>{1, 3, 42, 9223372036854775807LL}));
  EXPECT_EQ(q.column("label").text(0), "red");
  EXPECT_TRUE(q.column("shifted").is_missing(1));
  EXPECT_EQ(q.column("n").i64[0], 4);
  const Table none = read_table(url(), query_source("SELECT i, label FROM t WHERE false"));
  EXPECT_EQ(none.num_rows(), 0u);
  EXPECT_EQ(none.column_names(), (std::vector<std::string>{"i", "label"}));
}

TEST_F(PostgresTest, IfExistsFailReplaceAppend) {
  write_in_three_blocks(small_table("a", 0, 5), url(), table_options("t"));

  const std::string refused =
      error_of([&] { open_sink(url(), table_options("t")); }, ErrorKind::invalid_argument);
  EXPECT_NE(refused.find("'t'"), std::string::npos) << refused;
  EXPECT_NE(refused.find("already exists"), std::string::npos) << refused;
  EXPECT_NE(refused.find("replace"), std::string::npos) << refused;
  EXPECT_EQ(read_table(url(), table_source("t")).num_rows(), 5u);

  write_in_three_blocks(small_table("b", 10, 3), url(), table_options("t", IfExists::replace));
  expect_same_cells(small_table("b", 10, 3), read_table(url(), table_source("t")));

  {
    auto sink = open_sink(url(), table_options("t", IfExists::append));
    sink->write(small_table("b", 13, 4).select({"y", "b"}));
    sink->commit();
  }
  expect_same_cells(Table({Column::int64("b", {10, 11, 12, 13, 14, 15, 16}),
                           Column::float64("y", {0, 0.5, 1, 0, 0.5, 1, 1.5})}),
                    read_table(url(), query_source("SELECT * FROM t ORDER BY b")));

  const std::string mismatch = error_of(
      [&] {
        auto sink = open_sink(url(), table_options("t", IfExists::append));
        sink->write(small_table("c", 0, 1));
      },
      ErrorKind::invalid_argument);
  EXPECT_NE(mismatch.find("(b, y)"), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("(c, y)"), std::string::npos) << mismatch;

  // Rows of the wrong type for an existing column: the server's message, nothing appended.
  const std::string wrong = error_of(
      [&] {
        auto sink = open_sink(url(), table_options("t", IfExists::append));
        sink->write(
            Table({Column::categorical("b", {0}, {"not a number"}), Column::float64("y", {1.0})}));
      },
      ErrorKind::data);
  EXPECT_NE(wrong.find("invalid input syntax for type bigint"), std::string::npos) << wrong;
  EXPECT_EQ(read_table(url(), table_source("t")).num_rows(), 7u);
  EXPECT_EQ(tables(), "public.t");
}

TEST_F(PostgresTest, NothingVisibleWithoutCommit) {
  {
    auto sink = open_sink(url(), table_options("fresh"));
    sink->write(small_table("a", 0, 1000));
  }
  EXPECT_EQ(tables(), "");
  write_in_three_blocks(small_table("a", 0, 5), url(), table_options("t"));
  {
    auto sink = open_sink(url(), table_options("t", IfExists::replace));
    sink->write(small_table("z", 0, 10));
  }
  {
    auto sink = open_sink(url(), table_options("t", IfExists::append));
    sink->write(small_table("a", 5, 10));
  }
  expect_same_cells(small_table("a", 0, 5), read_table(url(), table_source("t")));
  EXPECT_EQ(tables(), "public.t");
}

TEST_F(PostgresTest, SchemaQualifiedAndQuotedNames) {
  ASSERT_EQ(server_->sql("CREATE SCHEMA other"), "");
  write_in_three_blocks(small_table("a", 0, 4), url(), table_options("other.Mixed Case"));
  EXPECT_EQ(tables(), "other.Mixed Case");
  expect_same_cells(small_table("a", 0, 4), read_table(url(), table_source("other.Mixed Case")));
  write_in_three_blocks(small_table("a", 7, 2), url(),
                        table_options("other.Mixed Case", IfExists::replace));
  expect_same_cells(small_table("a", 7, 2), read_table(url(), table_source("other.Mixed Case")));
  EXPECT_EQ(tables(), "other.Mixed Case");
  // A name as long as PostgreSQL allows (63 bytes): the temporary name must not clash with it.
  const std::string longest(63, 'n');
  write_in_three_blocks(small_table("a", 0, 2), url(), table_options(longest));
  write_in_three_blocks(small_table("a", 0, 3), url(), table_options(longest, IfExists::replace));
  EXPECT_EQ(read_table(url(), table_source(longest)).num_rows(), 3u);

  const std::string bad =
      error_of([&] { open_sink(url(), table_options("a.b.c")); }, ErrorKind::invalid_argument);
  EXPECT_NE(bad.find("schema.table"), std::string::npos) << bad;
}

TEST_F(PostgresTest, UnreachableServerNamesHostAndPort) {
  const int closed = calm::pg_test::free_port();
  const std::string target =
      "postgresql://calm:Sekr1t-pw@127.0.0.1:" + std::to_string(closed) + "/postgres";
  const std::string m = error_of([&] { open_sink(target, table_options("t")); }, ErrorKind::io);
  EXPECT_NE(m.find("127.0.0.1:" + std::to_string(closed)), std::string::npos) << m;
  EXPECT_NE(m.find("refused"), std::string::npos) << m;  // libpq's message
  EXPECT_EQ(m.find("Sekr1t-pw"), std::string::npos) << m;
  const std::string r = error_of([&] { read_table(target, table_source("t")); }, ErrorKind::io);
  EXPECT_EQ(r.find("Sekr1t-pw"), std::string::npos) << r;
  EXPECT_NE(r.find("calm:***@127.0.0.1"), std::string::npos) << r;
}

TEST_F(PostgresTest, FailingQueriesGiveTheServersMessage) {
  write_in_three_blocks(small_table("a", 0, 3), url(), table_options("alpha"));
  const std::string column =
      error_of([&] { read_table(url(), query_source("SELECT nope FROM alpha")); },
               ErrorKind::invalid_argument);
  EXPECT_NE(column.find("column \"nope\" does not exist"), std::string::npos) << column;
  const std::string divide =
      error_of([&] { read_table(url(), query_source("SELECT 1 / 0 AS x")); }, ErrorKind::data);
  EXPECT_NE(divide.find("division by zero"), std::string::npos) << divide;
  // Reads run in a read-only transaction.
  const std::string write =
      error_of([&] { read_table(url(), query_source("DELETE FROM alpha RETURNING a")); },
               ErrorKind::invalid_argument);
  EXPECT_NE(write.find("read-only transaction"), std::string::npos) << write;
  // One statement only: a query cannot end the read-only transaction and write.
  const std::string escape =
      error_of([&] { read_table(url(), query_source("COMMIT; DELETE FROM alpha")); },
               ErrorKind::invalid_argument);
  EXPECT_NE(escape.find("multiple commands"), std::string::npos) << escape;
  EXPECT_EQ(read_table(url(), query_source("SELECT a FROM alpha;")).num_rows(), 3u);
  EXPECT_EQ(read_table(url(), table_source("alpha")).num_rows(), 3u);
  const std::string unknown =
      error_of([&] { read_table(url(), table_source("beta")); }, ErrorKind::invalid_argument);
  EXPECT_NE(unknown.find("no table 'beta'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("its tables: alpha"), std::string::npos) << unknown;
  const std::string duplicate =
      error_of([&] { read_table(url(), query_source("SELECT a, a FROM alpha")); }, ErrorKind::data);
  EXPECT_NE(duplicate.find("'a' occurs twice"), std::string::npos) << duplicate;
  for (const std::string& m : {column, divide, write, unknown, duplicate})
    EXPECT_EQ(m.find(PostgresServer::kPassword), std::string::npos) << m;
}

TEST_F(PostgresTest, PasswordNeverInMessagesOrDescriptions) {
  const std::string wrong = server_->url("Wr0ng-pass-77");
  const std::string m = error_of([&] { open_sink(wrong, table_options("t")); }, ErrorKind::io);
  EXPECT_NE(m.find("password authentication failed"), std::string::npos) << m;
  EXPECT_NE(m.find("127.0.0.1:" + std::to_string(server_->port())), std::string::npos) << m;
  EXPECT_EQ(m.find("Wr0ng-pass-77"), std::string::npos) << m;
  // The password as a URL parameter too.
  const std::string param = "postgresql://calm@127.0.0.1:" + std::to_string(server_->port()) +
                            "/postgres?password=Wr0ng-pass-77&connect_timeout=5";
  const std::string p = error_of([&] { read_table(param, table_source("t")); }, ErrorKind::io);
  EXPECT_EQ(p.find("Wr0ng-pass-77"), std::string::npos) << p;
  EXPECT_NE(p.find("password=***"), std::string::npos) << p;
  auto sink = open_sink(url(), table_options("t"));
  EXPECT_EQ(sink->description().find(PostgresServer::kPassword), std::string::npos)
      << sink->description();
  EXPECT_NE(sink->description().find("table 't' at postgresql://calm:***@127.0.0.1"),
            std::string::npos)
      << sink->description();
}

// libpq's environment works: a URL without a password, PGPASSWORD set.
TEST_F(PostgresTest, PasswordFromTheEnvironment) {
  write_in_three_blocks(small_table("a", 0, 3), url(), table_options("t"));
  const std::string bare =
      "postgresql://calm@127.0.0.1:" + std::to_string(server_->port()) + "/postgres";
  ::setenv("PGPASSWORD", PostgresServer::kPassword, 1);
  const Table t = read_table(bare, table_source("t"));
  ::unsetenv("PGPASSWORD");
  EXPECT_EQ(t.num_rows(), 3u);
  const std::string m = error_of([&] { read_table(bare, table_source("t")); }, ErrorKind::io);
  EXPECT_NE(m.find("password"), std::string::npos) << m;  // none given now
}

// libpq's password file works too: PGPASSFILE names a 0600 file of host:port:db:user:password.
TEST_F(PostgresTest, PasswordFromAPgpassFile) {
  write_in_three_blocks(small_table("a", 0, 4), url(), table_options("t"));
  const std::string bare =
      "postgresql://calm@127.0.0.1:" + std::to_string(server_->port()) + "/postgres";
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("calm_pgpass_" + std::to_string(::getpid()));
  {
    std::ofstream out(file);
    out << "127.0.0.1:" << server_->port() << ":postgres:calm:" << PostgresServer::kPassword
        << "\n";
  }
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ::setenv("PGPASSFILE", file.c_str(), 1);
  const Table t = read_table(bare, table_source("t"));
  ::unsetenv("PGPASSFILE");
  std::filesystem::remove(file);
  EXPECT_EQ(t.num_rows(), 4u);
}
