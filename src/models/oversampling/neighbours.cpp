// Same-class k-NN of the drawn seeds with SMOTE-NC votes, and ADASYN density ratios.
#include "models/oversampling/neighbours.hpp"

#include <algorithm>

#include "calm/core/error.hpp"

namespace calm {
namespace {

// Below this many queries a parallel region costs more than it saves (a barrier is expensive on a
// busy machine), so small classes are searched on one thread.
constexpr size_t kParallelQueries = 4096;

int query_threads(size_t queries, int threads) {
  return queries < kParallelQueries ? 1 : threads;
}

// Most frequent value among codes[0..k) (ties: the lowest level). k is small (the neighbour
// count), so counting pairs beats a histogram over the levels.
int32_t mode_of(const int32_t* codes, size_t k) {
  int32_t best = codes[0];
  size_t best_count = 0;
  for (size_t a = 0; a < k; ++a) {
    size_t count = 0;
    for (size_t b = 0; b < k; ++b) count += codes[b] == codes[a];
    if (count > best_count || (count == best_count && codes[a] < best)) {
      best = codes[a];
      best_count = count;
    }
  }
  return best;
}

}  // namespace

SeedNeighbours seed_neighbours(const FeatureMatrix& f, const ClassGroup& g,
                               const std::vector<uint8_t>& is_seed, int threads) {
  const size_t m = g.rows.size(), k = g.k;
  SeedNeighbours out;
  out.position.assign(m, -1);
  std::vector<uint32_t> seeds;
  for (size_t s = 0; s < m; ++s)
    if (is_seed[s]) {
      out.position[s] = static_cast<int64_t>(seeds.size());
      seeds.push_back(static_cast<uint32_t>(s));
    }
  const KnnIndex index(
      embed_rows(f, g.rows, std::vector<int>(m, 0), {g.fill}, median_std(f, g.rows)), m,
      embedding_dimension(f));
  out.neighbours = index.neighbours_of_many(seeds, k, query_threads(seeds.size(), threads));
  for (uint32_t& r : out.neighbours) r = g.rows[r];

  out.votes.resize(seeds.size() * f.q);
  std::vector<int32_t> ballot(k);
  for (size_t s = 0; s < seeds.size(); ++s) {
    const uint32_t* nb = out.neighbours.data() + s * k;
    for (size_t j = 0; j < f.q; ++j) {
      for (size_t a = 0; a < k; ++a) ballot[a] = f.code(nb[a], j);
      out.votes[s * f.q + j] = mode_of(ballot.data(), k);
    }
  }
  return out;
}

DensityRatios::DensityRatios(const FeatureMatrix& f, const std::vector<ClassGroup>& classes,
                             size_t k) {
  std::vector<uint32_t> rows;
  std::vector<std::vector<double>> fill;
  for (size_t c = 0; c < classes.size(); ++c) {
    offset_.push_back(rows.size());
    rows.insert(rows.end(), classes[c].rows.begin(), classes[c].rows.end());
    group_.insert(group_.end(), classes[c].rows.size(), static_cast<int>(c));
    fill.push_back(classes[c].fill);
  }
  offset_.push_back(rows.size());
  if (rows.size() < 2) throw DataError("adasyn needs at least 2 rows with a class");
  k_ = std::min(k, rows.size() - 1);
  index_ = std::make_unique<KnnIndex>(embed_rows(f, rows, group_, fill, median_std(f, rows)),
                                      rows.size(), embedding_dimension(f));
}

std::vector<double> DensityRatios::of_class(size_t c, int threads) const {
  std::vector<uint32_t> members(offset_[c + 1] - offset_[c]);
  for (size_t r = 0; r < members.size(); ++r) members[r] = static_cast<uint32_t>(offset_[c] + r);
  const std::vector<uint32_t> nb =
      index_->neighbours_of_many(members, k_, query_threads(members.size(), threads));
  std::vector<double> ratio(members.size());
  for (size_t r = 0; r < members.size(); ++r) {
    size_t others = 0;
    for (size_t j = 0; j < k_; ++j) others += group_[nb[r * k_ + j]] != static_cast<int>(c);
    ratio[r] = static_cast<double>(others) / static_cast<double>(k_);
  }
  return ratio;
}

}  // namespace calm
