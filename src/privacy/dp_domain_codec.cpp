// A table to and from its DP domain's codes and continuous features (see dp_domain.hpp).
#include <omp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "calm/core/error.hpp"
#include "privacy/dp_domain.hpp"
#include "transform/fresh_ids.hpp"

namespace calm {
namespace {

// The decoder's random streams: apart from every model's sampling streams (which count chunks
// from stream_id(sample, 0)).
constexpr uint64_t kDecodeStreams = 1ULL << 56;

bool numeric_semantic(const DomainColumn& c) {
  return c.semantic == SemanticType::numerical || c.semantic == SemanticType::datetime;
}
bool boolean_storage(const DomainColumn& c) {
  return c.semantic == SemanticType::boolean && c.storage == StorageType::boolean;
}

int bin_of(const DomainColumn& c, double v) {
  const int bins = static_cast<int>(c.edges.size()) - 1;
  const auto it = std::upper_bound(c.edges.begin(), c.edges.end(), v);
  return std::clamp(static_cast<int>(it - c.edges.begin()) - 1, 0, bins - 1);
}

std::vector<int32_t> encode_column(const DomainColumn& c, const Column& col) {
  const int missing = c.size() - 1;
  std::vector<int32_t> codes(col.size(), missing);
  if (numeric_semantic(c)) {
    for (size_t i = 0; i < col.size(); ++i) {
      const double v = col.numeric(i);
      if (std::isfinite(v)) codes[i] = bin_of(c, v);
    }
  } else if (boolean_storage(c)) {
    for (size_t i = 0; i < col.size(); ++i)
      if (!col.is_missing(i)) codes[i] = col.b[i] ? 1 : 0;
  } else {
    std::unordered_map<std::string, int32_t> level;
    for (size_t l = 0; l < c.levels.size(); ++l) level.emplace(c.levels[l], l);
    for (size_t i = 0; i < col.size(); ++i) {
      if (col.is_missing(i)) continue;
      auto it = level.find(col.text(i));
      if (it != level.end()) codes[i] = it->second;
    }
  }
  return codes;
}

// Deterministic chunked loop over rows with one Rng per chunk.
template <typename Fn>
void for_rows(size_t n, uint64_t seed, uint64_t column, int threads, Fn&& fn) {
  const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
  for (size_t k = 0; k < chunks; ++k) {
    Rng rng(seed, stream_id(StreamPurpose::sample, kDecodeStreams + (column << 32) + k));
    for (size_t i = k * kSampleChunk; i < std::min(n, (k + 1) * kSampleChunk); ++i) fn(i, rng);
  }
}

// A value uniform within bin b (an integer for integer columns: their edges are half-integers).
double draw_in_bin(const DomainColumn& c, int b, Rng& rng) {
  const double lo = c.edges[b], hi = c.edges[b + 1];
  if (!c.integer) return lo + (hi - lo) * rng.uniform();
  const double first = std::ceil(lo), last = std::floor(hi);
  if (last <= first) return first;
  return first + static_cast<double>(rng.below(static_cast<uint64_t>(last - first) + 1));
}

// A numeric column of the declared storage from values (NaN = missing).
Column numeric_column(const DomainColumn& c, std::vector<double> v) {
  Column out;
  if (c.storage == StorageType::float64) {
    out = Column::float64(c.name, std::move(v));
  } else {
    std::vector<int64_t> i64(v.size(), 0);
    std::vector<uint8_t> valid(v.size(), 1);
    bool any_missing = false;
    for (size_t i = 0; i < v.size(); ++i) {
      if (std::isnan(v[i])) {
        valid[i] = 0;
        any_missing = true;
      } else {
        i64[i] = static_cast<int64_t>(std::llround(v[i]));
      }
    }
    if (!any_missing) valid.clear();
    out = c.storage == StorageType::datetime ? Column::datetime(c.name, std::move(i64), valid)
                                             : Column::int64(c.name, std::move(i64), valid);
  }
  out.format = c.format;
  return out;
}

// A categorical-semantic column of the declared storage from level codes (-1 = missing).
Column level_column(const DomainColumn& c, const std::vector<int32_t>& level) {
  const size_t n = level.size();
  Column out;
  if (boolean_storage(c)) {
    std::vector<uint8_t> b(n, 0), valid(n, 1);
    for (size_t i = 0; i < n; ++i) {
      if (level[i] < 0)
        valid[i] = 0;
      else
        b[i] = static_cast<uint8_t>(level[i]);
    }
    if (std::all_of(valid.begin(), valid.end(), [](uint8_t x) { return x; })) valid.clear();
    out = Column::boolean(c.name, std::move(b), std::move(valid));
  } else if (c.storage == StorageType::categorical) {
    out = Column::categorical(c.name, level, c.levels);
  } else {
    // Levels of a numeric-stored categorical column are its numbers' texts.
    std::vector<double> values(c.levels.size());
    for (size_t l = 0; l < c.levels.size(); ++l) {
      const std::string& t = c.levels[l];
      double x = NAN;
      std::from_chars(t.data(), t.data() + t.size(), x);
      values[l] = x;
    }
    std::vector<double> v(n, NAN);
    for (size_t i = 0; i < n; ++i)
      if (level[i] >= 0) v[i] = values[level[i]];
    return numeric_column(c, std::move(v));
  }
  out.format = c.format;
  return out;
}

Column id_column(const DomainColumn& c, size_t n) {
  if (c.storage == StorageType::int64 || c.storage == StorageType::float64 ||
      c.storage == StorageType::categorical) {
    Column proto;
    proto.name = c.name;
    proto.type = c.storage;
    proto.format = c.format;
    return fresh_ids(proto, n);
  }
  // A boolean or datetime "id" cannot be made unique without copying real values: missing.
  return numeric_column(c, std::vector<double>(n, NAN));
}

}  // namespace

CodedTable DpDomain::encode(const Table& data) const {
  CodedTable t;
  for (size_t j : attribute_columns_) {
    const DomainColumn& c = columns_[j];
    t.sizes.push_back(c.size());
    t.codes.push_back(encode_column(c, data.column(c.name)));
  }
  return t;
}

Table DpDomain::decode(const std::vector<std::vector<int32_t>>& codes, uint64_t seed,
                       int threads) const {
  if (codes.size() != attribute_columns_.size())
    throw InternalError("DP decode: " + std::to_string(codes.size()) + " attributes, expected " +
                        std::to_string(attribute_columns_.size()));
  const size_t n = codes.empty() ? 0 : codes.front().size();
  std::vector<Column> out;
  size_t a = 0;
  for (size_t j = 0; j < columns_.size(); ++j) {
    const DomainColumn& c = columns_[j];
    if (c.semantic == SemanticType::id) {
      out.push_back(id_column(c, n));
      continue;
    }
    const std::vector<int32_t>& code = codes[a++];
    const int32_t missing = c.size() - 1;
    if (numeric_semantic(c)) {
      std::vector<double> v(n, NAN);
      for_rows(n, seed, j, threads, [&](size_t i, Rng& rng) {
        if (code[i] != missing) v[i] = draw_in_bin(c, code[i], rng);
      });
      out.push_back(numeric_column(c, std::move(v)));
    } else {
      std::vector<int32_t> level(code);
      for (int32_t& l : level)
        if (l == missing) l = -1;
      out.push_back(level_column(c, level));
    }
  }
  return Table(std::move(out));
}

DpDomain::Features DpDomain::encode_features(const Table& data) const {
  Features f;
  for (size_t j : attribute_columns_) {
    const DomainColumn& c = columns_[j];
    const Column& col = data.column(c.name);
    if (!numeric_semantic(c)) {
      f.levels.push_back(c.size());
      const auto codes = encode_column(c, col);
      f.values.emplace_back(codes.begin(), codes.end());
      continue;
    }
    const double lo = c.edges.front(), hi = c.edges.back();
    std::vector<float> value(col.size(), 0.0f), flag(col.size(), 1.0f);
    for (size_t i = 0; i < col.size(); ++i) {
      const double v = col.numeric(i);
      if (!std::isfinite(v)) continue;
      value[i] = static_cast<float>(std::clamp((v - lo) / (hi - lo) * 2 - 1, -1.0, 1.0));
      flag[i] = 0.0f;
    }
    f.levels.push_back(0);
    f.values.push_back(std::move(value));
    f.levels.push_back(2);
    f.values.push_back(std::move(flag));
  }
  return f;
}

Table DpDomain::decode_features(const Features& f, uint64_t seed, int threads) const {
  (void)seed;
  (void)threads;
  const size_t n = f.values.empty() ? 0 : f.values.front().size();
  std::vector<Column> out;
  size_t k = 0;
  for (const DomainColumn& c : columns_) {
    if (c.semantic == SemanticType::id) {
      out.push_back(id_column(c, n));
      continue;
    }
    if (k >= f.values.size()) throw InternalError("DP decode_features: too few features");
    if (!numeric_semantic(c)) {
      const int32_t missing = c.size() - 1;
      std::vector<int32_t> level(n);
      for (size_t i = 0; i < n; ++i) {
        const auto l = static_cast<int32_t>(std::lround(f.values[k][i]));
        level[i] = l < 0 || l >= missing ? -1 : l;
      }
      ++k;
      out.push_back(level_column(c, level));
      continue;
    }
    const double lo = c.edges.front(), hi = c.edges.back();
    std::vector<double> v(n, NAN);
    for (size_t i = 0; i < n; ++i) {
      if (f.values[k + 1][i] >= 0.5f) continue;
      double x =
          lo + (std::clamp(static_cast<double>(f.values[k][i]), -1.0, 1.0) + 1) / 2 * (hi - lo);
      if (c.integer) x = std::clamp(std::round(x), std::ceil(lo), std::floor(hi));
      v[i] = x;
    }
    k += 2;
    out.push_back(numeric_column(c, std::move(v)));
  }
  return Table(std::move(out));
}

}  // namespace calm
