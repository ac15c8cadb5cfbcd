// A mergeable quantile summary of a numeric sample, for fitting marginals from partitions that no
// one process holds (the distributed copula fit, docs/distributed.md). It keeps weighted points
// (value, weight) sorted by value: every value with weight 1 while there are at most `capacity`,
// else `capacity` points at the evenly spaced weighted ranks (k + 1/2) W / q. Such a compression
// moves the rank of any x by at most W / (2q) (the count of ranks t_k <= C(x) is C(x) q / W
// rounded), and merging adds the bounds of both sides, so the summary carries its own bound.
#pragma once

#include <cstddef>
#include <vector>

#include "calm/core/archive.hpp"

namespace calm {

class QuantileSummary {
 public:
  static constexpr size_t kDefaultCapacity = 10000;

  explicit QuantileSummary(size_t capacity = kDefaultCapacity);

  // Adds finite values (others are the caller's to count as missing).
  void add(std::vector<double> values);
  // Adds `other`'s points; the result is the same whichever side is `this`.
  void merge(const QuantileSummary& other);

  double total() const { return total_; }          // weight: the number of values summarised
  bool exact() const { return rank_error_ == 0; }  // every value kept with weight 1
  // Largest possible |rank(x) - true rank(x)| / total over all x.
  double relative_rank_error() const { return total_ > 0 ? rank_error_ / total_ : 0; }

  // Equally weighted values standing for the distribution, sorted: every value when exact, else
  // `capacity` values at the evenly spaced weighted ranks.
  std::vector<double> representative() const;

  void save(ArchiveWriter& out) const;
  static QuantileSummary load(ArchiveReader& in);

 private:
  void compress(size_t points);

  size_t capacity_;
  std::vector<double> values_;   // sorted
  std::vector<double> weights_;  // > 0
  double total_ = 0;
  double rank_error_ = 0;  // in weight units
};

}  // namespace calm
