// KnnIndex over nanoflann's KDTreeSingleIndexAdaptor (dimension chosen at run time).
#include "transform/knn.hpp"

#include <algorithm>
#include <nanoflann.hpp>

namespace calm {

// nanoflann's dataset interface over the row-major point buffer.
struct KnnCloud {
  const double* points;  // a vector's buffer, which survives the vector's move
  size_t rows, dim;
  size_t kdtree_get_point_count() const { return rows; }
  double kdtree_get_pt(size_t i, size_t d) const { return points[i * dim + d]; }
  template <class Box>
  bool kdtree_get_bbox(Box&) const {
    return false;
  }
};

struct KnnIndex::Tree {
  using Index = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, KnnCloud>,
                                                    KnnCloud, -1, uint32_t>;
  KnnCloud cloud;
  Index index;
  Tree(const double* pts, size_t rows, size_t dim)
      : cloud{pts, rows, dim},
        index(static_cast<int>(dim), cloud, nanoflann::KDTreeSingleIndexAdaptorParams(16)) {}
};

KnnIndex::KnnIndex(std::vector<double> points, size_t rows, size_t dim)
    : points_(std::move(points)), rows_(rows), dim_(dim) {
  if (dim_ > 0 && rows_ > 0) tree_ = std::make_unique<Tree>(points_.data(), rows_, dim_);
}

KnnIndex::~KnnIndex() = default;
KnnIndex::KnnIndex(KnnIndex&&) noexcept = default;
KnnIndex& KnnIndex::operator=(KnnIndex&&) noexcept = default;

void KnnIndex::neighbours_of(size_t self, size_t k, uint32_t* out) const {
  if (!tree_) {
    // No coordinates: every other point is equally near; take the next ones around.
    for (size_t j = 0; j < k; ++j) out[j] = static_cast<uint32_t>((self + 1 + j) % rows_);
    return;
  }
  std::vector<uint32_t> idx(k + 1);
  std::vector<double> dist(k + 1);
  const size_t found = tree_->index.knnSearch(point(self), k + 1, idx.data(), dist.data());
  // Duplicates of the point may come before it; drop the point itself, else the farthest.
  size_t w = 0;
  bool dropped = false;
  for (size_t j = 0; j < found && w < k; ++j) {
    if (!dropped && idx[j] == self) {
      dropped = true;
      continue;
    }
    out[w++] = idx[j];
  }
}

std::vector<uint32_t> KnnIndex::neighbours_of_many(const std::vector<uint32_t>& rows, size_t k,
                                                   int threads) const {
  std::vector<uint32_t> out(rows.size() * k);
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads > 0 ? threads : 1)
  for (size_t r = 0; r < rows.size(); ++r) neighbours_of(rows[r], k, out.data() + r * k);
  return out;
}

}  // namespace calm
