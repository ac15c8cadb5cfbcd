// CSV reader/writer: RFC 4180 parsing, sniffing, type inference, strict errors with line numbers,
// atomic writes, and the exact read -> write -> read round trip on every shared dataset.
#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "calm/io/csv.hpp"

using namespace calm;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(CALM_SOURCE_DIR) + "/tests/data/csv/";

std::string write_to_string(const Table& t, const CsvWriteOptions& o = {}) {
  std::ostringstream out;
  write_csv(t, out, o);
  return out.str();
}

// Same names, storage types, missing masks and bit-identical values (categoricals by label).
void expect_same_table(const Table& a, const Table& b, const std::string& what) {
  ASSERT_EQ(a.column_names(), b.column_names()) << what;
  ASSERT_EQ(a.num_rows(), b.num_rows()) << what;
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = a.column(c);
    const Column& y = b.column(c);
    ASSERT_EQ(x.type, y.type) << what << " column " << x.name;
    EXPECT_EQ(x.format.date_only, y.format.date_only) << what << " column " << x.name;
    if (x.type == StorageType::boolean) {
      EXPECT_EQ(x.format.true_token, y.format.true_token) << what << " column " << x.name;
      EXPECT_EQ(x.format.false_token, y.format.false_token) << what << " column " << x.name;
    }
    for (size_t r = 0; r < a.num_rows(); ++r) {
      ASSERT_EQ(x.is_missing(r), y.is_missing(r)) << what << " " << x.name << " row " << r;
      if (x.is_missing(r)) continue;
      switch (x.type) {
        case StorageType::float64:
          ASSERT_EQ(std::bit_cast<uint64_t>(x.f64[r]), std::bit_cast<uint64_t>(y.f64[r]))
              << what << " " << x.name << " row " << r;
          break;
        case StorageType::int64:
        case StorageType::datetime:
          ASSERT_EQ(x.i64[r], y.i64[r]) << what << " " << x.name << " row " << r;
          break;
        case StorageType::boolean:
          ASSERT_EQ(x.b[r], y.b[r]) << what << " " << x.name << " row " << r;
          break;
        case StorageType::categorical:
          ASSERT_EQ(x.dict[x.codes[r]], y.dict[y.codes[r]])
              << what << " " << x.name << " row " << r;
          break;
      }
    }
  }
}

// The message of the calm::Error that `f` throws, checking its kind.
template <typename F>
std::string error_of(F&& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no calm::Error thrown";
  return {};
}

std::string data_error(const std::string& csv, const CsvReadOptions& o = {}) {
  return error_of([&] { read_csv_string(csv, o); }, ErrorKind::data);
}

}  // namespace

TEST(CsvRead, InfersEachStorageType) {
  Table t = read_csv_string(
      "i,f,b,d,dt,s,na\n"
      "1,1.5,yes,2024-01-02,2024-01-02 03:04:05,red,\n"
      "-7,2.25,no,2024-12-31,2024-01-02T00:00:00.5,blue,NA\n"
      ",3,,,,red,\n");
  ASSERT_EQ(t.num_rows(), 3u);
  const Column& i = t.column("i");
  EXPECT_EQ(i.type, StorageType::int64);
  EXPECT_EQ(i.i64[1], -7);
  EXPECT_TRUE(i.is_missing(2));
  const Column& f = t.column("f");
  EXPECT_EQ(f.type, StorageType::float64);
  EXPECT_EQ(f.format.decimals, 2);
  EXPECT_EQ(f.f64[1], 2.25);
  const Column& b = t.column("b");
  EXPECT_EQ(b.type, StorageType::boolean);
  EXPECT_EQ(b.format.true_token, "yes");
  EXPECT_EQ(b.format.false_token, "no");
  EXPECT_EQ(b.b[0], 1);
  EXPECT_EQ(b.b[1], 0);
  EXPECT_TRUE(b.is_missing(2));
  const Column& d = t.column("d");
  EXPECT_EQ(d.type, StorageType::datetime);
  EXPECT_TRUE(d.format.date_only);
  EXPECT_EQ(d.i64[0], days_from_civil(2024, 1, 2) * kNanosPerDay);
  const Column& dt = t.column("dt");
  EXPECT_EQ(dt.type, StorageType::datetime);
  EXPECT_FALSE(dt.format.date_only);
  EXPECT_EQ(dt.i64[1], days_from_civil(2024, 1, 2) * kNanosPerDay + kNanosPerSecond / 2);
  const Column& s = t.column("s");
  EXPECT_EQ(s.type, StorageType::categorical);
  EXPECT_EQ(s.dict, (std::vector<std::string>{"red", "blue"}));  // first-appearance order
  EXPECT_EQ(s.codes, (std::vector<int32_t>{0, 1, 0}));
  EXPECT_EQ(t.column("na").type, StorageType::float64);
  EXPECT_EQ(t.column("na").missing_count(), 3u);
}

TEST(CsvRead, NumberEdgeCases) {
  Table t = read_csv_string(
      "big,spaced,plus,single_bool,upper\n"
      "9223372036854775807,  12 ,+4,F,TRUE\n"
      "9223372036854775808, 3.5,+0.5,M,TRUE\n");
  EXPECT_EQ(t.column("big").type, StorageType::float64);  // beyond int64
  EXPECT_EQ(t.column("big").f64[1], 9223372036854775808.0);
  EXPECT_EQ(t.column("spaced").type, StorageType::float64);
  EXPECT_EQ(t.column("spaced").f64[0], 12.0);
  EXPECT_EQ(t.column("plus").f64[0], 4.0);
  // Single letters are labels, not booleans.
  EXPECT_EQ(t.column("single_bool").type, StorageType::categorical);
  const Column& upper = t.column("upper");
  EXPECT_EQ(upper.type, StorageType::boolean);
  EXPECT_EQ(upper.format.true_token, "TRUE");
  EXPECT_EQ(upper.format.false_token, "FALSE");  // unseen spelling follows the seen case
  EXPECT_EQ(read_csv_string("x\n1\n9223372036854775807\n").column("x").type, StorageType::int64);
  EXPECT_EQ(read_csv_string("x\n-0.0\n").column("x").f64[0], 0.0);
  EXPECT_FALSE(std::signbit(read_csv_string("x\n-0.0\n").column("x").f64[0]));
}

TEST(CsvRead, QuotesEmbeddedNewlinesAndDelimiters) {
  Table t = read_csv(kFixtures + "quoted.csv");
  ASSERT_EQ(t.num_rows(), 3u);
  EXPECT_EQ(t.column("name").text(0), "Smith, J.");
  EXPECT_EQ(t.column("comment").text(0), "said \"hi\"");
  EXPECT_EQ(t.column("comment").text(1), "line one\nline two");
  EXPECT_TRUE(t.column("comment").is_missing(2));
  EXPECT_EQ(t.column("score").type, StorageType::float64);
  EXPECT_EQ(t.column("score").f64[2], 3.25);
  EXPECT_EQ(t.column("score").format.decimals, 2);
  // A quote inside an unquoted field is literal (5'11" heights).
  EXPECT_EQ(read_csv_string("h,n\n5'11\",1\n").column("h").text(0), "5'11\"");
}

TEST(CsvRead, BomCrlfAndSemicolonAreSniffed) {
  Table t = read_csv(kFixtures + "bom_crlf_semicolon.csv");
  EXPECT_EQ(t.column_names(), (std::vector<std::string>{"id", "city", "when"}));
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.column("city").text(0), "Z\xC3\xBCrich");
  EXPECT_EQ(t.column("city").text(1), "A;B");
  EXPECT_EQ(t.column("when").type, StorageType::datetime);
  EXPECT_EQ(t.column("when").text(1), "2024-02-29");
  EXPECT_EQ(t.column("id").type, StorageType::int64);
}

TEST(CsvRead, SniffsTabsAndPipesAndHonoursQuotes) {
  Table tabs = read_csv(kFixtures + "tabs.tsv");
  EXPECT_EQ(tabs.num_columns(), 3u);
  EXPECT_EQ(tabs.column("c").type, StorageType::boolean);
  EXPECT_EQ(read_csv_string("a|b\n1|2\n").num_columns(), 2u);
  // Commas inside quotes must not win the vote over the real ';'.
  Table q = read_csv_string("\"a,1\";\"b,2\"\n\"x,y\";3\n");
  EXPECT_EQ(q.column_names(), (std::vector<std::string>{"a,1", "b,2"}));
  // One column: no delimiter splits consistently.
  EXPECT_EQ(read_csv_string("only\n1\n2\n").num_columns(), 1u);
  // An explicit delimiter overrides sniffing.
  CsvReadOptions o;
  o.delimiter = ';';
  EXPECT_EQ(read_csv_string("a,b\n1,2\n", o).column_names(), (std::vector<std::string>{"a,b"}));
}

TEST(CsvRead, NaTokensAreConfigurable) {
  Table t = read_csv_string("x,y\nNA,-\nNaN,1\nnull,2\n3,-\n");
  EXPECT_EQ(t.column("x").type, StorageType::int64);
  EXPECT_EQ(t.column("x").missing_count(), 3u);
  EXPECT_EQ(t.column("y").type, StorageType::categorical);  // "-" is text by default
  CsvReadOptions o;
  o.na_tokens = {"-"};
  Table u = read_csv_string("x,y\nNA,-\n3,1\n", o);
  EXPECT_EQ(u.column("x").type, StorageType::categorical);  // "NA" is now a label
  EXPECT_EQ(u.column("y").type, StorageType::int64);
  EXPECT_TRUE(u.column("y").is_missing(0));
}

TEST(CsvRead, BlankLinesAndMissingFinalNewlineAreFine) {
  Table t = read_csv_string("a,b\n\n1,2\r\n\n3,4");
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.column("b").i64[1], 4);
}

TEST(CsvRead, HeaderOnlyGivesZeroRows) {
  Table t = read_csv(kFixtures + "header_only.csv");
  EXPECT_EQ(t.num_columns(), 3u);
  EXPECT_EQ(t.num_rows(), 0u);
}

TEST(CsvErrors, MissingFileIsIoError) {
  auto msg = error_of([] { read_csv(kFixtures + "no_such_file.csv"); }, ErrorKind::io);
  EXPECT_NE(msg.find("no_such_file.csv"), std::string::npos) << msg;
  error_of([] { read_csv(kFixtures); }, ErrorKind::io);  // a folder
}

TEST(CsvErrors, EmptyFiles) {
  for (const char* name : {"empty.csv", "whitespace_only.csv"}) {
    auto msg = error_of([&] { read_csv(kFixtures + name); }, ErrorKind::data);
    EXPECT_NE(msg.find("empty"), std::string::npos) << msg;
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
  }
  EXPECT_NE(data_error("\xEF\xBB\xBF").find("empty"), std::string::npos);
}

TEST(CsvErrors, RaggedRowNamesTheLineCountingQuotedNewlines) {
  auto msg = error_of([] { read_csv(kFixtures + "ragged.csv"); }, ErrorKind::data);
  EXPECT_NE(msg.find("line 8 has 3 fields, expected 5"), std::string::npos) << msg;
  EXPECT_NE(data_error("a,b\n1,2,3\n").find("line 2 has 3 fields, expected 2"), std::string::npos);
}

TEST(CsvErrors, UnterminatedQuoteAndJunkAfterQuote) {
  auto msg = error_of([] { read_csv(kFixtures + "unterminated_quote.csv"); }, ErrorKind::data);
  EXPECT_NE(msg.find("line 2: unterminated quote"), std::string::npos) << msg;
  msg = data_error("a,b\n1,2\n\"x\"y,3\n");
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("after a closing quote"), std::string::npos) << msg;
}

TEST(CsvErrors, InvalidUtf8NamesLineAndColumn) {
  auto msg = error_of([] { read_csv(kFixtures + "latin1.csv"); }, ErrorKind::data);
  EXPECT_NE(msg.find("line 3 column 'name': bytes are not valid UTF-8"), std::string::npos) << msg;
  // Overlong encodings and surrogates are not UTF-8 either.
  EXPECT_NE(data_error("a\n\xC0\xAF\n").find("line 2 column 'a'"), std::string::npos);
  EXPECT_NE(data_error("a\nx\n\xED\xA0\x80\n").find("line 3 column 'a'"), std::string::npos);
  EXPECT_NE(data_error("a,\xFF\n1,2\n").find("line 1: header name 2"), std::string::npos);
  // Valid multi-byte text passes.
  EXPECT_EQ(read_csv_string("a\n\xE2\x82\xAC\n\xF0\x9F\x98\x80\n").column("a").dict.size(), 2u);
}

TEST(CsvErrors, EmptyAndDuplicateHeaderNames) {
  EXPECT_NE(data_error("a,,c\n1,2,3\n").find("column 2 has an empty header name"),
            std::string::npos);
  auto msg = data_error("a,b,a\n1,2,3\n");
  EXPECT_NE(msg.find("duplicate header name 'a' (columns 1 and 3)"), std::string::npos) << msg;
}

TEST(CsvErrors, InfiniteValueInNumericColumn) {
  auto msg = data_error("x,y\n1,2\n2,-inf\n");
  EXPECT_NE(msg.find("line 3 column 'y': infinite value '-inf'"), std::string::npos) << msg;
  EXPECT_NE(data_error("x\n1e999\n").find("infinite"), std::string::npos);
  // In a text column "inf" is just a label.
  EXPECT_EQ(read_csv_string("x\ninf\nabc\n").column("x").type, StorageType::categorical);
}

TEST(CsvErrors, BadOptions) {
  CsvReadOptions o;
  o.delimiter = '"';
  error_of([&] { read_csv_string("a\n1\n", o); }, ErrorKind::invalid_argument);
  CsvReadOptions t;
  t.threads = -1;
  error_of([&] { read_csv_string("a\n1\n", t); }, ErrorKind::invalid_argument);
  CsvWriteOptions w;
  w.line_end = "\r";
  error_of([&] { write_to_string(read_csv_string("a\n1\n"), w); }, ErrorKind::invalid_argument);
}

TEST(CsvWrite, QuotesOnlyWhenNeeded) {
  Table t = read_csv_string(
      "s,n\n"
      "plain,1.5\n"
      "\"has,comma\",\n"
      "\"has \"\"quote\"\"\",2\n"
      "\" padded\",3\n"
      "\"multi\nline\",4\n");
  EXPECT_EQ(write_to_string(t),
            "s,n\nplain,1.5\n\"has,comma\",\n\"has \"\"quote\"\"\",2\n\" padded\",3\n"
            "\"multi\nline\",4\n");
  CsvWriteOptions semi;
  semi.delimiter = ';';
  semi.line_end = "\r\n";
  EXPECT_EQ(write_to_string(t.select({"s"}).take_rows({1}), semi), "s\r\nhas,comma\r\n");
}

TEST(CsvWrite, KeepsTypesThatTextAloneWouldLose) {
  // Whole-number floats keep a point, else they would come back as int64.
  Table t(std::vector<Column>{Column::float64("x", {1.0, 2.0, std::nan("")})});
  EXPECT_EQ(write_to_string(t), "x\n1.0\n2.0\n\"\"\n");
  // A missing cell in a one-column table is written as "" rather than a blank line.
  expect_same_table(t, read_csv_string(write_to_string(t)), "one column");
  Table ints(
      std::vector<Column>{Column::int64("k", {1, 2}, {1, 0}), Column::float64("v", {0.1, 1e300})});
  EXPECT_EQ(write_to_string(ints), "k,v\n1,0.1\n,1e+300\n");
  expect_same_table(ints, read_csv_string(write_to_string(ints)), "ints");
}

TEST(CsvWrite, PathIsWrittenAtomically) {
  const fs::path dir = fs::temp_directory_path() / ("calm_csv_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Table t = read_csv_string("a,b\n1,x\n2,y\n");
  const std::string path = (dir / "out.csv").string();
  write_csv(t, path);
  write_csv(t, path);  // overwriting an existing file is fine
  expect_same_table(t, read_csv(path), "file");
  // A missing folder is named in the error.
  auto msg = error_of([&] { write_csv(t, (dir / "nope" / "out.csv").string()); }, ErrorKind::io);
  EXPECT_NE(msg.find((dir / "nope").string()), std::string::npos) << msg;
  // When the final rename fails (the target is a non-empty folder) no temporary file is left.
  fs::create_directories(dir / "taken" / "inside");
  error_of([&] { write_file_atomically((dir / "taken").string(), "x"); }, ErrorKind::io);
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++entries;
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
  EXPECT_EQ(entries, 2u);  // out.csv and taken/
  fs::remove_all(dir);
}

TEST(CsvRead, ThreadCountDoesNotChangeTheResult) {
  std::string csv = "a,b,c,d\n";
  for (int i = 0; i < 500; ++i)
    csv += std::to_string(i) + "," + std::to_string(i * 0.37) + ",k" + std::to_string(i % 7) +
           (i % 2 ? ",yes\n" : ",no\n");
  CsvReadOptions one, four;
  one.threads = 1;
  four.threads = 4;
  expect_same_table(read_csv_string(csv, one), read_csv_string(csv, four), "threads");
}

TEST(CsvRoundTrip, EverySharedDatasetIsReproducedExactly) {
  const fs::path datasets(CALM_DATASETS_DIR);
  if (!fs::exists(datasets)) GTEST_SKIP() << "no " << datasets;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(datasets)) {
    if (entry.path().extension() != ".csv") continue;
    const std::string name = entry.path().filename().string();
    Table first = read_csv(entry.path().string());
    EXPECT_GT(first.num_rows(), 0u) << name;
    Table second = read_csv_string(write_to_string(first));
    expect_same_table(first, second, name);
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(CsvRoundTrip, DatasetTypesMatchTheirContent) {
  const fs::path path = fs::path(CALM_DATASETS_DIR) / "diamonds.csv";
  if (!fs::exists(path)) GTEST_SKIP() << "no " << path;
  Table t = read_csv(path.string());
  EXPECT_EQ(t.num_rows(), 53940u);
  EXPECT_EQ(t.column("carat").type, StorageType::float64);
  EXPECT_EQ(t.column("carat").format.decimals, 2);
  EXPECT_EQ(t.column("price").type, StorageType::int64);
  EXPECT_EQ(t.column("cut").type, StorageType::categorical);
  EXPECT_EQ(t.column("cut").dict.size(), 5u);
}

namespace {

// A random table of every storage type, with missing cells, awkward strings (delimiters, quotes,
// CR/LF, surrounding spaces, multi-byte UTF-8) and extreme numbers.
Table random_table(uint64_t seed, size_t rows) {
  std::mt19937_64 rng(seed);
  auto pick = [&](uint64_t n) { return rng() % n; };
  auto missing = [&] { return pick(10) == 0; };
  std::vector<double> f(rows), whole(rows);
  std::vector<int64_t> i(rows), dt(rows), day(rows);
  std::vector<uint8_t> b(rows), iv(rows, 1), bv(rows, 1), dtv(rows, 1), dayv(rows, 1);
  std::vector<int32_t> codes(rows);
  std::vector<std::string> dict = {"x"};
  const std::string alphabet[] = {"a",  "b", ",",        "\"",           ";", " ", "\t", "\n",
                                  "\r", "|", "\xC3\xA9", "\xE2\x82\xAC", "0", "."};
  const double specials[] = {5e-324, 1.7976931348623157e308, 0.1, 1e-300, 123456789.125, -2.5};
  for (size_t r = 0; r < rows; ++r) {
    double mag = std::pow(10.0, double(pick(30)) - 15.0);
    f[r] = missing()      ? std::nan("")
           : pick(8) == 0 ? specials[pick(6)]
                          : (double(rng() >> 11) * 0x1p-53 - 0.5) * mag;
    whole[r] = missing() ? std::nan("") : double(int64_t(pick(2000000)) - 1000000);
    const int64_t extremes[] = {INT64_MIN, INT64_MAX, 0, -1};
    i[r] = pick(6) == 0 ? extremes[pick(4)] : int64_t(rng() >> 20) - (int64_t(1) << 43);
    iv[r] = !missing();
    b[r] = pick(2);
    bv[r] = !missing();
    const int64_t span = 200LL * 365 * kNanosPerDay;  // 1900..2100
    dt[r] = int64_t(rng() % uint64_t(span)) - 70LL * 365 * kNanosPerDay;
    dtv[r] = !missing();
    day[r] = (int64_t(pick(60000)) - 25000) * kNanosPerDay;
    dayv[r] = !missing();
    if (r > 0 && missing()) {
      codes[r] = -1;
    } else if (r > 0 && pick(3) == 0) {
      std::string s;
      for (size_t k = 0, n = 1 + pick(6); k < n; ++k) s += alphabet[pick(std::size(alphabet))];
      codes[r] = int32_t(dict.size());
      dict.push_back(s);
    } else {
      codes[r] = int32_t(pick(dict.size()));
    }
  }
  codes[0] = 0;  // "x" keeps the column text even if every other label looks like a number
  b[0] = 1, bv[0] = 1;
  Column dates = Column::datetime("day", day, dayv);
  dates.format.date_only = true;
  std::vector<Column> cols;
  cols.push_back(Column::float64("f", f));
  cols.push_back(Column::float64("whole", whole));
  cols.push_back(Column::int64("i", i, iv));
  cols.push_back(Column::boolean("b", b, bv));
  cols.push_back(Column::datetime("dt", dt, dtv));
  cols.push_back(std::move(dates));
  cols.push_back(Column::categorical("s, \"odd\" name", codes, dict));
  return Table(std::move(cols));
}

}  // namespace

TEST(CsvRoundTrip, RandomTablesSurviveEveryDelimiterAndLineEnd) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    Table t = random_table(seed, 400);
    for (char delim : {',', ';', '\t', '|'}) {
      CsvWriteOptions w;
      w.delimiter = delim;
      w.line_end = seed % 2 ? "\n" : "\r\n";
      CsvReadOptions r;
      r.delimiter = delim;
      std::string text = write_to_string(t, w);
      expect_same_table(t, read_csv_string(text, r),
                        "seed " + std::to_string(seed) + " delimiter " + std::string(1, delim));
    }
    // Sniffing finds the writer's default on a table this wide.
    expect_same_table(t, read_csv_string(write_to_string(t)),
                      "sniffed, seed " + std::to_string(seed));
    // Every single column alone, which exercises the one-column "" rule.
    for (const auto& name : t.column_names()) {
      Table one = t.select({name});
      expect_same_table(one, read_csv_string(write_to_string(one)), "column " + name);
    }
  }
}

TEST(CsvRead, PlainDecimalsAreCorrectlyRounded) {
  // The reader's own fast path for plain decimals must agree with strtod (correctly rounded in
  // glibc) to the bit, including 17-19 digit mantissas and halfway-looking cases.
  std::mt19937_64 rng(7);
  std::string csv = "x\n";
  std::vector<std::string> texts;
  for (int k = 0; k < 3000; ++k) {
    std::string digits = std::to_string(rng() % 10000000000000000000ULL);
    digits.resize(1 + rng() % digits.size());
    size_t point = rng() % (digits.size() + 1);
    std::string s = rng() % 2 ? "-" : "";
    s.append(digits, 0, point).append(".").append(digits, point);
    if (s == "." || s == "-.") s = "0.5";
    texts.push_back(s);
    csv += s + "\n";
  }
  for (const char* s : {"9007199254740993", "0.30000000000000004", "9007199254740993.0",
                        "1.00000000000000011102230246251565", "123456789012345678.9"}) {
    texts.push_back(s);
    csv += std::string(s) + "\n";
  }
  Table t = read_csv_string(csv);
  ASSERT_EQ(t.column("x").type, StorageType::float64);
  for (size_t r = 0; r < texts.size(); ++r)
    ASSERT_EQ(std::bit_cast<uint64_t>(t.column("x").f64[r]),
              std::bit_cast<uint64_t>(std::strtod(texts[r].c_str(), nullptr) + 0.0))
        << texts[r];
}

TEST(CsvRead, FilesEndingAtAndAroundAPageBoundary) {
  // The reader maps files and adds a final '\n' past the end when missing; sizes on both sides of
  // a page boundary, with and without that newline, must all read the same last value.
  const fs::path path = fs::temp_directory_path() / ("calm_csv_page_" + std::to_string(::getpid()));
  const size_t page = size_t(::sysconf(_SC_PAGESIZE));
  for (size_t size : {page - 1, page, page + 1, 2 * page}) {
    for (bool final_newline : {false, true}) {
      std::string text = "v\n";
      while (text.size() + 8 < size) text += "1234567\n";
      std::string last = std::string(size - text.size() - (final_newline ? 1 : 0), '9');
      text += last + (final_newline ? "\n" : "");
      ASSERT_EQ(text.size(), size);
      std::ofstream(path, std::ios::binary) << text;
      Table t = read_csv(path.string());
      ASSERT_GT(t.num_rows(), 0u);
      EXPECT_EQ(t.column("v").text(t.num_rows() - 1), last) << size << " " << final_newline;
    }
  }
  fs::remove(path);
}
