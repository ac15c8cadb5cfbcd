// Core machinery: RNG streams, params, registry, text conversions, table derivations.
#include <gtest/gtest.h>

#include "calm/api/methods.hpp"
#include "calm/core/error.hpp"
#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/text.hpp"

using namespace calm;

TEST(Rng, SameSeedAndStreamGiveSameNumbers) {
  Rng a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    EXPECT_NE(x, c.next_u64());
    EXPECT_NE(x, d.next_u64());
  }
}

TEST(Rng, UniformAndNormalMoments) {
  Rng r(1, 0);
  double s = 0, s2 = 0, n = 200000;
  for (int i = 0; i < n; ++i) {
    double z = r.normal();
    s += z;
    s2 += z * z;
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.01);
  double su = 0;
  for (int i = 0; i < n; ++i) su += r.uniform();
  EXPECT_NEAR(su / n, 0.5, 0.005);
}

TEST(Rng, BelowIsInRangeAndCoversAll) {
  Rng r(3, 0);
  std::vector<int> hits(7, 0);
  for (int i = 0; i < 7000; ++i) {
    auto v = r.below(7);
    ASSERT_LT(v, 7u);
    hits[v]++;
  }
  for (int h : hits) EXPECT_NEAR(h, 1000, 150);
}

TEST(Params, AliasesDefaultsAndCoercion) {
  ParamSpec spec{{.name = "epochs",
                  .type = ParamType::integer,
                  .default_value = 300,
                  .doc = "training epochs",
                  .aliases = {"sdv_epochs"},
                  .min = 1.0}};
  auto p = spec.resolve(Json{{"sdv_epochs", "12"}}, "ctgan");
  EXPECT_EQ(p.get_int("epochs"), 12);
  EXPECT_EQ(spec.resolve(nullptr, "ctgan").get_int("epochs"), 300);
}

TEST(Params, UnknownAndOutOfRangeNameTheValidOnes) {
  ParamSpec spec{{.name = "epochs",
                  .type = ParamType::integer,
                  .default_value = 300,
                  .doc = "training epochs",
                  .aliases = {"sdv_epochs"},
                  .min = 1.0}};
  try {
    spec.resolve(Json{{"epoch", 3}}, "ctgan");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("epochs"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("sdv_epochs"), std::string::npos);
  }
  EXPECT_THROW(spec.resolve(Json{{"epochs", 0}}, "ctgan"), InvalidArgument);
  EXPECT_THROW(spec.resolve(Json{{"epochs", "many"}}, "ctgan"), InvalidArgument);
  EXPECT_THROW(spec.resolve(Json{{"epochs", 1}, {"sdv_epochs", 2}}, "ctgan"), InvalidArgument);
}

TEST(Params, OneOfTriesEachFormAndNamesThemAll) {
  const ParamSpec spec{{.name = "max_features",
                        .type = ParamType::one_of,
                        .default_value = nullptr,
                        .nullable = true,
                        .alternatives = {{.type = ParamType::choice, .choices = {"all", "sqrt"}},
                                         {.type = ParamType::integer, .min = 1},
                                         {.type = ParamType::number,
                                          .min = 0,
                                          .max = 1,
                                          .min_exclusive = true,
                                          .max_exclusive = true}}}};
  auto value = [&](const Json& v) {
    return spec.resolve(Json{{"max_features", v}}, "m").raw("max_features");
  };
  EXPECT_EQ(value("sqrt"), "sqrt");
  EXPECT_EQ(value("3"), 3);  // CLI text is parsed, then matched
  EXPECT_TRUE(value(4.0).is_number_integer());
  EXPECT_DOUBLE_EQ(value(0.5).get<double>(), 0.5);
  EXPECT_TRUE(value(nullptr).is_null());
  EXPECT_EQ(spec.defs()[0].accepts(),
            R"("all", "sqrt", int in [1, inf) or float in (0, 1), or None)");
  for (const Json& bad : {Json("most"), Json(0), Json(1.5), Json(-2), Json::array({1})}) {
    try {
      value(bad);
      ADD_FAILURE() << bad.dump() << " was accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("\"sqrt\", int in [1, inf) or float in (0, 1)"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(Params, StringListTakesNamesOnly) {
  const ParamSpec spec{{.name = "visit_sequence",
                        .type = ParamType::string_list,
                        .default_value = nullptr,
                        .nullable = true}};
  EXPECT_EQ(spec.resolve(Json{{"visit_sequence", Json::array({"b", "a"})}}, "m")
                .get_string_list("visit_sequence"),
            (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(spec.resolve(Json{{"visit_sequence", "b"}}, "m").get_string_list("visit_sequence"),
            (std::vector<std::string>{"b"}));
  EXPECT_TRUE(spec.resolve(Json::object(), "m").get_string_list("visit_sequence").empty());
  EXPECT_THROW(spec.resolve(Json{{"visit_sequence", Json::array({"a", 2})}}, "m"), InvalidArgument);
  EXPECT_THROW(spec.resolve(Json{{"visit_sequence", 7}}, "m"), InvalidArgument);
}

TEST(Rng, SeedOrDrawKeepsAGivenSeedAndLogsADrawnOne) {
  std::vector<std::string> lines;
  const Logger log(LogLevel::info, [&](LogLevel, const std::string& m) { lines.push_back(m); });
  EXPECT_EQ(seed_or_draw(uint64_t{7}, &log), 7u);
  EXPECT_TRUE(lines.empty());
  const uint64_t drawn = seed_or_draw(std::nullopt, &log);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(std::to_string(drawn)), std::string::npos);
}

TEST(Registry, OneJsonFormWithEveryFieldOfEveryParam) {
  const Json methods = method_registry().to_json();
  ASSERT_EQ(methods.size(), method_registry().all().size());
  for (const Json& m : methods) {
    for (const char* key : {"name", "family", "summary", "reference", "available", "needs_target"})
      EXPECT_TRUE(m.contains(key)) << key;
    for (const Json& p : m["params"]) {
      for (const char* key : {"name", "type", "default", "doc", "aliases", "choices", "min", "max",
                              "nullable", "accepts", "alternatives"})
        EXPECT_TRUE(p.contains(key)) << m["name"] << "." << p["name"] << " lacks " << key;
      EXPECT_NE(p["type"], "any") << m["name"] << "." << p["name"] << " is validated by hand";
    }
  }
}

TEST(Registry, UnknownMethodListsValidOnesAndPlannedSaysNotAvailable) {
  const auto& r = method_registry();
  try {
    r.get("nope");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("resample"), std::string::npos);
  }
  EXPECT_NO_THROW(r.get("resample"));
  // A declared method that this build lacks (as the deep family is without libtorch).
  Registry planned;
  MethodInfo m;
  m.name = "someday";
  m.family = "statistical";
  m.available = false;
  planned.add(m);
  EXPECT_THROW(planned.get("someday"), NotAvailable);
  for (const MethodInfo& info : r.all()) {
    if (!info.available) {
      EXPECT_THROW(r.get(info.name), NotAvailable) << info.name;
    }
  }
}

TEST(Text, ShortestRoundTripDoubles) {
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(326), "326");
  EXPECT_EQ(format_double(-0.0), "0");
  for (double v : {1.0 / 3, 2.5e-300, 123456.789, -7.25}) {
    EXPECT_EQ(std::stod(format_double(v)), v);
  }
}

TEST(Text, IsoDatesRoundTrip) {
  bool date_only = false;
  auto d = parse_datetime("2024-02-29", &date_only);
  ASSERT_TRUE(d);
  EXPECT_TRUE(date_only);
  EXPECT_EQ(format_datetime(*d, true), "2024-02-29");
  EXPECT_FALSE(parse_datetime("2023-02-29"));
  EXPECT_FALSE(parse_datetime("2024-13-01"));
  auto t = parse_datetime("1969-12-31T23:59:59.5", &date_only);
  ASSERT_TRUE(t);
  EXPECT_FALSE(date_only);
  EXPECT_EQ(format_datetime(*t, false), "1969-12-31 23:59:59.5");
}

TEST(Schema, InferenceRules) {
  std::vector<int64_t> flags, counts;
  std::vector<int32_t> ids, cats;
  std::vector<std::string> id_dict, cat_dict = {"a", "b"};
  for (int i = 0; i < 30; ++i) {
    flags.push_back(i % 2);
    counts.push_back(i * 7);
    ids.push_back(i);
    id_dict.push_back("k" + std::to_string(i));
    cats.push_back(i % 2);
  }
  Table t({Column::int64("flag", flags), Column::int64("count", counts),
           Column::categorical("key", ids, id_dict), Column::categorical("cat", cats, cat_dict),
           Column::boolean("b", std::vector<uint8_t>(30, 1))});
  Schema s = infer_schema(t);
  EXPECT_EQ(s["flag"].semantic, SemanticType::categorical);
  EXPECT_EQ(s["count"].semantic, SemanticType::numerical);
  EXPECT_TRUE(s["count"].integer);
  EXPECT_EQ(s["key"].semantic, SemanticType::id);
  EXPECT_EQ(s["cat"].semantic, SemanticType::categorical);
  EXPECT_EQ(s["b"].semantic, SemanticType::boolean);
  SchemaOptions o;
  o.overrides["flag"] = SemanticType::numerical;
  EXPECT_EQ(infer_schema(t, o)["flag"].semantic, SemanticType::numerical);
  o.overrides["missing"] = SemanticType::numerical;
  EXPECT_THROW(infer_schema(t, o), InvalidArgument);
}
