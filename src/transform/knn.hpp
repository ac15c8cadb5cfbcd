// Exact k-nearest-neighbour search in Euclidean distance over a fixed set of points, on a KD-tree
// (Friedman, Bentley & Finkel 1977) cut at the middle of the widest extent of each cell (sliding
// midpoint, Maneewongvatana & Mount 1999: robust to far outliers, which median cuts are not), the
// points copied in leaf order so that a leaf is one contiguous block, and incremental cell
// distances for pruning (Arya & Mount 1993). Ties in distance are broken by the lower point
// index, so the answer is a function of the points alone (not of the tree's shape), and queries
// are independent: a batch runs in parallel and gives the same answer for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace calm {

class KnnIndex {
 public:
  // `points`: row-major, rows x dim. dim may be 0 (every point at distance 0 from every other).
  KnnIndex(std::vector<double> points, size_t rows, size_t dim);

  size_t size() const { return rows_; }
  size_t dim() const { return dim_; }
  const double* point(size_t i) const { return points_.data() + i * dim_; }

  // Working memory of one query, reused across the queries of one thread.
  struct Scratch {
    std::vector<double> offset;  // per dimension: the query's distance to the current cell
    std::vector<double> leaf;    // squared distances to the points of one leaf
    std::vector<double> best_dist;
    std::vector<uint32_t> best_index;
  };

  // The k nearest indexed points of indexed point `self`, itself excluded, closest first (ties:
  // lower index first), into out[0..k). k must be < size().
  void neighbours_of(size_t self, size_t k, uint32_t* out, Scratch& scratch) const;
  void neighbours_of(size_t self, size_t k, uint32_t* out) const;
  // neighbours_of for every entry of `rows`: result row r holds the k neighbours of rows[r].
  std::vector<uint32_t> neighbours_of_many(const std::vector<uint32_t>& rows, size_t k,
                                           int threads) const;

 private:
  struct Node {
    uint32_t begin, end;  // points [begin, end) in leaf order
    int32_t split_dim;    // -1: leaf
    uint32_t low_child;   // the high child is low_child + 1
    double low_max;       // largest coordinate along split_dim in the low child
    double high_min;      // smallest in the high child
  };
  void build(uint32_t slot, uint32_t begin, uint32_t end);
  void search(uint32_t node, const double* q, double cell_dist, size_t want, Scratch& s,
              size_t& found) const;

  std::vector<double> points_;   // as given
  std::vector<double> ordered_;  // the points in leaf order, each leaf dimension-major
  std::vector<uint32_t> order_;  // leaf position -> point index
  std::vector<Node> nodes_;      // nodes_[0] is the root
  size_t rows_ = 0, dim_ = 0, largest_leaf_ = 0;
  std::vector<double> lo_, hi_;  // build's working memory: a cell's extent
};

}  // namespace calm
