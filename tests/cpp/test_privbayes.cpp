// PrivBayes (src/models/dp/privbayes.cpp): the structure it learns on a table with known
// dependencies, the marginals its samples reproduce, how the quality degrades with epsilon,
// degrees 0 and 1, determinism, conditioning on the root, persistence, argument checks, the
// cell cap, and the mutual information score's sensitivity bound (mutual_information.hpp), by
// the inequality behind it and by brute force over neighbouring tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "models/dp/mutual_information.hpp"
#include "models/dp/privbayes.hpp"
#include "privacy/coded_table.hpp"

using namespace calm;

namespace {

// x0 uniform on 4 values; x1 = x0 w.p. 0.8, else uniform on 4; x2 = x1 mod 3 w.p. 0.8, else
// uniform on 3; x3 independent, skewed on 5 values. The chain x0 -> x1 -> x2 makes x0 and x2
// dependent only through x1.
CodedTable chain_table(size_t n, uint64_t seed) {
  Rng rng(seed, 0);
  CodedTable t;
  t.sizes = {4, 4, 3, 5};
  t.codes.assign(4, std::vector<int32_t>(n));
  const double w3[] = {0.4, 0.25, 0.15, 0.12, 0.08};
  for (size_t i = 0; i < n; ++i) {
    const int x0 = static_cast<int>(rng.below(4));
    const int x1 = rng.uniform() < 0.8 ? x0 : static_cast<int>(rng.below(4));
    const int x2 = rng.uniform() < 0.8 ? x1 % 3 : static_cast<int>(rng.below(3));
    double u = rng.uniform();
    int x3 = 0;
    while (x3 < 4 && u >= w3[x3]) u -= w3[x3++];
    t.codes[0][i] = x0;
    t.codes[1][i] = x1;
    t.codes[2][i] = x2;
    t.codes[3][i] = x3;
  }
  return t;
}

CodedTable as_table(const std::vector<int>& sizes, std::vector<std::vector<int32_t>> codes) {
  CodedTable t;
  t.sizes = sizes;
  t.codes = std::move(codes);
  return t;
}

// Total-variation distance between the marginals over `attrs` of two tables.
double tvd(const CodedTable& a, const CodedTable& b, const std::vector<int>& attrs) {
  const std::vector<int64_t> ca = count_marginal(a, attrs), cb = count_marginal(b, attrs);
  double d = 0;
  for (size_t i = 0; i < ca.size(); ++i)
    d += std::fabs(static_cast<double>(ca[i]) / a.rows() - static_cast<double>(cb[i]) / b.rows());
  return d / 2;
}

double worst_tvd(const CodedTable& a, const CodedTable& b, int way) {
  double worst = 0;
  const int d = static_cast<int>(a.attributes());
  for (int i = 0; i < d; ++i) {
    if (way == 1) worst = std::max(worst, tvd(a, b, {i}));
    for (int j = i + 1; j < d && way == 2; ++j) worst = std::max(worst, tvd(a, b, {i, j}));
  }
  return worst;
}

double mean_2way_tvd(const CodedTable& a, const CodedTable& b) {
  double sum = 0;
  int pairs = 0;
  const int d = static_cast<int>(a.attributes());
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j, ++pairs) sum += tvd(a, b, {i, j});
  return sum / pairs;
}

PrivBayes fitted(const CodedTable& data, PrivBayesOptions o, uint64_t seed) {
  PrivBayes m;
  Rng rng(seed, stream_id(StreamPurpose::fit, 0));
  m.fit(data, o, rng);
  return m;
}

CodedTable sampled(const PrivBayes& m, const CodedTable& like, size_t n, uint64_t seed,
                   int threads = 1) {
  return as_table(like.sizes, m.sample(n, seed, threads));
}

bool has(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

double g(double n) {
  return privbayes::information_increment(n);
}

// Mutual information in nats straight from the definition, for the score's check.
double direct_mi(const std::vector<uint32_t>& joint, size_t k) {
  const size_t p_cells = joint.size() / k;
  double n = 0;
  for (uint32_t c : joint) n += c;
  std::vector<double> px(k, 0), pp(p_cells, 0);
  for (size_t p = 0; p < p_cells; ++p)
    for (size_t x = 0; x < k; ++x) {
      px[x] += joint[p * k + x] / n;
      pp[p] += joint[p * k + x] / n;
    }
  double mi = 0;
  for (size_t p = 0; p < p_cells; ++p)
    for (size_t x = 0; x < k; ++x)
      if (joint[p * k + x]) {
        const double q = joint[p * k + x] / n;
        mi += q * std::log(q / (px[x] * pp[p]));
      }
  return mi;
}

}  // namespace

TEST(PrivBayesStructure, HugeEpsilonFindsTheChainAndReproducesTheMarginals) {
  const CodedTable data = chain_table(50000, 1);
  PrivBayesOptions o;
  o.epsilon = 1e6;
  o.degree = 1;
  o.root = 0;
  const PrivBayes m = fitted(data, o, 2);
  ASSERT_EQ(m.order().size(), 4u);
  EXPECT_EQ(m.order()[0], 0);
  EXPECT_EQ(m.parents()[1], std::vector<int>{0});
  EXPECT_EQ(m.parents()[2], std::vector<int>{1});
  EXPECT_EQ(m.parents()[3].size(), 1u);
  const CodedTable syn = sampled(m, data, 50000, 3);
  // Sampling noise of two 50k-row tables on <= 20 cells is ~0.01 in TVD.
  EXPECT_LT(worst_tvd(data, syn, 1), 0.02);
  EXPECT_LT(worst_tvd(data, syn, 2), 0.02);
}

TEST(PrivBayesStructure, DegreeTwoKeepsTheTrueParentsAmongItsParents) {
  const CodedTable data = chain_table(50000, 4);
  PrivBayesOptions o;
  o.epsilon = 1e6;
  o.degree = 2;
  o.root = 0;
  const PrivBayes m = fitted(data, o, 5);
  EXPECT_EQ(m.order()[1], 1);  // I(x1; x0) is the largest first-step score
  EXPECT_EQ(m.parents()[1], std::vector<int>{0});
  EXPECT_TRUE(has(m.parents()[2], 1));
  EXPECT_EQ(m.parents()[2].size(), 2u);
  EXPECT_EQ(m.parents()[3].size(), 2u);
  // One 3-way table for {x0, x1, x2} (x1's family lies inside) and x3's: T = d - k.
  EXPECT_EQ(m.spend().tables, 2);
  const CodedTable syn = sampled(m, data, 50000, 6);
  EXPECT_LT(worst_tvd(data, syn, 2), 0.02);
}

TEST(PrivBayesStructure, SmallEpsilonDegradesButRuns) {
  const CodedTable data = chain_table(2000, 7);
  PrivBayesOptions exact, noisy;
  exact.epsilon = 1e6;
  noisy.epsilon = 0.1;
  const CodedTable big = sampled(fitted(data, exact, 8), data, 20000, 9);
  const CodedTable small = sampled(fitted(data, noisy, 8), data, 20000, 9);
  const double good = mean_2way_tvd(data, big), bad = mean_2way_tvd(data, small);
  EXPECT_LT(good, 0.04);
  EXPECT_GT(bad, good + 0.05) << "good " << good << " bad " << bad;
}

TEST(PrivBayesStructure, DegreeOneIsATreeAndDegreeZeroIndependent) {
  const CodedTable data = chain_table(20000, 10);
  PrivBayesOptions o;
  o.epsilon = 1.0;
  o.degree = 1;
  const PrivBayes tree = fitted(data, o, 11);
  int roots = 0;
  for (int a = 0; a < 4; ++a) {
    EXPECT_LE(tree.parents()[a].size(), 1u);
    roots += tree.parents()[a].empty();
  }
  EXPECT_EQ(roots, 1);
  EXPECT_TRUE(tree.parents()[tree.root()].empty());
  EXPECT_EQ(tree.spend().choices, 3);
  EXPECT_EQ(tree.spend().tables, 3);  // d - k
  EXPECT_DOUBLE_EQ(tree.spend().structure, 0.5);
  EXPECT_DOUBLE_EQ(tree.spend().conditionals, 0.5);
  EXPECT_DOUBLE_EQ(tree.spend().count_scale, 3 / 0.5);  // L1 sensitivity 1 per table
  EXPECT_EQ(tree.spend().rows, 0.0);

  o.degree = 0;
  o.epsilon = 1e6;
  const PrivBayes flat = fitted(data, o, 12);
  for (int a = 0; a < 4; ++a) EXPECT_TRUE(flat.parents()[a].empty());
  EXPECT_EQ(flat.spend().structure, 0.0);  // nothing learnt: all of epsilon on the 1-way tables
  EXPECT_EQ(flat.spend().conditionals, 1e6);
  EXPECT_EQ(flat.spend().tables, 4);
  const CodedTable syn = sampled(flat, data, 50000, 13);
  EXPECT_LT(worst_tvd(data, syn, 1), 0.02);
  // x0 and x1 are strongly dependent in the data, independent in the samples.
  const CodedTable x01 = as_table({4, 4}, {syn.codes[0], syn.codes[1]});
  EXPECT_GT(tvd(data, syn, {0, 1}), 0.3);
  double indep = 0;
  const std::vector<int64_t> joint = count_marginal(x01, {0, 1});
  const std::vector<int64_t> m0 = count_marginal(x01, {0}), m1 = count_marginal(x01, {1});
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      indep += std::fabs(joint[i * 4 + j] / 5e4 - (m0[i] / 5e4) * (m1[j] / 5e4));
  EXPECT_LT(indep / 2, 0.02);
}

TEST(PrivBayesDeterminism, SameSeedSameNetworkAndSamplesAnyThreads) {
  const CodedTable data = chain_table(30000, 14);
  PrivBayesOptions o;
  o.epsilon = 1.0;
  o.degree = 2;
  o.threads = 1;
  const PrivBayes a = fitted(data, o, 15);
  o.threads = 2;
  const PrivBayes b = fitted(data, o, 15);
  EXPECT_EQ(a.order(), b.order());
  EXPECT_EQ(a.parents(), b.parents());
  const auto s1 = a.sample(10000, 16, 1), s2 = b.sample(10000, 16, 2), s3 = a.sample(10000, 16, 3);
  EXPECT_EQ(s1, s2);
  EXPECT_EQ(s1, s3);
  EXPECT_NE(s1, a.sample(10000, 17, 1));
  // Another fit seed gives another model (noise at least): the comparison above can fail.
  const PrivBayes c = fitted(data, o, 18);
  EXPECT_NE(c.sample(10000, 16, 1), s1);
}

TEST(PrivBayesConditioning, RootValuesAreKeptAndChildrenFollowThem) {
  const CodedTable data = chain_table(50000, 19);
  PrivBayesOptions o;
  o.epsilon = 1e6;
  o.degree = 2;
  o.root = 0;
  const PrivBayes m = fitted(data, o, 20);
  ASSERT_EQ(m.root(), 0);
  const size_t n = 40000;
  std::vector<int32_t> root(n);
  for (size_t i = 0; i < n; ++i) root[i] = i % 4 == 0 ? 3 : 1;  // 25% value 3, 75% value 1
  const auto s = m.sample(n, 21, 2, &root);
  EXPECT_EQ(s[0], root);
  // P(x1 | x0 = v) in the samples against the data.
  for (int v : {1, 3}) {
    std::vector<double> real(4, 0), syn(4, 0);
    double nr = 0, ns = 0;
    for (size_t i = 0; i < data.rows(); ++i)
      if (data.codes[0][i] == v) ++real[data.codes[1][i]], ++nr;
    for (size_t i = 0; i < n; ++i)
      if (s[0][i] == v) ++syn[s[1][i]], ++ns;
    double d = 0;
    for (int x = 0; x < 4; ++x) d += std::fabs(real[x] / nr - syn[x] / ns);
    EXPECT_LT(d / 2, 0.02) << "x0 = " << v;
    EXPECT_GT(syn[v] / ns, 0.8);  // 0.8 + 0.2 / 4
  }
  std::vector<int32_t> bad(n, 4);
  EXPECT_THROW(m.sample(n, 21, 1, &bad), InvalidArgument);
  std::vector<int32_t> short_values(n - 1, 0);
  EXPECT_THROW(m.sample(n, 21, 1, &short_values), InvalidArgument);
}

TEST(PrivBayesPersistence, SaveLoadGivesIdenticalSamples) {
  const CodedTable data = chain_table(10000, 22);
  PrivBayesOptions o;
  o.epsilon = 2.0;
  o.degree = 2;
  const PrivBayes m = fitted(data, o, 23);
  ArchiveWriter w;
  m.save(w);
  PrivBayes back;
  ArchiveReader r(w.data(), "test");
  back.load(r);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(back.order(), m.order());
  EXPECT_EQ(back.parents(), m.parents());
  EXPECT_EQ(back.spend().tables, m.spend().tables);
  EXPECT_EQ(back.spend().conditionals, m.spend().conditionals);
  EXPECT_EQ(back.sample(9000, 24, 2), m.sample(9000, 24, 1));
  // A truncated archive fails cleanly.
  const std::string cut = w.data().substr(0, w.data().size() / 2);
  ArchiveReader rc(cut, "cut");
  PrivBayes broken;
  EXPECT_THROW(broken.load(rc), DataError);
}

TEST(PrivBayesArguments, BadInputNamesTheParameter) {
  const CodedTable data = chain_table(500, 25);
  auto message = [&](const CodedTable& t, PrivBayesOptions o) {
    try {
      fitted(t, o, 1);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  PrivBayesOptions o;
  o.epsilon = 0;
  EXPECT_NE(message(data, o).find("epsilon"), std::string::npos) << message(data, o);
  o.epsilon = -1;
  EXPECT_NE(message(data, o).find("epsilon"), std::string::npos);
  o.epsilon = std::nan("");
  EXPECT_NE(message(data, o).find("epsilon"), std::string::npos);
  o = {};
  o.degree = -1;
  EXPECT_NE(message(data, o).find("degree"), std::string::npos) << message(data, o);
  o = {};
  o.structure_share = 1;
  EXPECT_NE(message(data, o).find("structure_share"), std::string::npos);
  o = {};
  o.root = 4;
  EXPECT_NE(message(data, o).find("root"), std::string::npos);
  o = {};
  EXPECT_NE(message(CodedTable{}, o).find("data"), std::string::npos) << message(CodedTable{}, o);
  const CodedTable no_rows = as_table({2, 3}, {{}, {}});
  EXPECT_NE(message(no_rows, o).find("row"), std::string::npos) << message(no_rows, o);
  const CodedTable out_of_range = as_table({2}, {{0, 1, 2}});
  EXPECT_NE(message(out_of_range, o).find("codes"), std::string::npos);
  EXPECT_EQ(message(data, o), "no error");
  PrivBayes unfitted;
  EXPECT_THROW(unfitted.sample(10, 1, 1), InvalidArgument);
}

TEST(PrivBayesStructure, ProgressReportsEveryAttribute) {
  const CodedTable data = chain_table(3000, 26);
  PrivBayesOptions o;
  o.epsilon = 1e6;
  o.degree = 1;
  o.root = 0;
  o.names = {"a", "b", "c", "d"};
  std::vector<std::string> lines;
  o.progress = [&](const std::string& s) { lines.push_back(s); };
  fitted(data, o, 27);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "added 'a' as the root");
  EXPECT_EQ(lines[1].rfind("added 'b' with parents 'a'", 0), 0u) << lines[1];
}

TEST(PrivBayesStructure, CellCapLimitsTheParentSetsAndManyAttributesStayFast) {
  // 30 attributes of 10 values: up to C(29, 5) = 118755 five-parent sets per attribute, far over
  // the candidate limit (sampled by rejection once the pairs pass 200000), all over a 1000-cell
  // cap: at most 2 parents (10 x 10 x 10 cells).
  const size_t n = 5000;
  const int d = 30;
  Rng rng(28, 0);
  CodedTable t;
  t.sizes.assign(d, 10);
  t.codes.assign(d, std::vector<int32_t>(n));
  for (size_t i = 0; i < n; ++i)
    for (int a = 0; a < d; ++a)
      t.codes[a][i] =
          a > 0 && rng.uniform() < 0.7 ? t.codes[a - 1][i] : static_cast<int32_t>(rng.below(10));
  PrivBayesOptions o;
  o.epsilon = 1.0;
  o.max_cells = 1000;
  o.max_candidates = 300;
  const PrivBayes m = fitted(t, o, 29);
  size_t most = 0;
  for (int a = 0; a < d; ++a) most = std::max(most, m.parents()[a].size());
  EXPECT_EQ(most, 2u);
  // A 10^5-cell cap: 4 parents.
  o.max_cells = 100000;
  const PrivBayes wide = fitted(t, o, 29);
  most = 0;
  for (int a = 0; a < d; ++a) most = std::max(most, wide.parents()[a].size());
  EXPECT_EQ(most, 4u);
}

TEST(PrivBayesStructure, UsefulnessShrinksParentSetsOnSmallTables) {
  const CodedTable data = chain_table(400, 30);
  PrivBayesOptions o;
  o.epsilon = 1.0;
  o.degree = 3;
  const PrivBayes plain = fitted(data, o, 31);
  o.usefulness = 4;
  const PrivBayes useful = fitted(data, o, 31);
  // n eps_c / (d theta) = 400 * 0.49 / 16 ~ 12 cells: no family of two attributes (>= 12 cells)
  // but 4 x 3 fits.
  size_t plain_most = 0, useful_most = 0;
  for (int a = 0; a < 4; ++a) {
    plain_most = std::max(plain_most, plain.parents()[a].size());
    useful_most = std::max(useful_most, useful.parents()[a].size());
  }
  EXPECT_EQ(plain_most, 3u);
  EXPECT_LE(useful_most, 1u);
  EXPECT_GT(useful.spend().rows, 0);
  EXPECT_NEAR(useful.spend().rows + useful.spend().structure + useful.spend().conditionals, 1.0,
              1e-12);
}

TEST(PrivBayesScore, MatchesTheDefinitionDenseOrSparse) {
  // Perfectly dependent binary pair: I = ln 2.
  const std::vector<uint32_t> diag = {50, 0, 0, 50};
  EXPECT_NEAR(privbayes::total_information(diag.data(), 4, 2) / 100, std::log(2.0), 1e-12);
  Rng rng(32, 0);
  privbayes::PhiSum phi_sum;
  for (int trial = 0; trial < 20; ++trial) {
    const size_t k = 2 + rng.below(5), pc = 1 + rng.below(40), n = 1 + rng.below(300);
    std::vector<uint32_t> cell(n), joint(k * pc, 0);
    for (auto& c : cell) {
      c = static_cast<uint32_t>(rng.below(k * pc / 2 + 1));
      ++joint[c];
    }
    const double s = privbayes::information_score(joint.data(), joint.size(), k);
    const double expected = n > 1 ? direct_mi(joint, k) * n / g(static_cast<double>(n)) : 0;
    EXPECT_NEAR(s, expected, 1e-9);
    // From the rows, as the structure search computes it: the joint, parent and child phi-sums.
    std::vector<uint32_t> parent(n), child(n);
    for (size_t i = 0; i < n; ++i) parent[i] = cell[i] / k, child[i] = cell[i] % k;
    const double cp = phi_sum(child.data(), n, k), pp = phi_sum(parent.data(), n, pc);
    EXPECT_NEAR(privbayes::information_score(phi_sum(cell.data(), n, k * pc), pp, cp, n), s, 1e-9);
    // The same rows spread over far more cells than the dense counter takes (radix-sort path).
    std::vector<uint32_t> spread(n);
    for (size_t i = 0; i < n; ++i) spread[i] = cell[i] * 4099 + 7;
    EXPECT_NEAR(phi_sum(spread.data(), n, size_t{1} << 31), phi_sum(cell.data(), n, k * pc), 1e-9);
  }
}

TEST(PrivBayesScore, SensitivityInequalityHoldsForEveryRowCount) {
  // The two sides of the proof in mutual_information.cpp.
  double worst_up = 0, worst_down = 0;
  for (double n = 1; n <= 1e6; ++n) {
    worst_up = std::max(worst_up, g(n) / g(n + 1));
    worst_down = std::max(worst_down, (2 * g(n / 2) - g(n) + std::log(n) / g(n)) / g(n + 1));
  }
  for (double n = 1e6; n < 1e15; n *= 1.5) {
    worst_up = std::max(worst_up, g(n) / g(n + 1));
    worst_down = std::max(worst_down, (2 * g(n / 2) - g(n) + std::log(n) / g(n)) / g(n + 1));
  }
  EXPECT_LE(worst_up, 1.0);  // g increases, so < 1 exactly; the ratio rounds to 1 for huge n
  EXPECT_LT(worst_down, 1.0);
}

TEST(PrivBayesScore, NeighbouringTablesMoveTheScoreByAtMostOne) {
  // Every table of up to 12 rows on 2 x 3 cells reachable by adding rows one at a time along
  // random paths, every possible added row: |s(D + row) - s(D)| <= 1. n I itself (the score
  // before the rescaling) moves by more, so the check is not vacuous.
  Rng rng(33, 0);
  double worst = 0, worst_raw = 0;
  for (const size_t k : {size_t{2}, size_t{3}}) {
    for (const size_t pc : {size_t{2}, size_t{3}, size_t{4}}) {
      for (int path = 0; path < 200; ++path) {
        std::vector<uint32_t> joint(k * pc, 0);
        const size_t rows = 1 + rng.below(40);
        // Skewed fills reach the extreme tables (one value, one new cell) as well as mixed ones.
        const size_t hot = rng.below(joint.size());
        for (size_t r = 0; r < rows; ++r) {
          const double s0 = privbayes::information_score(joint.data(), joint.size(), k);
          const double f0 = privbayes::total_information(joint.data(), joint.size(), k);
          for (size_t c = 0; c < joint.size(); ++c) {
            ++joint[c];
            const double s1 = privbayes::information_score(joint.data(), joint.size(), k);
            const double f1 = privbayes::total_information(joint.data(), joint.size(), k);
            worst = std::max(worst, std::fabs(s1 - s0));
            worst_raw = std::max(worst_raw, std::fabs(f1 - f0));
            --joint[c];
          }
          ++joint[rng.uniform() < 0.8 ? hot : rng.below(joint.size())];
        }
      }
    }
  }
  EXPECT_LE(worst, 1.0);
  EXPECT_GT(worst, 0.6);  // close to the bound: it is tight to first order
  EXPECT_GT(worst_raw, 1.5);
}
