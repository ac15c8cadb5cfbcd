// Role choice, standardisation, encoding and write-back of MixedLayout.
#include "transform/mixed_layout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool numeric_semantic(SemanticType s) {
  return s == SemanticType::numerical || s == SemanticType::datetime || s == SemanticType::id;
}

bool readable_as_number(const Column& c) {
  return c.is_numeric_storage() || c.type == StorageType::datetime;
}

std::vector<double> sorted_levels(const Column& col) {
  std::vector<double> levels;
  bool missing = false;
  for (size_t i = 0; i < col.size(); ++i) {
    const double v = col.numeric(i);
    if (std::isnan(v))
      missing = true;
    else
      levels.push_back(v);
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  if (missing) levels.push_back(kNaN);
  return levels;
}

}  // namespace

int DiscreteFeature::level_of(double value) const {
  if (std::isnan(value))
    return !levels.empty() && std::isnan(levels.back()) ? static_cast<int>(levels.size()) - 1 : -1;
  const size_t present = levels.size() - (!levels.empty() && std::isnan(levels.back()));
  auto it = std::lower_bound(levels.begin(), levels.begin() + present, value);
  if (it == levels.begin() + present || *it != value) return -1;
  return static_cast<int>(it - levels.begin());
}

MixedLayout MixedLayout::fit(const Table& data, const Schema& schema, bool standardize,
                             std::optional<size_t> discrete_column) {
  MixedLayout L;
  L.rows_ = data.num_rows();
  for (size_t c = 0; c < data.num_columns(); ++c) {
    const Column& col = data.column(c);
    const SemanticType sem = schema[col.name].semantic;
    ColumnModel out;
    const bool forced = discrete_column && *discrete_column == c;
    if (!forced && sem == SemanticType::id &&
        (col.type == StorageType::categorical || col.is_numeric_storage())) {
      out = fit_column_model(col, SemanticType::id, std::nullopt);
      L.slots_.push_back({Role::id, 0});
      L.outputs_.push_back(std::move(out));
      continue;
    }
    out.prototype.name = col.name;
    out.prototype.type = col.type;
    out.prototype.format = col.format;
    if (col.type == StorageType::categorical) out.prototype.dict = col.dict;
    L.outputs_.push_back(std::move(out));

    // A numeric column with a single value has nothing to standardise: its value (and whether it
    // is missing) is a category.
    if (!forced && numeric_semantic(sem) && readable_as_number(col) &&
        schema[col.name].distinct > 1) {
      NumericFeature f;
      f.column = c;
      double sum = 0, sq = 0;
      size_t count = 0;
      for (size_t i = 0; i < col.size(); ++i) {
        const double v = col.numeric(i);
        if (!std::isfinite(v)) {
          f.has_missing = true;
          continue;
        }
        sum += v;
        ++count;
      }
      const double mean = sum / static_cast<double>(count);
      for (size_t i = 0; i < col.size(); ++i) {
        const double v = col.numeric(i);
        if (std::isfinite(v)) sq += (v - mean) * (v - mean);
      }
      const double sd = std::sqrt(sq / static_cast<double>(count));
      if (standardize) {
        f.mean = mean;
        f.scale = sd > 0 ? sd : 1.0;
      }
      L.slots_.push_back({Role::numeric, L.numerics_.size()});
      L.numerics_.push_back(f);
    } else {
      L.slots_.push_back({Role::discrete, L.discretes_.size()});
      L.discretes_.push_back({c, sorted_levels(col)});
    }
  }
  return L;
}

int MixedLayout::discrete_of_column(size_t column) const {
  const Slot& s = slots_.at(column);
  return s.role == Role::discrete ? static_cast<int>(s.index) : -1;
}

std::vector<double> MixedLayout::numeric_matrix(const Table& data) const {
  const size_t n = data.num_rows(), p = numerics_.size();
  std::vector<double> x(n * p);
  for (size_t j = 0; j < p; ++j) {
    const NumericFeature& f = numerics_[j];
    const Column& col = data.column(f.column);
    for (size_t i = 0; i < n; ++i) {
      const double v = col.numeric(i);
      x[i * p + j] = std::isfinite(v) ? (v - f.mean) / f.scale : kNaN;
    }
  }
  return x;
}

std::vector<int32_t> MixedLayout::discrete_codes(const Table& data) const {
  const size_t n = data.num_rows(), q = discretes_.size();
  std::vector<int32_t> codes(n * q);
  for (size_t j = 0; j < q; ++j) {
    const DiscreteFeature& f = discretes_[j];
    const Column& col = data.column(f.column);
    for (size_t i = 0; i < n; ++i) codes[i * q + j] = f.level_of(col.numeric(i));
  }
  return codes;
}

Table MixedLayout::build(size_t n, const std::vector<double>& numeric,
                         const std::vector<int32_t>& codes) const {
  const size_t p = numerics_.size(), q = discretes_.size();
  std::vector<Column> cols;
  std::vector<double> values(n);
  for (size_t c = 0; c < slots_.size(); ++c) {
    Column out = allocate_output(outputs_[c], n);
    const Slot& s = slots_[c];
    if (s.role == Role::numeric) {
      const NumericFeature& f = numerics_[s.index];
      for (size_t i = 0; i < n; ++i) values[i] = numeric[i * p + s.index] * f.scale + f.mean;
      write_values(out, 0, values.data(), n);
    } else if (s.role == Role::discrete) {
      const DiscreteFeature& f = discretes_[s.index];
      for (size_t i = 0; i < n; ++i) {
        const int32_t k = codes[i * q + s.index];
        values[i] = k < 0 ? kNaN : f.levels[static_cast<size_t>(k)];
      }
      write_values(out, 0, values.data(), n);
    }
    finish_output(outputs_[c], out);
    cols.push_back(std::move(out));
  }
  return Table(std::move(cols));
}

}  // namespace calm
