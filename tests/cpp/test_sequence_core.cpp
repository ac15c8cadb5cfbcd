// The sequence core (core/sequence_table.hpp, transform/entity_keys.hpp,
// transform/sequence_time.hpp): the seed's sequence_key / sequence_index options, entities and
// time order, context detection, the errors on bad sequences, fresh keys in the real keys' look,
// key renumbering across blocks, the time axis and the stamps rebuilt from drawn steps.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/sequence_table.hpp"
#include "sequence_test_tables.hpp"
#include "transform/entity_keys.hpp"
#include "transform/sequence_time.hpp"

using namespace calm;

namespace {

Params sequence_params(const Json& user) {
  ParamSpec spec;
  for (ParamDef& d : sequence_param_defs()) spec.add(std::move(d));
  return spec.resolve(user, "test");
}

std::string kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return to_string(e.kind()) + std::string(": ") + e.what();
  }
  return "no error";
}

}  // namespace

TEST(SequenceOptions, SequenceIndexIsTheTimeWithAKeyAndTheLegacyKeyWithout) {
  SequenceColumns s =
      sequence_columns(sequence_params({{"sequence_key", "id"}, {"sequence_index", "day"}}), "m");
  EXPECT_EQ(s.key, "id");
  EXPECT_EQ(s.time, "day");
  EXPECT_FALSE(s.legacy_key_alias);
  s = sequence_columns(sequence_params({{"sequence_index", "id"}, {"time_col", "day"}}), "m");
  EXPECT_EQ(s.key, "id");
  EXPECT_EQ(s.time, "day");
  EXPECT_TRUE(s.legacy_key_alias);
  EXPECT_NE(kind_of([] {
              sequence_columns(sequence_params(Json::object()), "par");
            }).find("needs model_params sequence_key"),
            std::string::npos);
  EXPECT_NE(kind_of([] {
              sequence_columns(
                  sequence_params(
                      {{"sequence_key", "id"}, {"sequence_index", "day"}, {"time_col", "visit"}}),
                  "m");
            }).find("invalid argument"),
            std::string::npos);
}

TEST(SequenceTable, EntitiesInTimeOrderAndContextDetected) {
  // Entity 7 has its rows out of day order; futime and group are constant per entity.
  const Table t({Column::int64("id", {7, 7, 3, 7, 3}), Column::int64("day", {30, 10, 0, 20, 5}),
                 Column::int64("futime", {40, 40, 5, 40, 5}),
                 Column::categorical("group", {0, 0, 1, 0, 1}, {"a", "b"}),
                 Column::float64("x", {1, 2, 3, 4, 5})});
  SequenceColumns s;
  s.key = "id";
  s.time = "day";
  const SequenceTable q = SequenceTable::build(t, s);
  ASSERT_EQ(q.entities(), 2u);
  EXPECT_EQ(q.length(0), 3u);
  EXPECT_EQ(q.unsorted_entities(), 1u);
  EXPECT_EQ(q.row(0, 0), 1);  // day 10 first
  EXPECT_EQ(q.row(0, 2), 0);  // day 30 last
  EXPECT_EQ(q.context_names(t), (std::vector<std::string>{"futime", "group"}));
  ASSERT_EQ(q.varying_columns().size(), 1u);
  EXPECT_EQ(t.column(q.varying_columns()[0]).name, "x");
  const auto bounds = detect_time_bounds(t, q);
  ASSERT_EQ(bounds.size(), 1u);  // day <= futime, reached by entity 3
  EXPECT_TRUE(bounds[0].upper);
  EXPECT_EQ(t.column(bounds[0].column).name, "futime");
}

TEST(SequenceTable, BadSequencesAreClearErrors) {
  SequenceColumns s;
  s.key = "id";
  s.time = "day";
  const Table one_row_each({Column::int64("id", {1, 2, 3}), Column::int64("day", {0, 1, 2})});
  EXPECT_NE(kind_of([&] { SequenceTable::build(one_row_each, s); }).find("one row"),
            std::string::npos);
  const Table text_time({Column::int64("id", {1, 1, 2}),
                         Column::categorical("day", {0, 1, 2}, {"3", "2020-01-01", "x"})});
  EXPECT_NE(kind_of([&] {
              SequenceTable::build(text_time, s);
            }).find("must hold numbers, dates or datetimes"),
            std::string::npos);
  const Table missing_time(
      {Column::int64("id", {1, 1, 2}), Column::float64("day", {0, std::nan(""), 1})});
  EXPECT_NE(kind_of([&] { SequenceTable::build(missing_time, s); }).find("missing cells"),
            std::string::npos);
  const Table missing_key(
      {Column::int64("id", {1, 1, 0}, {1, 1, 0}), Column::int64("day", {0, 1, 2})});
  EXPECT_NE(kind_of([&] { SequenceTable::build(missing_key, s); }).find("data error: sequence_key"),
            std::string::npos);
  const Table ok({Column::int64("id", {1, 1, 1, 2, 2}), Column::int64("day", {0, 1, 2, 0, 1}),
                  Column::int64("v", {1, 2, 3, 4, 5})});
  SequenceColumns limited = s;
  limited.max_length = 2;
  EXPECT_NE(kind_of([&] { SequenceTable::build(ok, limited); }).find("max_sequence_length = 2"),
            std::string::npos);
  SequenceColumns named = s;
  named.context = std::vector<std::string>{"v"};
  EXPECT_NE(kind_of([&] { SequenceTable::build(ok, named); }).find("varies within entity"),
            std::string::npos);
  SequenceColumns unknown = s;
  unknown.key = "patient";
  EXPECT_NE(kind_of([&] {
              SequenceTable::build(ok, unknown);
            }).find("invalid argument: sequence_key 'patient' is not a column; columns are"),
            std::string::npos);
}

TEST(SequenceKeys, FreshKeysKeepTheRealLookAndRenumberPastEachOther) {
  const Column coded = Column::categorical("id", {0, 1, 2}, {"P001", "P002", "P312"});
  Column made = EntityKeys::fit(coded).make({2, 1}, 1);
  EXPECT_EQ(made.text(0), "P001");
  EXPECT_EQ(made.text(1), "P001");
  EXPECT_EQ(made.text(2), "P002");
  const Column names = Column::categorical("city", {0, 1}, {"Abilene", "Austin"});
  made = EntityKeys::fit(names).make({1, 1}, 1);
  EXPECT_EQ(made.text(1), "city_0002");
  made = EntityKeys::fit(Column::int64("id", {5, 9})).make({1, 2}, 1);
  EXPECT_EQ(made.i64, (std::vector<int64_t>{1, 2, 2}));
  // A later block's keys continue where its first entity's number says.
  const Column moved = renumber_entity_keys(EntityKeys::fit(coded).make({1, 2}, 1), 262145);
  EXPECT_EQ(moved.text(0), "P262145");
  EXPECT_EQ(moved.text(2), "P262146");
  const Column ints = renumber_entity_keys(Column::int64("id", {1, 1, 2}), 11);
  EXPECT_EQ(ints.i64, (std::vector<int64_t>{11, 11, 12}));
  EXPECT_NE(kind_of([] {
              EntityKeys::fit(Column::boolean("id", {0, 1}));
            }).find("data error"),
            std::string::npos);
}

TEST(SequenceTime, MonthlyDatesStayOnTheirDayAndGrid) {
  const Table t = seq_test::monthly(3, 14);
  SequenceColumns s;
  s.key = "city";
  s.time = "date";
  const SequenceTable q = SequenceTable::build(t, s);
  const SequenceTime st = SequenceTime::fit(t, q);
  EXPECT_EQ(st.axis.kind(), TimeAxisKind::months);
  EXPECT_TRUE(st.spacing.regular);
  EXPECT_TRUE(st.spacing.on_grid);
  // year and month are functions of the date: looked up, not generated.
  std::set<std::string> looked_up;
  for (const auto& l : st.lookups) looked_up.insert(t.column(l.column).name);
  EXPECT_EQ(looked_up, (std::set<std::string>{"year", "month"}));
  std::vector<double> coords;
  const double start = st.axis.coordinate(t.column("date").numeric(0)) + 2.4;  // off the grid
  ASSERT_EQ(st.rebuild(start, std::nan(""), {}, 5, std::nan(""), std::nan(""), coords), 5u);
  for (size_t k = 0; k < 5; ++k) {
    int64_t y;
    unsigned m, d;
    civil_from_days(static_cast<int64_t>(st.axis.value(coords[k])) / kNanosPerDay, y, m, d);
    EXPECT_EQ(d, 1u);
    EXPECT_EQ(m, 3u + static_cast<unsigned>(k));  // snapped to March 2010, then monthly
  }
}

TEST(SequenceTime, IrregularStampsIncreaseAndStayUnderTheBound) {
  const Table t = seq_test::visits(40);
  SequenceColumns s;
  s.key = "id";
  s.time = "day";
  const SequenceTable q = SequenceTable::build(t, s);
  const SequenceTime st = SequenceTime::fit(t, q);
  EXPECT_FALSE(st.spacing.regular);
  ASSERT_EQ(st.bounds.size(), 1u);
  std::vector<double> coords;
  // Ten steps drawn for a room of 1000 days: scaled into it, integers, strictly increasing.
  const std::vector<double> steps{300, 10, 500, 200, 200, 900, 50, 400, 100};
  st.rebuild(0, 5000, steps, 10, std::nan(""), 1000, coords);
  for (size_t k = 1; k < coords.size(); ++k) {
    EXPECT_GT(coords[k], coords[k - 1]);
    EXPECT_EQ(coords[k], std::round(coords[k]));
  }
  EXPECT_LE(coords.back(), 1000);
}
