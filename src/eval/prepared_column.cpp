// Builds the pandas-equivalent views of a column pair (see prepared_column.hpp). The histogram
// edges follow numpy's histogram_bin_edges/linspace arithmetic step by step (start + i * step,
// last edge = max) so that a value on an edge lands in the same bin as in numpy.
#include "eval/prepared_column.hpp"

#include <cmath>
#include <string_view>
#include <unordered_map>

namespace calm::eval {

NumericSide make_numeric_side(const Column& c) {
  NumericSide s;
  s.n = c.size();
  switch (c.type) {
    case StorageType::float64:
      s.values = c.f64.data();
      s.pandas_float = true;
      break;
    case StorageType::int64:
    case StorageType::datetime:
      s.ints = c.i64.data();
      s.owned.resize(s.n);
      for (size_t i = 0; i < s.n; ++i)
        s.owned[i] = (c.valid.empty() || c.valid[i]) ? static_cast<double>(c.i64[i]) : std::nan("");
      s.values = s.owned.data();
      break;
    default:
      s.owned.resize(s.n);
      for (size_t i = 0; i < s.n; ++i) s.owned[i] = c.numeric(i);
      s.values = s.owned.data();
  }
  bool any = false, single = true;
  for (size_t i = 0; i < s.n; ++i) {
    const double v = s.values[i];
    if (std::isnan(v)) {
      ++s.missing;
      continue;
    }
    if (!any) {
      s.min = s.max = v;
      any = true;
      continue;
    }
    single = single && v == s.min && v == s.max;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  // pandas turns an integer column with gaps into float64; datetimes stay int64 (NaT).
  if (c.type == StorageType::int64) s.pandas_float = s.missing > 0;
  s.constant = any && single;
  return s;
}

BinnedSide make_binned_side(const NumericSide& side) {
  BinnedSide out;
  constexpr int kBins = 10;
  const bool empty = side.missing == side.n;
  double first = empty ? 0.0 : side.min, last = empty ? 1.0 : side.max;
  if (!std::isfinite(first) || !std::isfinite(last)) {
    out.failed = true;
    out.error = "ValueError: autodetected range of [" + std::to_string(first) + ", " +
                std::to_string(last) + "] is not finite";
    return out;
  }
  if (first == last) first -= 0.5, last += 0.5;
  // numpy.linspace(first, last, 11): arange(11) * step + first, then the last edge set to `last`.
  std::array<double, kBins + 1> edges;
  const double delta = last - first, step = delta / kBins;
  for (int i = 0; i <= kBins; ++i)
    edges[i] = step == 0 ? (static_cast<double>(i) / kBins) * delta + first
                         : static_cast<double>(i) * step + first;
  edges[kBins] = last;
  out.bins.resize(side.n);
  for (size_t i = 0; i < side.n; ++i) {
    const double v = side.values[i];
    // np.digitize(right=False) = searchsorted(side='right'): the number of edges <= v; NaN sorts
    // after every edge.
    uint8_t b = kBins + 1;
    if (!std::isnan(v)) {
      b = 0;
      for (int k = 0; k <= kBins; ++k) b += edges[k] <= v;
    }
    out.bins[i] = b;
  }
  return out;
}

namespace {

// Assigns shared ids to values as they are first seen, in either table.
template <typename Key, typename Hash = std::hash<Key>>
class ValueIds {
 public:
  int32_t id(const Key& k) {
    auto [it, inserted] = ids_.try_emplace(k, static_cast<int32_t>(ids_.size()));
    return it->second;
  }
  int32_t size() const { return static_cast<int32_t>(ids_.size()); }

 private:
  std::unordered_map<Key, int32_t, Hash> ids_;
};

bool is_number_storage(StorageType t) {
  return t == StorageType::float64 || t == StorageType::int64;
}

void finish(DiscreteSide& s) {
  s.missing = 0;
  for (int32_t c : s.codes) s.missing += c < 0;
}

}  // namespace

int32_t make_discrete_sides(const Column& real, const Column& synthetic, DiscreteSide& real_out,
                            DiscreteSide& synthetic_out) {
  const Column* cols[2] = {&real, &synthetic};
  DiscreteSide* outs[2] = {&real_out, &synthetic_out};
  int32_t cardinality = 0;
  if (real.type == StorageType::categorical && synthetic.type == StorageType::categorical) {
    // Map each dictionary once, then the codes through it: O(rows + dictionary).
    ValueIds<std::string_view> ids;
    for (int t = 0; t < 2; ++t) {
      std::vector<int32_t> remap(cols[t]->dict.size());
      for (size_t k = 0; k < remap.size(); ++k) remap[k] = ids.id(cols[t]->dict[k]);
      auto& codes = outs[t]->codes;
      codes.resize(cols[t]->size());
      for (size_t i = 0; i < codes.size(); ++i) {
        const int32_t c = cols[t]->codes[i];
        codes[i] = c < 0 ? -1 : remap[c];
      }
    }
    cardinality = ids.size();
  } else if (real.type == StorageType::boolean && synthetic.type == StorageType::boolean) {
    for (int t = 0; t < 2; ++t) {
      auto& codes = outs[t]->codes;
      codes.resize(cols[t]->size());
      for (size_t i = 0; i < codes.size(); ++i)
        codes[i] = cols[t]->is_missing(i) ? -1 : cols[t]->b[i];
    }
    cardinality = 2;
  } else if (is_number_storage(real.type) && is_number_storage(synthetic.type)) {
    // pandas compares 1 and 1.0 as equal, so numbers are keyed by their double value.
    ValueIds<double> ids;
    for (int t = 0; t < 2; ++t) {
      auto& codes = outs[t]->codes;
      codes.resize(cols[t]->size());
      for (size_t i = 0; i < codes.size(); ++i) {
        const double v = cols[t]->numeric(i);
        codes[i] = std::isnan(v) ? -1 : ids.id(v);
      }
    }
    cardinality = ids.size();
  } else {
    // Different storage in the two tables (for example text in one, numbers in the other):
    // compare the values as the CSV writer prints them.
    ValueIds<std::string> ids;
    for (int t = 0; t < 2; ++t) {
      auto& codes = outs[t]->codes;
      codes.resize(cols[t]->size());
      for (size_t i = 0; i < codes.size(); ++i)
        codes[i] = cols[t]->is_missing(i) ? -1 : ids.id(cols[t]->text(i));
    }
    cardinality = ids.size();
  }
  finish(real_out);
  finish(synthetic_out);
  return cardinality;
}

}  // namespace calm::eval
