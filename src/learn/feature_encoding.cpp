// Table -> XGBoost feature encoding (see feature_encoding.hpp).
#include "learn/feature_encoding.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "calm/core/error.hpp"

namespace calm::xgb {

namespace {

constexpr double kNsPerDay = 86400e9;

// Calls fn(key_text_or_empty, key_value, row) for the non-missing rows of a categorical-like
// column: dictionary text for categorical storage, the numeric value otherwise.
template <typename Fn>
void for_each_level_cell(const Column& c, Fn&& fn) {
  for (size_t r = 0; r < c.size(); ++r) {
    if (c.is_missing(r)) continue;
    if (c.type == StorageType::categorical)
      fn(&c.dict[c.codes[r]], 0.0, r);
    else
      fn(nullptr, c.numeric(r), r);
  }
}

int find_level(const FeatureColumn& fc, const Column& c, size_t r) {
  if (c.is_missing(r)) return -1;
  if (c.type == StorageType::categorical) {
    auto it = fc.by_text.find(c.dict[c.codes[r]]);
    return it == fc.by_text.end() ? -1 : it->second;
  }
  auto it = fc.by_value.find(c.numeric(r));
  return it == fc.by_value.end() ? -1 : it->second;
}

// Appends the levels of `c` unknown to `fc`; with `count` the new levels are ordered by
// decreasing frequency (ties: first seen) and their counts and a row recorded.
void learn_levels(FeatureColumn& fc, const Column& c, bool count) {
  std::vector<std::string> names;
  std::vector<size_t> counts;
  std::vector<int64_t> rows;
  std::unordered_map<std::string, int> new_text;
  std::unordered_map<double, int> new_value;
  for_each_level_cell(c, [&](const std::string* text, double v, size_t r) {
    int k;
    if (text) {
      if (fc.by_text.count(*text)) return;
      auto [it, fresh] = new_text.emplace(*text, static_cast<int>(names.size()));
      k = it->second;
      if (fresh) names.push_back(*text);
    } else {
      if (fc.by_value.count(v)) return;
      auto [it, fresh] = new_value.emplace(v, static_cast<int>(names.size()));
      k = it->second;
      if (fresh) names.push_back(c.text(r));
    }
    if (static_cast<size_t>(k) == counts.size()) counts.push_back(0), rows.push_back(r);
    ++counts[k];
  });
  std::vector<int> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  if (count)
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return counts[a] > counts[b]; });
  std::vector<int> code_of(names.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const int k = order[i];
    code_of[k] = static_cast<int>(fc.level_names.size());
    fc.level_names.push_back(names[k]);
    fc.level_count.push_back(count ? counts[k] : 0);
    fc.level_row.push_back(count ? rows[k] : -1);
  }
  for (auto& [t, k] : new_text) fc.by_text.emplace(t, code_of[k]);
  for (auto& [v, k] : new_value) fc.by_value.emplace(v, code_of[k]);
}

}  // namespace

FeatureEncoder FeatureEncoder::fit(const Table& t, const Schema& schema,
                                   const std::vector<std::string>& columns) {
  FeatureEncoder e;
  for (const auto& name : columns) {
    const ColumnSchema& s = schema[name];
    const Column& c = t.column(name);
    FeatureColumn fc;
    fc.name = name;
    switch (s.semantic) {
      case SemanticType::id:
        throw InternalError("column '" + name + "' is an id and cannot be a model feature");
      case SemanticType::categorical:
      case SemanticType::boolean:
        fc.categorical = true;
        learn_levels(fc, c, true);
        break;
      case SemanticType::datetime:
        fc.datetime = true;
        break;
      case SemanticType::numerical: {
        double lo = std::numeric_limits<double>::infinity();
        for (size_t r = 0; r < c.size(); ++r) {
          const double v = c.numeric(r);
          if (!std::isnan(v)) lo = std::min(lo, v);
        }
        fc.offset = std::isfinite(lo) ? lo : 0.0;
        break;
      }
    }
    e.features_.push_back(std::move(fc));
  }
  return e;
}

void FeatureEncoder::add_levels(const Table& t) {
  for (auto& fc : features_)
    if (fc.categorical) learn_levels(fc, t.column(fc.name), false);
}

int FeatureEncoder::level(size_t f, const Column& c, size_t r) const {
  return find_level(features_[f], c, r);
}

double FeatureEncoder::value(size_t f, const Column& c, size_t r) const {
  const FeatureColumn& fc = features_[f];
  if (fc.categorical) {
    const int k = find_level(fc, c, r);
    return k < 0 ? std::nan("") : k;
  }
  const double v = c.numeric(r);
  return fc.datetime ? v / kNsPerDay : v - fc.offset;
}

double FeatureEncoder::decode(size_t f, double encoded) const {
  const FeatureColumn& fc = features_[f];
  return fc.datetime ? encoded * kNsPerDay : encoded + fc.offset;
}

DenseMatrix FeatureEncoder::encode(const Table& t) const {
  DenseMatrix x;
  x.rows = t.num_rows();
  x.cols = features_.size();
  x.values.resize(x.rows * x.cols);
  x.categorical.resize(x.cols);
  for (size_t f = 0; f < x.cols; ++f) {
    const Column& c = t.column(features_[f].name);
    x.categorical[f] = features_[f].categorical;
    for (size_t r = 0; r < x.rows; ++r)
      x.values[r * x.cols + f] = static_cast<float>(value(f, c, r));
  }
  return x;
}

}  // namespace calm::xgb
