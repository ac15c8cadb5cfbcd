// k-means clustering used to start EM: k-means++ seeding with greedy local trials (Arthur &
// Vassilvitskii 2007, "k-means++: the advantages of careful seeding"; 2 + floor(ln k) candidates
// per centre, as scikit-learn) followed by Lloyd's iterations until no point changes cluster.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "calm/core/rng.hpp"

namespace calm {

// Cluster label in [0, k) of every row of `points` (rows = points). k must be <= rows.
std::vector<int> kmeans_labels(const Eigen::MatrixXd& points, int k, Rng& rng, int max_iter = 300);

}  // namespace calm
