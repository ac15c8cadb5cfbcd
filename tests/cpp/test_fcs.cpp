// The FCS synthesizers `cart` and `rf`: marginals, a strong dependency, missing-value rates,
// determinism across thread counts, requested shares, ids, smoothing and parameter checks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "calm/api/methods.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"

using namespace calm;

namespace {

// "L12": built with snprintf because GCC 12 warns falsely (-Wrestrict) on "L" + std::to_string(k).
std::string label(const char* prefix, size_t k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%zu", prefix, k);
  return buf;
}

const char* kLevels[] = {"lo", "mid", "hi"};
int level_of(double x) {
  return x < -0.5 ? 0 : x < 0.7 ? 1 : 2;
}

// x ~ N(0,1); y = level of x (a deterministic X -> Y dependency); z count; b flag (30% true);
// d independent category with 10% missing; w = 2x + noise with 15% missing; key = unique id.
Table mixed_table(size_t n, uint64_t seed = 11) {
  Rng rng(seed, 0);
  std::vector<double> x(n), w(n);
  std::vector<int32_t> y(n), d(n);
  std::vector<int64_t> z(n), key(n);
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = rng.normal();
    y[i] = level_of(x[i]);
    z[i] = static_cast<int64_t>(std::floor(std::exp(1.5 + 0.5 * rng.normal())));
    b[i] = rng.uniform() < 0.3;
    d[i] = rng.uniform() < 0.1 ? -1 : static_cast<int32_t>(rng.below(4));
    w[i] = rng.uniform() < 0.15 ? std::nan("") : 2 * x[i] + 0.3 * rng.normal();
    key[i] = static_cast<int64_t>(1000 + 7 * i);
  }
  return Table({Column::float64("x", x), Column::categorical("y", y, {"lo", "mid", "hi"}),
                Column::int64("z", z), Column::boolean("b", b),
                Column::categorical("d", d, {"p", "q", "r", "s"}), Column::float64("w", w),
                Column::int64("key", key)});
}

struct Fitted {
  Schema schema;
  std::unique_ptr<Synthesizer> model;
};

Fitted fit(const std::string& method, const Table& t, const Json& params = Json::object(),
           int threads = 1, std::optional<std::string> target = std::nullopt) {
  static Logger quiet(LogLevel::quiet, [](LogLevel, const std::string&) {});
  SchemaOptions so;
  if (t.has("key")) so.overrides["key"] = SemanticType::id;
  if (t.has("many")) so.overrides["many"] = SemanticType::categorical;
  Fitted f{infer_schema(t, so), nullptr};
  const MethodInfo& info = method_registry().get(method);
  f.model = info.create();
  FitContext ctx{f.schema, target, info.params.resolve(params, method), 5, threads, quiet};
  f.model->fit(t, ctx);
  return f;
}

Table sample(const Fitted& f, size_t n, int threads = 1, const ColumnShares* shares = nullptr,
             uint64_t seed = 3) {
  static Logger quiet(LogLevel::quiet, [](LogLevel, const std::string&) {});
  SampleContext ctx{seed, threads, quiet, shares};
  return f.model->sample(n, ctx);
}

double mean(const Column& c) {
  double s = 0;
  size_t k = 0;
  for (size_t i = 0; i < c.size(); ++i)
    if (!c.is_missing(i)) s += c.numeric(i), ++k;
  return s / static_cast<double>(k);
}
double sd(const Column& c) {
  const double m = mean(c);
  double s = 0;
  size_t k = 0;
  for (size_t i = 0; i < c.size(); ++i)
    if (!c.is_missing(i)) s += (c.numeric(i) - m) * (c.numeric(i) - m), ++k;
  return std::sqrt(s / static_cast<double>(k));
}
double share(const Column& c, double value) {
  size_t k = 0;
  for (size_t i = 0; i < c.size(); ++i) k += !c.is_missing(i) && c.numeric(i) == value;
  return static_cast<double>(k) / static_cast<double>(c.size());
}
double missing_rate(const Column& c) {
  return static_cast<double>(c.missing_count()) / static_cast<double>(c.size());
}
double correlation(const Column& a, const Column& b) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, k = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.is_missing(i) || b.is_missing(i)) continue;
    const double x = a.numeric(i), y = b.numeric(i);
    sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y, ++k;
  }
  const double cov = sab / k - sa / k * sb / k;
  return cov / std::sqrt((saa / k - sa * sa / k / k) * (sbb / k - sb * sb / k / k));
}
// Share of rows whose y is the level of their x.
double dependency_kept(const Table& t) {
  const Column &x = t.column("x"), &y = t.column("y");
  size_t ok = 0;
  for (size_t i = 0; i < t.num_rows(); ++i) ok += y.codes[i] == level_of(x.f64[i]);
  return static_cast<double>(ok) / static_cast<double>(t.num_rows());
}

void expect_close_to_real(const Table& real, const Table& syn) {
  ASSERT_EQ(syn.column_names(), real.column_names());
  for (size_t c = 0; c < real.num_columns(); ++c) {
    EXPECT_EQ(syn.column(c).type, real.column(c).type) << real.column(c).name;
    EXPECT_EQ(syn.column(c).dict, real.column(c).dict) << real.column(c).name;
  }
  // Sampling noise of a share on ~4000 rows is ~0.008: 0.03 is about 4 sigma.
  EXPECT_NEAR(mean(syn.column("x")), mean(real.column("x")), 0.08);
  EXPECT_NEAR(sd(syn.column("x")), sd(real.column("x")), 0.08);
  EXPECT_NEAR(mean(syn.column("z")), mean(real.column("z")), 0.3);
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(share(syn.column("y"), k), share(real.column("y"), k), 0.03) << kLevels[k];
  EXPECT_NEAR(share(syn.column("b"), 1), share(real.column("b"), 1), 0.03);
  EXPECT_NEAR(missing_rate(syn.column("d")), missing_rate(real.column("d")), 0.03);
  EXPECT_NEAR(missing_rate(syn.column("w")), missing_rate(real.column("w")), 0.03);
  EXPECT_NEAR(correlation(syn.column("x"), syn.column("w")), 0.99, 0.05);
  EXPECT_GT(dependency_kept(syn), 0.95);
}

}  // namespace

TEST(Cart, KeepsMarginalsDependencyAndMissingRates) {
  const Table real = mixed_table(4000);
  auto f = fit("cart", real);
  const Table syn = sample(f, 4000);
  expect_close_to_real(real, syn);
  // Fresh keys for the id column.
  const Column& key = syn.column("key");
  for (size_t i = 0; i < key.size(); ++i) ASSERT_EQ(key.i64[i], static_cast<int64_t>(i + 1));
}

TEST(Cart, GibbsRoundsKeepTheDependency) {
  const Table real = mixed_table(3000);
  auto f = fit("cart", real, {{"cart_iterations", 2}});
  expect_close_to_real(real, sample(f, 4000));
}

TEST(Rf, KeepsMarginalsDependencyAndMissingRates) {
  const Table real = mixed_table(4000);
  auto f = fit("rf", real, {{"rf_n_estimators", 5}, {"max_features", nullptr}});
  expect_close_to_real(real, sample(f, 4000));
}

TEST(Cart, SameOutputForOneAndTwoThreads) {
  const Table real = mixed_table(2000);
  for (const char* method : {"cart", "rf"}) {
    auto f1 = fit(method, real, Json::object(), 1);
    auto f2 = fit(method, real, Json::object(), 2);
    // 9000 rows = three sampling chunks.
    const Table a = sample(f1, 9000, 1), b = sample(f2, 9000, 2),
                c = sample(f1, 9000, 1, nullptr, 4);
    bool differs_with_seed = false;
    for (size_t col = 0; col < real.num_columns(); ++col)
      for (size_t i = 0; i < a.num_rows(); ++i) {
        ASSERT_EQ(a.column(col).text(i), b.column(col).text(i)) << method << " col " << col;
        differs_with_seed |= a.column(col).text(i) != c.column(col).text(i);
      }
    EXPECT_TRUE(differs_with_seed);
  }
}

// Donors are dealt without replacement within a leaf (balanced_draws.hpp). The first column is
// drawn from a single leaf holding every row, so 3x the real rows use each real value exactly 3
// times; a conditional column's leaves are dealt likewise, so with as many rows as the real table
// most real values are used (independent draws with replacement would use 1 - 1/e = 63%).
TEST(Cart, BalancedDrawsDealEveryDonorOfALeafBeforeRepeating) {
  const Table real = mixed_table(1500);
  auto f = fit("cart", real);
  const Table syn = sample(f, 4500);
  std::map<double, int> used;
  for (size_t i = 0; i < syn.num_rows(); ++i) ++used[syn.column("x").f64[i]];
  std::map<double, int> expected;
  for (size_t i = 0; i < real.num_rows(); ++i) expected[real.column("x").f64[i]] += 3;
  EXPECT_EQ(used, expected);

  const Table same_size = sample(f, real.num_rows());
  std::set<double> real_w, drawn_w;
  for (size_t i = 0; i < real.num_rows(); ++i)
    if (!real.column("w").is_missing(i)) real_w.insert(real.column("w").f64[i]);
  for (size_t i = 0; i < same_size.num_rows(); ++i)
    if (!same_size.column("w").is_missing(i)) drawn_w.insert(same_size.column("w").f64[i]);
  EXPECT_GT(static_cast<double>(drawn_w.size()) / static_cast<double>(real_w.size()), 0.8);
}

TEST(Cart, MeetsRequestedSharesWithClassConditionalRows) {
  const Table real = mixed_table(4000);
  auto f = fit("cart", real, Json::object(), 1, "y");
  ASSERT_TRUE(f.model->can_condition());
  ColumnShares shares{"y", {0, 1, 2}, {0.2, 0.2, 0.6}};
  const Table syn = sample(f, 5000, 1, &shares);
  EXPECT_NEAR(share(syn.column("y"), 0), 0.2, 0.025);
  EXPECT_NEAR(share(syn.column("y"), 2), 0.6, 0.025);
  // Other columns follow the conditioned one: x stays consistent with its level.
  EXPECT_GT(dependency_kept(syn), 0.95);
  // A shares request on a column the model fitted last works as well (conditional sequence).
  ColumnShares flag{"b", {0, 1}, {0.5, 0.5}};
  const Table one = sample(f, 4000, 1, &flag);
  EXPECT_NEAR(share(one.column("b"), 1), 0.5, 0.03);
  // The conditional sequence is fitted on first use from the fit seed: same rows for 2 threads.
  auto g = fit("cart", real, Json::object(), 2, "y");
  const Table two = sample(g, 4000, 2, &flag);
  for (size_t i = 0; i < one.num_rows(); ++i)
    ASSERT_EQ(one.column("x").f64[i], two.column("x").f64[i]);
}

TEST(Cart, DensitySmoothingBlursNumericDonors) {
  const Table real = mixed_table(3000);
  auto f = fit("cart", real, {{"smoothing", "density"}});
  const Table syn = sample(f, 3000);
  std::set<double> seen(real.column("x").f64.begin(), real.column("x").f64.end());
  size_t copied = 0;
  for (double v : syn.column("x").f64) copied += seen.count(v);
  EXPECT_LT(copied, 300u);  // most values are new
  EXPECT_NEAR(mean(syn.column("x")), mean(real.column("x")), 0.08);
  EXPECT_NEAR(sd(syn.column("x")), sd(real.column("x")), 0.1);
  // Integer columns stay whole numbers; categorical columns are untouched by smoothing.
  EXPECT_EQ(syn.column("z").type, StorageType::int64);
  EXPECT_GT(dependency_kept(syn), 0.9);
}

TEST(Cart, VisitSequenceIsValidatedAndUsed) {
  const Table real = mixed_table(1000);
  EXPECT_THROW(fit("cart", real, {{"visit_sequence", Json::array({"x", "nope"})}}),
               InvalidArgument);
  EXPECT_THROW(fit("cart", real, {{"visit_sequence", Json::array({"key"})}}), InvalidArgument);
  EXPECT_THROW(fit("cart", real, {{"max_features", "most"}}), InvalidArgument);
  EXPECT_THROW(fit("cart", real, {{"min_samples_leaf", 0}}), InvalidArgument);
  auto f = fit("cart", real, {{"visit_sequence", Json::array({"y", "w"})}});
  EXPECT_GT(dependency_kept(sample(f, 2000)), 0.95);
}

TEST(Cart, ManyLevelCategoricalsAreDrawnFromTheirDonors) {
  // 300 levels: more than one bin per level (255) and more than the 64 criterion classes.
  const size_t n = 6000;
  Rng rng(21, 0);
  std::vector<int32_t> many(n), parity(n);
  std::vector<std::string> dict;
  for (int k = 0; k < 300; ++k) dict.push_back(label("L", k));
  for (size_t i = 0; i < n; ++i) {
    many[i] = static_cast<int32_t>(std::min<uint64_t>(rng.below(300), rng.below(300)));
    parity[i] = many[i] % 2;
  }
  const Table real({Column::categorical("many", many, dict),
                    Column::categorical("parity", parity, {"even", "odd"})});
  auto f = fit("cart", real);
  const Table syn = sample(f, n);
  EXPECT_EQ(syn.column("many").dict, dict);
  // Total variation distance of the 300-level marginal; a bootstrap of 6000 rows gives ~0.08.
  std::vector<double> pr(300, 0), ps(300, 0);
  for (size_t i = 0; i < n; ++i) pr[many[i]] += 1.0 / n, ps[syn.column("many").codes[i]] += 1.0 / n;
  double tv = 0;
  for (int k = 0; k < 300; ++k) tv += std::abs(pr[k] - ps[k]) / 2;
  EXPECT_LT(tv, 0.12);
  // parity is a function of the 300-level column; trees on 255 bins keep it for almost all rows.
  size_t ok = 0;
  for (size_t i = 0; i < n; ++i)
    ok += syn.column("parity").codes[i] == syn.column("many").codes[i] % 2;
  EXPECT_GT(static_cast<double>(ok) / n, 0.9);
}

// Persistence: a loaded model samples exactly what the saved one does (plain, Gibbs rounds,
// smoothing, and a conditional sequence fitted lazily after load), and corrupt payloads fail.
TEST(Cart, SaveLoadRoundTripGivesIdenticalSamples) {
  const Table real = mixed_table(1500);
  const std::vector<std::pair<std::string, Json>> cases = {
      {"cart", Json::object()},
      {"cart", {{"iterations", 2}, {"smoothing", "density"}}},
      {"rf", {{"n_estimators", 3}}}};
  for (const auto& [method, params] : cases) {
    auto f = fit(method, real, params, 1, "y");
    ArchiveWriter w;
    f.model->save(w);
    const std::string bytes = w.take();
    auto loaded = method_registry().get(method).create();
    ArchiveReader r(bytes, "mem");
    loaded->load(r);
    EXPECT_TRUE(r.at_end());
    Fitted g{f.schema, std::move(loaded)};
    ColumnShares flag{"b", {0, 1}, {0.5, 0.5}};
    for (const ColumnShares* shares : std::vector<const ColumnShares*>{nullptr, &flag}) {
      const Table a = sample(f, 3000, 2, shares), b = sample(g, 3000, 1, shares);
      ASSERT_EQ(a.column_names(), b.column_names());
      for (size_t c = 0; c < a.num_columns(); ++c) {
        EXPECT_EQ(a.column(c).type, b.column(c).type);
        for (size_t i = 0; i < a.num_rows(); ++i)
          ASSERT_EQ(a.column(c).text(i), b.column(c).text(i)) << method << " col " << c;
      }
    }
    // Truncated payload and a payload of the other method: DataError, never a crash.
    ArchiveReader cut(std::string_view(bytes).substr(0, bytes.size() / 2), "cut");
    EXPECT_THROW(method_registry().get(method).create()->load(cut), DataError);
    ArchiveReader other(bytes, "other");
    EXPECT_THROW(method_registry().get(method == "rf" ? "cart" : "rf").create()->load(other),
                 DataError);
  }
  EXPECT_THROW(method_registry().get("cart").create()->save(*std::make_unique<ArchiveWriter>()),
               InvalidArgument);
}

// Degenerate inputs each have one defined outcome for cart and rf (the api refuses all-missing
// columns, 1-row tables and infinite CSV cells earlier; the methods still behave on their own).
TEST(Cart, DegenerateInputsHaveClearOutcomes) {
  const size_t n = 40;
  Rng rng(5, 0);
  std::vector<double> x(n), x_nan(n), nan_col(n, std::nan("")), five(n, 5.0);
  std::vector<int32_t> t(n), one_class(n, 0), none(n, -1), unique(n);
  std::vector<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    x[i] = rng.normal();
    x_nan[i] = i % 3 == 0 ? std::nan("") : x[i];
    t[i] = static_cast<int32_t>(rng.below(2));
    unique[i] = static_cast<int32_t>(i);
    names.push_back(label("u", i));
  }
  const Table real({Column::float64("x", x_nan), Column::categorical("t", t, {"p", "q"}),
                    Column::float64("five", five), Column::categorical("k", one_class, {"k"}),
                    Column::float64("gone", nan_col), Column::categorical("none", none, {"z"}),
                    Column::categorical("many", unique, names),
                    Column::categorical("solo", one_class, {"only"})});
  for (const char* method : {"cart", "rf"}) {
    SCOPED_TRACE(method);
    // Single-valued and all-missing columns are reproduced as such; more levels than rows keep
    // real levels; a one-class target is that class; missing numbers keep a missing share.
    auto f = fit(method, real, Json::object(), 1, "solo");
    const Table syn = sample(f, 300);
    size_t x_missing = 0;
    for (size_t i = 0; i < syn.num_rows(); ++i) {
      ASSERT_EQ(syn.column("five").f64[i], 5.0);
      ASSERT_EQ(syn.column("k").text(i), "k");
      ASSERT_TRUE(syn.column("gone").is_missing(i));
      ASSERT_TRUE(syn.column("none").is_missing(i));
      ASSERT_EQ(syn.column("solo").text(i), "only");
      ASSERT_LT(syn.column("many").codes[i], static_cast<int32_t>(n));
      x_missing += syn.column("x").is_missing(i);
    }
    EXPECT_EQ(syn.column("many").dict, names);
    EXPECT_NEAR(static_cast<double>(x_missing) / 300, 14.0 / 40, 0.12);
    // One row: every synthetic row is that row.
    const Table one = real.take_rows({7});
    const Table syn1 = sample(fit(method, one), 20);
    for (size_t i = 0; i < 20; ++i)
      for (size_t c = 0; c < one.num_columns(); ++c)
        ASSERT_EQ(syn1.column(c).text(i), one.column(c).text(0));
    // An infinite number is refused with the column named.
    std::vector<double> with_inf = x;
    with_inf[3] = std::numeric_limits<double>::infinity();
    const Table bad({Column::float64("x", with_inf), Column::categorical("t", t, {"p", "q"})});
    try {
      fit(method, bad);
      FAIL() << "no error for inf";
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find("'x' row 3"), std::string::npos) << e.what();
    }
  }
}

namespace {

// Share of the synthetic rows equal (as text, every column) to a real row that occurs once.
double unique_copy_share(const Table& real, const Table& syn) {
  auto key = [](const Table& t, size_t i) {
    std::string k;
    for (size_t c = 0; c < t.num_columns(); ++c) k += t.column(c).text(i) + '\x1f';
    return k;
  };
  std::map<std::string, int> count;
  for (size_t i = 0; i < real.num_rows(); ++i) ++count[key(real, i)];
  size_t copies = 0;
  for (size_t i = 0; i < syn.num_rows(); ++i) {
    const auto it = count.find(key(syn, i));
    copies += it != count.end() && it->second == 1;
  }
  return static_cast<double>(copies) / static_cast<double>(syn.num_rows());
}

}  // namespace

// A table that donor trees memorise (a 300-level shop fixes its region; few rows per shop):
// without the guard a large share of the synthetic rows reproduce unique real rows; with it
// (the default) at most 2%, while the shop marginal and the shop -> region function hold.
TEST(Cart, RowsCopyingAUniqueRealRowAreRedrawn) {
  const size_t n = 3000;
  Rng rng(8, 0);
  std::vector<int32_t> shop(n), region(n), channel(n);
  std::vector<double> amount(n);
  std::vector<std::string> shops;
  for (int k = 0; k < 300; ++k) shops.push_back(label("S", k));
  for (size_t i = 0; i < n; ++i) {
    shop[i] = static_cast<int32_t>(std::min<uint64_t>(rng.below(300), rng.below(300)));
    region[i] = shop[i] % 5;
    channel[i] = static_cast<int32_t>(rng.below(3));
    amount[i] = std::round(100 * std::exp(3 + 0.1 * region[i] + 0.5 * rng.normal())) / 100;
  }
  const Table real({Column::categorical("shop", shop, shops),
                    Column::categorical("region", region, {"n", "s", "e", "w", "c"}),
                    Column::float64("amount", amount),
                    Column::categorical("channel", channel, {"web", "store", "phone"})});
  const Table kept = sample(fit("cart", real, {{"redraw_copies", false}}), n);
  const Table guarded = sample(fit("cart", real), n);
  EXPECT_GT(unique_copy_share(real, kept), 0.10) << "the table must be one that cart memorises";
  EXPECT_LE(unique_copy_share(real, guarded), 0.02);
  // The redrawn rows keep the joint: shop marginal within a bootstrap's TVD, region = f(shop).
  std::vector<double> pr(300, 0), ps(300, 0);
  size_t consistent = 0;
  for (size_t i = 0; i < n; ++i) {
    pr[shop[i]] += 1.0 / n;
    ps[guarded.column("shop").codes[i]] += 1.0 / n;
    consistent += guarded.column("region").codes[i] == guarded.column("shop").codes[i] % 5;
  }
  double tv = 0;
  for (int k = 0; k < 300; ++k) tv += std::abs(pr[k] - ps[k]) / 2;
  EXPECT_LT(tv, 0.12);
  EXPECT_GT(static_cast<double>(consistent) / n, 0.95);
  // Deterministic like every other draw.
  const Table again = sample(fit("cart", real), n);
  for (size_t c = 0; c < guarded.num_columns(); ++c)
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(guarded.column(c).text(i), again.column(c).text(i));
}

// A panel (city x year x month) where whole city-years have every measure missing: such rows are
// unique by their keys alone, so cart copies them; breaking the copy needs the year redrawn (a
// deep suffix of the visit order), and the redrawn row must stay all-missing rather than be
// given measures (the missing share would fall).
TEST(Cart, RedrawnCopiesKeepTheirMissingValues) {
  Rng rng(21, 0);
  std::vector<int32_t> city;
  std::vector<int64_t> year, month;
  std::vector<double> sales, listings;
  std::vector<std::string> cities;
  for (int c = 0; c < 30; ++c) cities.push_back(label("C", c));
  for (int c = 0; c < 30; ++c)
    for (int y = 0; y < 10; ++y) {
      const bool blank = rng.uniform() < 0.12 + 0.2 * (y < 3);
      for (int m = 1; m <= 12; ++m) {
        city.push_back(c);
        year.push_back(2000 + y);
        month.push_back(m);
        const double na = std::nan("");
        sales.push_back(blank ? na : std::round(50 + 3 * c + 2 * y + 10 * rng.normal()));
        listings.push_back(blank ? na : std::round(400 + 5 * c - 4 * y + 30 * rng.normal()));
      }
    }
  const size_t n = city.size();
  const Table real({Column::categorical("city", city, cities), Column::int64("year", year),
                    Column::int64("month", month), Column::float64("sales", sales),
                    Column::float64("listings", listings)});
  auto blank_share = [](const Table& t) {
    size_t k = 0;
    for (size_t i = 0; i < t.num_rows(); ++i)
      k += t.column("sales").is_missing(i) && t.column("listings").is_missing(i);
    return static_cast<double>(k) / static_cast<double>(t.num_rows());
  };
  const Table kept = sample(fit("cart", real, {{"redraw_copies", false}}), n);
  const Table guarded = sample(fit("cart", real), n);
  ASSERT_GT(unique_copy_share(real, kept), 0.08) << "the table must be one that cart copies";
  EXPECT_LE(unique_copy_share(real, guarded), 0.02);
  EXPECT_NEAR(blank_share(guarded), blank_share(real), 0.02);
}
