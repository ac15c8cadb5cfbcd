// Small sequence tables shared by the sequence tests (test_sequence_*.cpp): a panel of patients
// with irregular visit days bounded by a follow-up time, and a monthly panel on a date grid.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "calm/calm.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/text.hpp"

namespace calm::seq_test {

// `entities` patients: id (1..), follow-up futime (>= every visit day), age, group (a/b), visit
// day (0, then irregular steps of 150-400 days, strictly increasing), a lab value x following an
// AR(1) with a per-patient level, a category stage that rarely changes, x missing now and then.
inline Table visits(size_t entities, uint64_t seed = 1) {
  Rng rng(seed, 0);
  std::vector<int64_t> id, futime, day;
  std::vector<double> age, x;
  std::vector<int32_t> group, stage;
  for (size_t e = 0; e < entities; ++e) {
    const size_t len = 2 + rng.below(8);
    const double level = rng.normal();
    const double a = std::round((40 + 15 * rng.uniform()) * 10) / 10;
    const int32_t g = rng.uniform() < 0.4 ? 1 : 0;
    int64_t d = 0;
    std::vector<int64_t> days;
    for (size_t k = 0; k < len; ++k) {
      days.push_back(d);
      d += 150 + static_cast<int64_t>(rng.below(250));
    }
    const int64_t fu = days.back() + static_cast<int64_t>(rng.below(200));
    double v = level;
    int32_t s = static_cast<int32_t>(rng.below(3));
    for (size_t k = 0; k < len; ++k) {
      id.push_back(static_cast<int64_t>(e + 1));
      futime.push_back(fu);
      day.push_back(days[k]);
      age.push_back(a);
      group.push_back(g);
      v = 0.8 * v + 0.2 * level + 0.3 * rng.normal();
      x.push_back(rng.uniform() < 0.05 ? std::nan("") : std::round((5 + v) * 100) / 100);
      if (rng.uniform() < 0.1) s = std::min<int32_t>(2, s + 1);
      stage.push_back(s);
    }
  }
  Column c_x = Column::float64("x", x);
  c_x.format.decimals = 2;
  Column c_age = Column::float64("age", age);
  c_age.format.decimals = 1;
  return Table({Column::int64("id", id), Column::int64("futime", futime), c_age,
                Column::categorical("group", group, {"a", "b"}), Column::int64("day", day), c_x,
                Column::categorical("stage", stage, {"I", "II", "III"})});
}

// `cities` monthly series from January 2010, `months` each: city name, the month's first day
// (date-only datetime), year and month (functions of the date), sales (trend + noise).
inline Table monthly(size_t cities, size_t months, uint64_t seed = 1) {
  Rng rng(seed, 0);
  std::vector<int32_t> city;
  std::vector<std::string> names;
  std::vector<int64_t> when, year, month;
  std::vector<double> sales;
  for (size_t c = 0; c < cities; ++c) {
    names.push_back("Town " + std::string(1, static_cast<char>('A' + c % 26)) + std::to_string(c));
    const double base = 100 + 50 * rng.uniform();
    for (size_t m = 0; m < months; ++m) {
      const int64_t y = 2010 + static_cast<int64_t>(m / 12), mo = static_cast<int64_t>(m % 12) + 1;
      city.push_back(static_cast<int32_t>(c));
      when.push_back(days_from_civil(y, static_cast<unsigned>(mo), 1) * kNanosPerDay);
      year.push_back(y);
      month.push_back(mo);
      sales.push_back(std::round(base + 2.0 * static_cast<double>(m) + 10 * rng.normal()));
    }
  }
  Column c_when = Column::datetime("date", when);
  c_when.format.date_only = true;
  return Table({Column::categorical("city", city, names), c_when, Column::int64("year", year),
                Column::int64("month", month), Column::float64("sales", sales)});
}

inline GeneratorSettings quiet(uint64_t seed, int threads = 1) {
  GeneratorSettings s;
  s.random_state = seed;
  s.auto_report = false;
  s.threads = threads;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  return s;
}

inline GenerateOptions copula_temporal(int64_t n, const std::string& key, const std::string& time) {
  GenerateOptions o;
  o.n_samples = n;
  o.method = "copula_temporal";
  o.model_params = Json{{"sequence_key", key}, {"time_col", time}};
  return o;
}

// Every cell, type and format: equal bytes mean equal tables.
inline std::string table_bytes(const Table& t) {
  ArchiveWriter w;
  w.table(t);
  return w.take();
}

}  // namespace calm::seq_test
