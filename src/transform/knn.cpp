// KnnIndex: build (sliding-midpoint cuts) and branch-and-bound search of the KD-tree.
#include "transform/knn.hpp"

#include <algorithm>
#include <limits>

namespace calm {
namespace {

// Most points in a leaf: below this a leaf scan (contiguous, vectorised) beats descending further
// (8 to 32 measured within noise of each other on shuttle).
constexpr uint32_t kLeafSize = 16;

}  // namespace

KnnIndex::KnnIndex(std::vector<double> points, size_t rows, size_t dim)
    : points_(std::move(points)), rows_(rows), dim_(dim) {
  if (dim_ == 0 || rows_ == 0) return;
  order_.resize(rows_);
  for (size_t i = 0; i < rows_; ++i) order_[i] = static_cast<uint32_t>(i);
  nodes_.reserve(2 * (rows_ / kLeafSize + 1));
  nodes_.emplace_back();
  build(0, 0, static_cast<uint32_t>(rows_));
  // Each leaf's block is dimension-major, so that its distances are computed for all its points
  // at once (vectorised, no chain of dependent additions).
  ordered_.resize(rows_ * dim_);
  for (const Node& node : nodes_) {
    if (node.split_dim >= 0) continue;
    const size_t count = node.end - node.begin;
    largest_leaf_ = std::max(largest_leaf_, count);
    double* block = ordered_.data() + static_cast<size_t>(node.begin) * dim_;
    for (size_t i = 0; i < count; ++i) {
      const double* x = point(order_[node.begin + i]);
      for (size_t d = 0; d < dim_; ++d) block[d * count + i] = x[d];
    }
  }
}

void KnnIndex::build(uint32_t slot, uint32_t begin, uint32_t end) {
  Node node{begin, end, -1, 0, 0, 0};
  // The cell's extent in every dimension, one pass over its rows; the widest dimension is cut. A
  // cell of identical points stays a leaf.
  double cut_lo = 0, cut_hi = 0;
  if (end - begin > kLeafSize) {
    lo_.assign(dim_, std::numeric_limits<double>::infinity());
    hi_.assign(dim_, -std::numeric_limits<double>::infinity());
    for (uint32_t i = begin; i < end; ++i) {
      const double* x = point(order_[i]);
      for (size_t d = 0; d < dim_; ++d) {
        lo_[d] = std::min(lo_[d], x[d]);
        hi_[d] = std::max(hi_[d], x[d]);
      }
    }
    double widest = 0;
    for (size_t d = 0; d < dim_; ++d)
      if (hi_[d] - lo_[d] > widest) {
        widest = hi_[d] - lo_[d];
        node.split_dim = static_cast<int32_t>(d);
        cut_lo = lo_[d];
        cut_hi = hi_[d];
      }
  }
  if (node.split_dim < 0) {
    nodes_[slot] = node;
    return;
  }
  const size_t d = static_cast<size_t>(node.split_dim);
  auto coord = [&](uint32_t i) { return points_[i * dim_ + d]; };
  // Cut at the middle of the cell's extent (sliding midpoint): a few far outliers are split off
  // in a few levels instead of stretching every cell of the bulk, as median cuts would.
  const double cut = 0.5 * (cut_lo + cut_hi);
  uint32_t mid = static_cast<uint32_t>(std::partition(order_.begin() + begin, order_.begin() + end,
                                                      [&](uint32_t i) { return coord(i) < cut; }) -
                                       order_.begin());
  if (mid == begin || mid == end) {
    mid = begin + (end - begin) / 2;
    std::nth_element(order_.begin() + begin, order_.begin() + mid, order_.begin() + end,
                     [&](uint32_t a, uint32_t b) { return coord(a) < coord(b); });
  }
  node.low_max = -std::numeric_limits<double>::infinity();
  node.high_min = std::numeric_limits<double>::infinity();
  for (uint32_t i = begin; i < mid; ++i) node.low_max = std::max(node.low_max, coord(order_[i]));
  for (uint32_t i = mid; i < end; ++i) node.high_min = std::min(node.high_min, coord(order_[i]));
  node.low_child = static_cast<uint32_t>(nodes_.size());
  nodes_[slot] = node;
  nodes_.resize(nodes_.size() + 2);
  build(node.low_child, begin, mid);
  build(node.low_child + 1, mid, end);
}

void KnnIndex::search(uint32_t at, const double* q, double cell_dist, size_t want, Scratch& s,
                      size_t& found) const {
  const Node& node = nodes_[at];
  if (node.split_dim < 0) {
    const size_t count = node.end - node.begin;
    const double* block = ordered_.data() + static_cast<size_t>(node.begin) * dim_;
    double* dist = s.leaf.data();
    std::fill_n(dist, count, 0.0);
    for (size_t d = 0; d < dim_; ++d) {
      const double x = q[d];
      const double* column = block + d * count;
      for (size_t i = 0; i < count; ++i) dist[i] += (x - column[i]) * (x - column[i]);
    }
    for (uint32_t pos = node.begin; pos < node.end; ++pos) {
      const double d2 = dist[pos - node.begin];
      const uint32_t id = order_[pos];
      if (found == want) {
        const double worst = s.best_dist[want - 1];
        if (d2 > worst || (d2 == worst && id > s.best_index[want - 1])) continue;
      } else {
        ++found;
      }
      // Insertion into the sorted list, ordered by (distance, index).
      size_t w = found - 1;
      while (w > 0 &&
             (s.best_dist[w - 1] > d2 || (s.best_dist[w - 1] == d2 && s.best_index[w - 1] > id))) {
        s.best_dist[w] = s.best_dist[w - 1];
        s.best_index[w] = s.best_index[w - 1];
        --w;
      }
      s.best_dist[w] = d2;
      s.best_index[w] = id;
    }
    return;
  }
  // Each child's cell is the node's, cut along split_dim; only that coordinate's offset changes.
  const size_t d = static_cast<size_t>(node.split_dim);
  const double old = s.offset[d], x = q[d];
  const double low_off = x > node.low_max ? x - node.low_max : old;
  const double high_off = x < node.high_min ? node.high_min - x : old;
  const double base = cell_dist - old * old;
  const double low_dist = base + low_off * low_off, high_dist = base + high_off * high_off;
  const bool low_first = low_dist <= high_dist;
  const uint32_t child[2] = {node.low_child, node.low_child + 1};
  const double dist[2] = {low_dist, high_dist}, off[2] = {low_off, high_off};
  for (int t = 0; t < 2; ++t) {
    const int c = low_first ? t : 1 - t;
    // A cell exactly at the worst distance may still hold a tie with a lower index.
    if (found == want && dist[c] > s.best_dist[want - 1]) continue;
    s.offset[d] = off[c];
    search(child[c], q, dist[c], want, s, found);
  }
  s.offset[d] = old;
}

void KnnIndex::neighbours_of(size_t self, size_t k, uint32_t* out, Scratch& s) const {
  if (nodes_.empty()) {
    // No coordinates: every other point is equally near; take the next ones around.
    for (size_t j = 0; j < k; ++j) out[j] = static_cast<uint32_t>((self + 1 + j) % rows_);
    return;
  }
  const size_t want = std::min(k + 1, rows_);
  s.offset.assign(dim_, 0.0);
  s.leaf.resize(largest_leaf_);
  s.best_dist.resize(want);
  s.best_index.resize(want);
  size_t found = 0;
  search(0, point(self), 0.0, want, s, found);

  // Duplicates of the point with lower indices come before it; drop the point itself, else the
  // farthest.
  size_t w = 0;
  bool dropped = false;
  for (size_t j = 0; j < found && w < k; ++j) {
    if (!dropped && s.best_index[j] == self) {
      dropped = true;
      continue;
    }
    out[w++] = s.best_index[j];
  }
}

void KnnIndex::neighbours_of(size_t self, size_t k, uint32_t* out) const {
  Scratch s;
  neighbours_of(self, k, out, s);
}

std::vector<uint32_t> KnnIndex::neighbours_of_many(const std::vector<uint32_t>& rows, size_t k,
                                                   int threads) const {
  std::vector<uint32_t> out(rows.size() * k);
#pragma omp parallel num_threads(threads > 0 ? threads : 1)
  {
    Scratch s;
#pragma omp for schedule(dynamic, 256)
    for (size_t r = 0; r < rows.size(); ++r) neighbours_of(rows[r], k, out.data() + r * k, s);
  }
  return out;
}

}  // namespace calm
