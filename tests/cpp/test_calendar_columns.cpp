// Calendar parts fitted as what they are (core/calendar_columns.hpp,
// api/calendar_derived.hpp): the parts of known instants; which columns are detected (and which
// not: a named column, a constant one, one missing where the datetime is not); on
// airquality_ny_1973 every synthetic Month and Day agrees with its date, in the input's column
// order and types, identically after save and load; the fcs methods keep learning them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "calm/calm.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/text.hpp"
#include "core/calendar_columns.hpp"

using namespace calm;

namespace {

const std::string kAirquality = std::string(CALM_DATASETS_DIR) + "/airquality_ny_1973.csv";

int64_t at(int64_t y, unsigned m, unsigned d, int64_t hour = 0, int64_t minute = 0) {
  return (days_from_civil(y, m, d) * 86400 + hour * 3600 + minute * 60) * 1000000000LL;
}

GeneratorSettings quiet(uint64_t seed) {
  GeneratorSettings s;
  s.random_state = seed;
  s.auto_report = false;
  s.threads = 2;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  return s;
}

std::string bytes_of(const Table& t) {
  ArchiveWriter w;
  w.table(t);
  return w.take();
}

// Month and Day equal the parts of date on every row.
void expect_parts_agree(const Table& t) {
  const Column& date = t.column("date");
  for (size_t i = 0; i < t.num_rows(); ++i) {
    ASSERT_FALSE(date.is_missing(i));
    ASSERT_EQ(t.column("Month").numeric(i), calendar_part(date.i64[i], CalendarPart::month)) << i;
    ASSERT_EQ(t.column("Day").numeric(i), calendar_part(date.i64[i], CalendarPart::day)) << i;
  }
}

}  // namespace

TEST(CalendarColumns, PartsOfKnownInstants) {
  const int64_t leap = at(2024, 2, 29, 13, 45);  // a Thursday
  EXPECT_EQ(calendar_part(leap, CalendarPart::year), 2024);
  EXPECT_EQ(calendar_part(leap, CalendarPart::quarter), 1);
  EXPECT_EQ(calendar_part(leap, CalendarPart::month), 2);
  EXPECT_EQ(calendar_part(leap, CalendarPart::day), 29);
  EXPECT_EQ(calendar_part(leap, CalendarPart::weekday), 3);  // Monday = 0
  EXPECT_EQ(calendar_part(leap, CalendarPart::day_of_year), 60);
  EXPECT_EQ(calendar_part(leap, CalendarPart::hour), 13);
  EXPECT_EQ(calendar_part(leap, CalendarPart::minute), 45);
  const int64_t before_epoch = at(1969, 12, 31, 23, 59);  // a Wednesday
  EXPECT_EQ(calendar_part(before_epoch, CalendarPart::year), 1969);
  EXPECT_EQ(calendar_part(before_epoch, CalendarPart::weekday), 2);
  EXPECT_EQ(calendar_part(before_epoch, CalendarPart::hour), 23);
  EXPECT_EQ(calendar_part(at(2023, 10, 1), CalendarPart::quarter), 4);
}

TEST(CalendarColumns, DetectsOnlyExactVaryingParts) {
  const Table aq = read_csv(kAirquality);
  const Schema schema = infer_schema(aq);
  const auto derived = detect_calendar_columns(aq, schema, {});
  ASSERT_EQ(derived.size(), 2u);
  EXPECT_EQ(derived[0].column, "Month");
  EXPECT_EQ(derived[0].part, CalendarPart::month);
  EXPECT_EQ(derived[1].column, "Day");
  EXPECT_EQ(derived[1].part, CalendarPart::day);
  EXPECT_EQ(derived[1].source, "date");
  // A column the run names is kept.
  EXPECT_EQ(detect_calendar_columns(aq, schema, {"Month"}).size(), 1u);
  // One cell off, or present where the date is missing: not a function of the date.
  Column month = aq.column("Month");
  month.i64[5] += 1;
  EXPECT_EQ(detect_calendar_columns(aq.with_column(month), schema, {}).size(), 1u);
  Column date = aq.column("date");
  date.valid.assign(date.size(), 1);
  date.valid[3] = 0;
  EXPECT_TRUE(detect_calendar_columns(aq.with_column(date), schema, {}).empty());
  // A constant part (every row in 1973) is left to the method.
  const Table year =
      Table({aq.column("date"), Column::int64("year", std::vector<int64_t>(aq.num_rows(), 1973))});
  EXPECT_TRUE(detect_calendar_columns(year, infer_schema(year), {}).empty());
}

TEST(CalendarColumns, SyntheticPartsAgreeWithTheirDateAndSurviveSaveAndLoad) {
  const Table aq = read_csv(kAirquality);
  GenerateOptions o;
  o.n_samples = 400;
  o.method = "gaussian_copula";
  RealGenerator g(quiet(3));
  const Table syn = g.generate(aq, o);
  EXPECT_EQ(syn.column_names(), aq.column_names());
  for (size_t j = 0; j < aq.num_columns(); ++j) EXPECT_EQ(syn.column(j).type, aq.column(j).type);
  expect_parts_agree(syn);
  const auto path = (std::filesystem::temp_directory_path() /
                     ("calm_calendar_" + std::to_string(::getpid()) + ".calm"))
                        .string();
  g.save(path);
  RealGenerator loaded = RealGenerator::load(path, quiet(3));
  GenerateOptions again;
  again.n_samples = 400;
  const Table a = g.sample(again), b = loaded.sample(again);
  expect_parts_agree(b);
  EXPECT_EQ(bytes_of(a), bytes_of(b));
  std::filesystem::remove(path);
  // Named in column_types, the month is learnt again (and then disagrees with date somewhere).
  o.column_types["Month"] = "categorical";
  const Table learnt = RealGenerator(quiet(3)).generate(aq, o);
  size_t disagree = 0;
  for (size_t i = 0; i < learnt.num_rows(); ++i)
    disagree += learnt.column("Month").numeric(i) !=
                calendar_part(learnt.column("date").i64[i], CalendarPart::month);
  EXPECT_GT(disagree, 0u);
}
