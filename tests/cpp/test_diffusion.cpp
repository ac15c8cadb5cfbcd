// `diffusion` (TabDDPM, Kotelnikov et al. 2023; libtorch builds, skipped elsewhere): the quantile
// transform's round trip; marginals of a numeric and a categorical column on penguins; missing
// cells of a numeric column reproduced through the missing indicator; requested shares met
// exactly on the class-conditional model; determinism under the seed; parameter errors; the
// save/load round trip. Small networks and few epochs keep the file fast.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "calm/calm.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "models/deep/diffusion_quantile.hpp"

using namespace calm;

namespace {

const Logger& quiet() {
  static Logger log(LogLevel::quiet, nullptr);
  return log;
}

bool built() {
  const MethodInfo* m = method_registry().find("diffusion");
  return m && m->available;
}

// About 600 optimiser steps of a small network: enough for the marginals (diffusion models
// sample garbage tails when barely trained), a few seconds on one core.
const Json kSmall = {{"epochs", 100},
                     {"batch_size", 64},
                     {"diffusion_steps", 30},
                     {"mlp_dims", {128, 128}},
                     {"time_embedding_dim", 64}};

std::unique_ptr<Synthesizer> fit(const Table& data, const Json& params, uint64_t seed = 3,
                                 std::optional<std::string> target = std::nullopt) {
  const MethodInfo& m = method_registry().get("diffusion");
  const Schema schema = infer_schema(data);
  auto s = m.create();
  FitContext ctx{schema, std::move(target), m.params.resolve(params, "diffusion"), seed, 1,
                 quiet()};
  s->fit(data, ctx);
  return s;
}

Table draw(const Synthesizer& s, size_t n, uint64_t seed, const ColumnShares* shares = nullptr) {
  SampleContext ctx{seed, 1, quiet(), shares};
  return s.sample(n, ctx);
}

std::string bytes_of(const Table& t) {
  ArchiveWriter w;
  w.table(t);
  return w.take();
}

Table penguins() {
  const std::string path = std::string(CALM_DATASETS_DIR) + "/penguins.csv";
  if (!std::filesystem::exists(path)) return Table();
  return read_csv(path);
}

struct Moments {
  double mean = 0, sd = 0, missing = 0;
};

Moments moments(const Column& c) {
  double sum = 0, sq = 0, count = 0, missing = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    const double v = c.numeric(i);
    if (std::isnan(v)) {
      ++missing;
      continue;
    }
    sum += v;
    sq += v * v;
    ++count;
  }
  const double mean = sum / count;
  return {mean, std::sqrt(sq / count - mean * mean), missing / static_cast<double>(c.size())};
}

// Share of each label of a categorical column.
std::map<std::string, double> shares_of(const Column& c) {
  std::map<std::string, double> out;
  for (size_t i = 0; i < c.size(); ++i)
    out[c.codes[i] < 0 ? "<NA>" : c.dict[static_cast<size_t>(c.codes[i])]] +=
        1.0 / static_cast<double>(c.size());
  return out;
}

}  // namespace

TEST(DiffusionQuantile, RoundTripsAndIsMonotone) {
  std::vector<double> v;
  Rng rng(1, 0);
  for (int i = 0; i < 500; ++i) v.push_back(std::exp(rng.normal()));
  v.push_back(std::nan(""));
  QuantileNormal q;
  q.fit(v);
  double last = -1e9;
  for (double x = 0.05; x < 20; x *= 1.3) {
    const double z = q.to_score(x);
    EXPECT_GE(z, last);
    last = z;
    if (x > 0.3 && x < 5) {
      EXPECT_NEAR(q.from_score(z), x, 1e-9 * x) << x;
    }
  }
  // The median maps to score ~0, the ends to the clipped tails.
  std::vector<double> sorted(v.begin(), v.end() - 1);
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NEAR(q.to_score(sorted[250]), 0.0, 0.01);
  EXPECT_LT(q.to_score(-1.0), -5.0);
  EXPECT_NEAR(q.from_score(-8.0), sorted.front(), 1e-9);
  EXPECT_NEAR(q.from_score(8.0), sorted.back(), 1e-9);
}

TEST(Diffusion, PenguinMarginals) {
  if (!built()) GTEST_SKIP() << "libtorch not built";
  const Table real = penguins();
  if (real.num_rows() == 0) GTEST_SKIP() << "needs ../shared/datasets";
  // The defaults (300 optimiser steps on 344 rows, ~5 s): marginals need a trained model.
  const auto model = fit(real, Json::object());
  const Table synth = draw(*model, 2000, 7);
  ASSERT_EQ(synth.num_rows(), 2000u);
  ASSERT_EQ(synth.column_names(), real.column_names());
  for (size_t c = 0; c < real.num_columns(); ++c)
    EXPECT_EQ(synth.column(c).type, real.column(c).type) << real.column(c).name;
  // Numeric: mean within 0.25 sd, sd within 25%, missing share (2 of 344) within 2 points.
  for (const char* name : {"bill_length_mm", "body_mass_g"}) {
    const Moments r = moments(real.column(name)), s = moments(synth.column(name));
    EXPECT_NEAR(s.mean, r.mean, 0.25 * r.sd) << name;
    EXPECT_NEAR(s.sd, r.sd, 0.25 * r.sd) << name;
    EXPECT_NEAR(s.missing, r.missing, 0.02) << name;
  }
  // Categorical: every species' share within 8 points.
  const auto r = shares_of(real.column("species")), s = shares_of(synth.column("species"));
  for (const auto& [label, share] : r) {
    ASSERT_TRUE(s.count(label)) << label;
    EXPECT_NEAR(s.at(label), share, 0.08) << label;
  }
}

TEST(Diffusion, MissingNumericCellsThroughTheIndicator) {
  if (!built()) GTEST_SKIP() << "libtorch not built";
  const size_t n = 400;
  Rng rng(2, 0);
  std::vector<double> x(n);
  std::vector<int32_t> kind(n);
  for (size_t i = 0; i < n; ++i) {
    kind[i] = static_cast<int32_t>(i % 2);
    // 30% missing, only for kind 1 rows (60% of them).
    x[i] = (kind[i] == 1 && rng.uniform() < 0.6) ? std::nan("") : 10 + rng.normal();
  }
  const Table real({Column::float64("x", x), Column::categorical("kind", kind, {"a", "b"})});
  const auto model = fit(real, kSmall);
  const Table synth = draw(*model, 2000, 1);
  const Moments r = moments(real.column("x")), s = moments(synth.column("x"));
  EXPECT_NEAR(s.missing, r.missing, 0.06);
  EXPECT_NEAR(s.mean, r.mean, 0.3);
  // Missing cells follow the category (the dependence is learnt, not only the share).
  size_t missing_a = 0, a = 0;
  for (size_t i = 0; i < synth.num_rows(); ++i)
    if (synth.column("kind").codes[i] == 0) {
      ++a;
      missing_a += std::isnan(synth.column("x").numeric(i));
    }
  EXPECT_LT(static_cast<double>(missing_a) / static_cast<double>(a), 0.15);
}

TEST(Diffusion, ConditionalSharesAndDeterminism) {
  if (!built()) GTEST_SKIP() << "libtorch not built";
  const Table real = penguins();
  if (real.num_rows() == 0) GTEST_SKIP() << "needs ../shared/datasets";
  Json quick = kSmall;
  quick["epochs"] = 3;
  const auto model = fit(real, quick, 3, "species");
  ASSERT_TRUE(model->can_condition());
  const Column& species = real.column("species");
  ColumnShares want{"species", {}, {0.5, 0.3, 0.2}};
  for (const char* label : {"Adelie", "Chinstrap", "Gentoo"})
    want.values.push_back(static_cast<double>(
        std::find(species.dict.begin(), species.dict.end(), label) - species.dict.begin()));
  const Table synth = draw(*model, 10000, 5, &want);
  const auto got = shares_of(synth.column("species"));
  EXPECT_NEAR(got.at("Adelie"), 0.5, 0.02);
  EXPECT_NEAR(got.at("Chinstrap"), 0.3, 0.02);
  EXPECT_NEAR(got.at("Gentoo"), 0.2, 0.02);

  // Same seed, same fit and sample: identical; another sampling seed: different.
  const auto again = fit(real, quick, 3, "species");
  EXPECT_EQ(bytes_of(draw(*model, 300, 9)), bytes_of(draw(*again, 300, 9)));
  EXPECT_NE(bytes_of(draw(*model, 300, 9)), bytes_of(draw(*model, 300, 10)));
  // Without the target the model cannot condition; shares on another column are refused.
  EXPECT_FALSE(fit(real, quick)->can_condition());
  ColumnShares island{"island", {0}, {1.0}};
  EXPECT_THROW(draw(*model, 10, 1, &island), NotAvailable);
}

TEST(Diffusion, BadParamsNameTheParameter) {
  if (!built()) GTEST_SKIP() << "libtorch not built";
  const Table real({Column::float64("x", {1, 2, 3, 4}), Column::float64("y", {1, 3, 2, 4})});
  const auto message = [&](const Json& p) {
    try {
      fit(real, p);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"epochs", 0}}).find("epochs"), std::string::npos);
  EXPECT_NE(message({{"diffusion_steps", 1}}).find("diffusion_steps"), std::string::npos);
  EXPECT_NE(message({{"steps", 1}}).find("steps"), std::string::npos);
  EXPECT_NE(message({{"batch_size", 0}}).find("batch_size"), std::string::npos);
  const std::string device = message({{"device", "tpu"}});
  EXPECT_NE(device.find("device"), std::string::npos) << device;
  EXPECT_NE(device.find("cpu"), std::string::npos) << device;
  EXPECT_NE(message({{"time_embedding_dim", 7}}).find("even"), std::string::npos);
}

TEST(Diffusion, SaveLoadGivesIdenticalSamples) {
  if (!built()) GTEST_SKIP() << "libtorch not built";
  const Table real = penguins();
  if (real.num_rows() == 0) GTEST_SKIP() << "needs ../shared/datasets";
  Json quick = kSmall;
  quick["epochs"] = 2;
  for (const std::optional<std::string>& target :
       {std::optional<std::string>(), std::optional<std::string>("species")}) {
    const auto model = fit(real, quick, 4, target);
    ArchiveWriter w;
    model->save(w);
    auto loaded = method_registry().get("diffusion").create();
    ArchiveReader in(w.data(), "test");
    loaded->load(in);
    EXPECT_TRUE(in.at_end());
    EXPECT_EQ(loaded->can_condition(), model->can_condition());
    EXPECT_EQ(bytes_of(draw(*loaded, 500, 11)), bytes_of(draw(*model, 500, 11)));
  }
}
