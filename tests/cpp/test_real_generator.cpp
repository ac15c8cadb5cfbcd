// RealGenerator: argument validation, determinism, custom distributions, date injection and
// output shaping, on tables built in code.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "calm/calm.hpp"
#include "calm/post/conform.hpp"
#include "calm/post/dates.hpp"

using namespace calm;

namespace {

Table small_table(size_t n = 200) {
  std::vector<double> x(n);
  std::vector<int64_t> k(n);
  std::vector<int32_t> cls(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = 0.25 * static_cast<double>(i);
    k[i] = static_cast<int64_t>(i * 3);
    cls[i] = i % 10 == 0 ? 1 : 0;  // 10% minority
  }
  return Table({Column::float64("x", x), Column::int64("k", k),
                Column::categorical("cls", cls, {"common", "rare"})});
}

RealGenerator quiet_generator(std::optional<uint64_t> seed, int threads = 1) {
  GeneratorSettings s;
  s.random_state = seed;
  s.threads = threads;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  return RealGenerator(s);
}

GenerateOptions resample_options(int64_t n) {
  GenerateOptions o;
  o.n_samples = n;
  o.method = "resample";
  return o;
}

bool same_table(const Table& a, const Table& b) {
  if (a.num_rows() != b.num_rows() || a.num_columns() != b.num_columns()) return false;
  for (size_t c = 0; c < a.num_columns(); ++c)
    for (size_t i = 0; i < a.num_rows(); ++i)
      if (a.column(c).text(i) != b.column(c).text(i)) return false;
  return true;
}

template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(RealGenerator, ResampleIsDeterministicUnderRandomStateAndThreadCount) {
  Table t = small_table();
  auto a = quiet_generator(7, 1).generate(t, resample_options(10000));
  auto b = quiet_generator(7, 2).generate(t, resample_options(10000));
  auto c = quiet_generator(8, 1).generate(t, resample_options(10000));
  EXPECT_EQ(a.num_rows(), 10000u);
  EXPECT_TRUE(same_table(a, b));
  EXPECT_FALSE(same_table(a, c));
}

TEST(RealGenerator, CustomDistributionMetByResample) {
  Table t = small_table();
  GenerateOptions o = resample_options(20000);
  o.custom_distributions = Json{{"cls", {{"common", 0.5}, {"rare", 0.5}}}};
  auto out = quiet_generator(1).generate(t, o);
  const Column& cls = out.column("cls");
  double rare = 0;
  for (size_t i = 0; i < out.num_rows(); ++i) rare += cls.dict[cls.codes[i]] == "rare";
  EXPECT_NEAR(rare / 20000.0, 0.5, 0.02);
  o.balance_target = true;
  o.custom_distributions = nullptr;
  o.target_col = "cls";
  out = quiet_generator(1).generate(t, o);
  rare = 0;
  for (size_t i = 0; i < out.num_rows(); ++i)
    rare += out.column("cls").dict[out.column("cls").codes[i]] == "rare";
  EXPECT_NEAR(rare / 20000.0, 0.5, 0.02);
}

TEST(RealGenerator, CustomDistributionErrorsNameTheProblem) {
  Table t = small_table();
  GenerateOptions o = resample_options(10);
  o.custom_distributions = Json{{"cls", {{"common", 0.5}, {"rare", 0.4}}}};
  EXPECT_NE(error_of([&] { quiet_generator(1).generate(t, o); }).find("sum to 0.9"),
            std::string::npos);
  o.custom_distributions = Json{{"cls", {{"unknown", 1.0}}}};
  std::string msg = error_of([&] { quiet_generator(1).generate(t, o); });
  EXPECT_NE(msg.find("known values: common, rare"), std::string::npos) << msg;
  o.custom_distributions = Json{{"nope", "balanced"}};
  EXPECT_NE(error_of([&] { quiet_generator(1).generate(t, o); }).find("unknown column 'nope'"),
            std::string::npos);
}

TEST(RealGenerator, BadArgumentsAreRejectedWithClearMessages) {
  Table t = small_table();
  auto gen = quiet_generator(1);
  GenerateOptions o = resample_options(0);
  EXPECT_NE(error_of([&] { gen.generate(t, o); }).find("n_samples must be a positive"),
            std::string::npos);
  o = resample_options(5);
  o.method = "magic";
  EXPECT_NE(error_of([&] { gen.generate(t, o); }).find("valid methods:"), std::string::npos);
  o = resample_options(5);
  o.model_params = Json{{"epochs", 3}};
  EXPECT_NE(error_of([&] { gen.generate(t, o); }).find("unknown model_param 'epochs'"),
            std::string::npos);
  o = resample_options(5);
  o.target_col = "missing_col";
  EXPECT_NE(error_of([&] { gen.generate(t, o); }).find("columns are: x, k, cls"),
            std::string::npos);
  o = resample_options(5);
  o.save_dataset = true;
  EXPECT_NE(error_of([&] { gen.generate(t, o); }).find("needs output_dir"), std::string::npos);
  o = resample_options(5);
  o.constraints = Json::array({{{"col", "x"}, {"op", "~"}, {"val", 0}}});
  EXPECT_NE(error_of([&] { gen.generate(t, o); }).find("valid ops:"), std::string::npos);
  // A method this build declares but lacks (the deep family without libtorch) says so.
  for (const MethodInfo& m : method_registry().all()) {
    if (m.available) continue;
    o = resample_options(5);
    o.method = m.name;
    EXPECT_NE(error_of([&] { gen.generate(t, o); }).find("not available yet"), std::string::npos)
        << m.name;
  }
}

TEST(RealGenerator, DegenerateTablesAreRejected) {
  auto gen = quiet_generator(1);
  Table one({Column::float64("x", {1.0})});
  EXPECT_NE(error_of([&] { gen.generate(one, resample_options(5)); }).find("at least 2 rows"),
            std::string::npos);
  Table all_missing({Column::float64("x", {1.0, 2.0}), Column::float64("y", {NAN, NAN})});
  EXPECT_NE(error_of([&] {
              gen.generate(all_missing, resample_options(5));
            }).find("column 'y' has no values"),
            std::string::npos);
  Table empty({Column::float64("x", {})});
  EXPECT_THROW(gen.generate(empty, resample_options(5)), DataError);
}

TEST(RealGenerator, GenerateOptionsFromJsonRejectsUnknownKeys) {
  auto o = GenerateOptions::from_json(
      Json{{"n_samples", 5}, {"method", "resample"}, {"date_start", "2024-01-31"}});
  EXPECT_EQ(o.n_samples, 5);
  std::string msg = error_of([] { GenerateOptions::from_json(Json{{"n_sample", 5}}); });
  EXPECT_NE(msg.find("valid options:"), std::string::npos);
  EXPECT_NE(msg.find("n_samples"), std::string::npos);
}

// One declaration: its defaults are the struct's, and from_json(to_json()) gives the options back.
TEST(RealGenerator, GenerateOptionsDeclarationRoundTripsAndDefaultsAreTheStructs) {
  const Json defaults = GenerateOptions().to_json();
  for (const GenerateOptionInfo& o : GenerateOptions::declared_options()) {
    ASSERT_TRUE(defaults.contains(o.name)) << o.name;
    if (!o.required) {
      EXPECT_EQ(defaults[o.name], o.default_value) << o.name;
    }
    EXPECT_FALSE(o.doc.empty()) << o.name;
  }
  EXPECT_EQ(defaults.size(), GenerateOptions::declared_options().size());
  const Json config = {{"n_samples", 12},
                       {"method", "cart"},
                       {"target_col", "cls"},
                       {"output_dir", "/tmp/x"},
                       {"save_dataset", true},
                       {"custom_distributions", {{"cls", "balanced"}}},
                       {"date_start", "2024-01-01"},
                       {"date_step", {{"months", 1}}},
                       {"date_every", 3},
                       {"model_params", {{"iterations", 1}}},
                       {"adversarial_validation", true},
                       {"column_types", {{"k", "categorical"}}}};
  const GenerateOptions o = GenerateOptions::from_json(config);
  EXPECT_EQ(o.n_samples, 12);
  EXPECT_EQ(o.target_col, std::optional<std::string>("cls"));
  EXPECT_EQ(o.column_types.at("k"), "categorical");
  EXPECT_EQ(GenerateOptions::from_json(o.to_json()).to_json(), o.to_json());
  for (auto it = config.begin(); it != config.end(); ++it)
    EXPECT_EQ(o.to_json()[it.key()], it.value()) << it.key();
  EXPECT_THROW(GenerateOptions::from_json({{"date_every", "3"}}), InvalidArgument);
  EXPECT_THROW(GenerateOptions::from_json({{"target_col", 3}}), InvalidArgument);
  EXPECT_THROW(GenerateOptions::from_json({{"column_types", {{"k", 1}}}}), InvalidArgument);
}

TEST(DateInjection, CalendarAwareStepsAndEvery) {
  auto spec = parse_date_injection("when", "2024-01-31", Json{{"months", 1}}, 2);
  Table t = inject_dates(small_table(6), spec);
  ASSERT_EQ(t.column(0).name, "when");
  std::vector<std::string> expect = {"2024-01-31", "2024-01-31", "2024-02-29",
                                     "2024-02-29", "2024-03-31", "2024-03-31"};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(t.column(0).text(i), expect[i]);
  auto hourly = parse_date_injection("ts", "2024-06-01", Json{{"hours", 1}}, 1);
  Table h = inject_dates(small_table(3), hourly);
  EXPECT_EQ(h.column("ts").text(2), "2024-06-01 02:00:00");
  EXPECT_THROW(parse_date_injection("ts", "2024-06-01", Json{{"fortnights", 1}}, 1),
               InvalidArgument);
  EXPECT_THROW(parse_date_injection("ts", "June 1st", Json{{"days", 1}}, 1), InvalidArgument);
  EXPECT_THROW(parse_date_injection("ts", "2024-06-01", Json{{"days", 1}}, 0), InvalidArgument);
}

TEST(Conform, IntegersDecimalsAndObservedRange) {
  Column x = Column::float64("x", {1.25, 2.5});
  x.format.decimals = 2;
  Table real({x, Column::int64("k", {10, 20})});
  Schema s = infer_schema(real);
  Column sx = Column::float64("x", {0.123456, 9.87654});
  Table sampled({sx, Column::int64("k", {5, 25})});
  Table out = conform_to_schema(sampled, s);
  EXPECT_DOUBLE_EQ(out.column("x").f64[0], 1.25);  // clipped to min
  EXPECT_DOUBLE_EQ(out.column("x").f64[1], 2.5);   // clipped to max
  EXPECT_EQ(out.column("k").i64[0], 10);
  EXPECT_EQ(out.column("k").i64[1], 20);
  Table inside({Column::float64("x", {1.33333}), Column::int64("k", {15})});
  EXPECT_DOUBLE_EQ(conform_to_schema(inside, s).column("x").f64[0], 1.33);
}

TEST(RealGenerator, DynamicsRunAfterSamplingAndBadPostConfigsFailBeforeFitting) {
  Table t = small_table();  // x in [0, 49.75]
  GenerateOptions o = resample_options(1000);
  o.dynamics_config = Json{{"evolve_features", {{"x", {{"type", "linear"}, {"slope", 1.0}}}}}};
  Table out = quiet_generator(3).generate(t, o);
  ASSERT_EQ(out.num_rows(), 1000u);
  double first = 0, last = 0;
  for (size_t i = 0; i < 100; ++i) {
    first += out.column("x").f64[i];
    last += out.column("x").f64[900 + i];
  }
  // t = row position: the last 100 rows gained ~900 more than the first 100 (x spans 0..50).
  EXPECT_GT((last - first) / 100, 800);
  o.dynamics_config = Json{{"evolve_features", {{"nope", {{"type", "linear"}}}}}};
  EXPECT_THROW(quiet_generator(3).generate(t, o), InvalidArgument);
  o = resample_options(10);
  o.drift_injection_config = Json::array({{{"method", "no_such_drift"}}});
  EXPECT_THROW(quiet_generator(3).generate(t, o), InvalidArgument);
}
