// Largest-remainder apportionment, row concatenation and seed derivation (see apportion.hpp).
#include "calm/core/apportion.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "calm/core/error.hpp"

namespace calm {

std::vector<size_t> largest_remainder(size_t n, const std::vector<double>& weights) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<size_t> counts(weights.size(), 0);
  if (total <= 0) return counts;
  std::vector<std::pair<double, size_t>> rest;
  size_t given = 0;
  for (size_t k = 0; k < weights.size(); ++k) {
    const double exact = static_cast<double>(n) * weights[k] / total;
    counts[k] = static_cast<size_t>(std::floor(exact));
    given += counts[k];
    if (weights[k] > 0) rest.emplace_back(exact - std::floor(exact), k);
  }
  std::stable_sort(rest.begin(), rest.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t r = 0; given < n && !rest.empty(); r = (r + 1) % rest.size(), ++given)
    ++counts[rest[r].second];
  return counts;
}

namespace {

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

Column concat_column(const std::vector<Table>& parts, size_t j) {
  Column out = parts[0].column(j);
  const bool has_validity = out.type == StorageType::int64 || out.type == StorageType::boolean ||
                            out.type == StorageType::datetime;
  if (has_validity && out.valid.empty()) out.valid.assign(out.size(), 1);
  std::map<std::string, int32_t> code_of;
  for (size_t k = 0; k < out.dict.size(); ++k) code_of[out.dict[k]] = static_cast<int32_t>(k);
  for (size_t p = 1; p < parts.size(); ++p) {
    const Column& c = parts[p].column(j);
    if (c.name != out.name || c.type != out.type)
      throw InternalError("concat_rows: column " + std::to_string(j) + " is '" + c.name + "' (" +
                          to_string(c.type) + ") in one part and '" + out.name + "' (" +
                          to_string(out.type) + ") in another");
    append(out.f64, c.f64);
    append(out.i64, c.i64);
    append(out.b, c.b);
    if (has_validity) {
      if (c.valid.empty())
        out.valid.insert(out.valid.end(), c.size(), 1);
      else
        append(out.valid, c.valid);
    }
    for (int32_t code : c.codes) {
      if (code < 0) {
        out.codes.push_back(code);
        continue;
      }
      auto [it, added] =
          code_of.emplace(c.dict[static_cast<size_t>(code)], static_cast<int32_t>(out.dict.size()));
      if (added) out.dict.push_back(it->first);
      out.codes.push_back(it->second);
    }
  }
  return out;
}

}  // namespace

Table concat_rows(const std::vector<Table>& parts) {
  if (parts.empty()) return Table();
  if (parts.size() == 1) return parts[0];
  std::vector<Column> columns;
  for (size_t j = 0; j < parts[0].num_columns(); ++j) {
    for (const auto& p : parts)
      if (p.num_columns() != parts[0].num_columns())
        throw InternalError("concat_rows: parts have different column counts");
    columns.push_back(concat_column(parts, j));
  }
  return Table(std::move(columns));
}

uint64_t derive_seed(uint64_t seed, uint64_t index) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace calm
