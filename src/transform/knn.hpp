// Exact k-nearest-neighbour search in Euclidean distance over a fixed set of points, on a KD-tree
// (Friedman, Bentley & Finkel 1977, via the nanoflann library). Queries are independent, so a
// batch runs in parallel and gives the same answer for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace calm {

class KnnIndex {
 public:
  // `points`: row-major, rows x dim. dim may be 0 (every point at distance 0 from every other).
  KnnIndex(std::vector<double> points, size_t rows, size_t dim);
  ~KnnIndex();
  KnnIndex(KnnIndex&&) noexcept;
  KnnIndex& operator=(KnnIndex&&) noexcept;

  size_t size() const { return rows_; }
  size_t dim() const { return dim_; }
  const double* point(size_t i) const { return points_.data() + i * dim_; }

  // The k nearest indexed points of indexed point `self`, itself excluded, closest first, into
  // out[0..k). k must be < size().
  void neighbours_of(size_t self, size_t k, uint32_t* out) const;
  // neighbours_of for every entry of `rows`: result row r holds the k neighbours of rows[r].
  std::vector<uint32_t> neighbours_of_many(const std::vector<uint32_t>& rows, size_t k,
                                           int threads) const;

 private:
  struct Tree;
  std::vector<double> points_;
  size_t rows_ = 0, dim_ = 0;
  std::unique_ptr<Tree> tree_;
};

}  // namespace calm
