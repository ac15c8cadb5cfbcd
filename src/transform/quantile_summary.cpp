// Weighted quantile summary: sorted points, compressed at evenly spaced ranks (bounds in the
// header).
#include "transform/quantile_summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"

namespace calm {

QuantileSummary::QuantileSummary(size_t capacity) : capacity_(capacity) {
  if (capacity_ < 2) throw InvalidArgument("a quantile summary needs a capacity of at least 2");
}

void QuantileSummary::add(std::vector<double> values) {
  for (double v : values)
    if (!std::isfinite(v)) throw InternalError("QuantileSummary::add: a value that is not finite");
  QuantileSummary part(capacity_);
  std::sort(values.begin(), values.end());
  part.total_ = static_cast<double>(values.size());
  part.weights_.assign(values.size(), 1.0);
  part.values_ = std::move(values);
  if (part.values_.size() > capacity_) part.compress(capacity_);
  merge(part);
}

void QuantileSummary::merge(const QuantileSummary& other) {
  if (other.total_ == 0) return;
  std::vector<double> values(values_.size() + other.values_.size());
  std::vector<double> weights(values.size());
  // Ties order by weight, so that a.merge(b) and b.merge(a) give the same points.
  size_t i = 0, j = 0, k = 0;
  while (i < values_.size() || j < other.values_.size()) {
    const bool mine = j == other.values_.size() ||
                      (i < values_.size() &&
                       (values_[i] < other.values_[j] ||
                        (values_[i] == other.values_[j] && weights_[i] <= other.weights_[j])));
    values[k] = mine ? values_[i] : other.values_[j];
    weights[k++] = mine ? weights_[i++] : other.weights_[j++];
  }
  values_ = std::move(values);
  weights_ = std::move(weights);
  total_ += other.total_;
  rank_error_ += other.rank_error_;
  capacity_ = std::max(capacity_, other.capacity_);
  // Up to twice the capacity is kept as it is: fewer compressions, each adding to the bound.
  if (values_.size() > 2 * capacity_) compress(capacity_);
}

void QuantileSummary::compress(size_t points) {
  std::vector<double> values(points);
  const double step = total_ / static_cast<double>(points);
  double cumulative = 0;
  size_t i = 0;
  for (size_t k = 0; k < points; ++k) {
    const double rank = (static_cast<double>(k) + 0.5) * step;
    while (i + 1 < values_.size() && cumulative + weights_[i] < rank) cumulative += weights_[i++];
    values[k] = values_[i];
  }
  values_ = std::move(values);
  weights_.assign(points, step);
  rank_error_ += step / 2;
}

std::vector<double> QuantileSummary::representative() const {
  if (exact() || values_.size() <= 1) return values_;
  QuantileSummary even = *this;
  even.compress(std::min(capacity_, values_.size()));
  return even.values_;
}

void QuantileSummary::save(ArchiveWriter& out) const {
  out.tag("quantile-summary");
  out.u64(capacity_);
  out.f64s(values_);
  out.f64s(weights_);
  out.f64(total_);
  out.f64(rank_error_);
}

QuantileSummary QuantileSummary::load(ArchiveReader& in) {
  in.tag("quantile-summary");
  const uint64_t capacity = in.u64();
  if (capacity < 2 || capacity > (uint64_t{1} << 24))
    throw DataError("quantile summary: capacity out of range");
  QuantileSummary s(static_cast<size_t>(capacity));
  s.values_ = in.f64s();
  s.weights_ = in.f64s();
  s.total_ = in.f64();
  s.rank_error_ = in.f64();
  if (s.values_.size() != s.weights_.size() ||
      !std::is_sorted(s.values_.begin(), s.values_.end()) || !(s.total_ >= 0) ||
      !(s.rank_error_ >= 0))
    throw DataError("quantile summary: inconsistent points");
  return s;
}

}  // namespace calm
