// k-means++ seeding and Lloyd's iterations.
#include "models/mixture/kmeans.hpp"

#include <cmath>
#include <limits>

namespace calm {
namespace {

// Index drawn with probability proportional to weights (which sum to `total` > 0).
Eigen::Index draw_weighted(const Eigen::VectorXd& weights, double total, Rng& rng) {
  const double target = rng.uniform() * total;
  double acc = 0;
  for (Eigen::Index i = 0; i < weights.size(); ++i) {
    acc += weights[i];
    if (acc > target) return i;
  }
  return weights.size() - 1;
}

Eigen::VectorXd squared_distances(const Eigen::MatrixXd& points, const Eigen::RowVectorXd& c) {
  return (points.rowwise() - c).rowwise().squaredNorm();
}

Eigen::MatrixXd seed_centres(const Eigen::MatrixXd& points, int k, Rng& rng) {
  const Eigen::Index n = points.rows();
  Eigen::MatrixXd centres(k, points.cols());
  centres.row(0) = points.row(static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(n))));
  Eigen::VectorXd closest = squared_distances(points, centres.row(0));
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  for (int c = 1; c < k; ++c) {
    const double potential = closest.sum();
    Eigen::Index best = -1;
    double best_potential = std::numeric_limits<double>::infinity();
    Eigen::VectorXd best_closest;
    for (int t = 0; t < trials; ++t) {
      // All points coincide with a centre: any point will do.
      const Eigen::Index cand =
          potential > 0 ? draw_weighted(closest, potential, rng)
                        : static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(n)));
      Eigen::VectorXd d = squared_distances(points, points.row(cand)).cwiseMin(closest);
      const double pot = d.sum();
      if (pot < best_potential) {
        best_potential = pot;
        best = cand;
        best_closest = std::move(d);
      }
    }
    centres.row(c) = points.row(best);
    closest = std::move(best_closest);
  }
  return centres;
}

}  // namespace

std::vector<int> kmeans_labels(const Eigen::MatrixXd& points, int k, Rng& rng, int max_iter) {
  const Eigen::Index n = points.rows();
  Eigen::MatrixXd centres = seed_centres(points, k, rng);
  std::vector<int> labels(static_cast<size_t>(n), -1);
  for (int iter = 0; iter < max_iter; ++iter) {
    bool changed = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Index best;
      (centres.rowwise() - points.row(i)).rowwise().squaredNorm().minCoeff(&best);
      if (labels[i] != static_cast<int>(best)) {
        labels[i] = static_cast<int>(best);
        changed = true;
      }
    }
    if (!changed) break;
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, points.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < n; ++i) {
      sums.row(labels[i]) += points.row(i);
      counts[labels[i]] += 1;
    }
    // An emptied cluster keeps its centre.
    for (int c = 0; c < k; ++c)
      if (counts[c] > 0) centres.row(c) = sums.row(c) / counts[c];
  }
  return labels;
}

}  // namespace calm
