// MixedSpace: the HEOM-style embedding of the privacy metrics (see privacy_space.hpp).
#include "eval/privacy_space.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

namespace calm::eval {
namespace {

constexpr char kMissingLevel[] = "\x01";
// Two one-hot vectors that differ put 1 in two coordinates: scaling by 1/sqrt(2) makes the squared
// distance of a mismatch exactly 1, the same weight as a full-range numeric gap.
const double kOneHot = 1.0 / std::sqrt(2.0);

bool is_continuous(SemanticType t) {
  return t == SemanticType::numerical || t == SemanticType::datetime;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  return v[mid];
}

void append_bytes(std::string& key, const void* p, size_t n) {
  key.append(static_cast<const char*>(p), n);
}

}  // namespace

std::string level_text(const Column& c, size_t row) {
  if (c.is_missing(row)) return kMissingLevel;
  if (c.type == StorageType::categorical) return c.dict[c.codes[row]];
  return c.text(row);
}

// Numeric columns by value bytes, categorical-like ones by text; built in parallel over rows.
std::vector<std::string> row_keys(const Table& t, const Schema& schema) {
  std::vector<const Column*> numeric, categorical;
  for (const ColumnSchema& cs : schema.columns)
    if (cs.semantic != SemanticType::id)
      (is_continuous(cs.semantic) ? numeric : categorical).push_back(&t.column(cs.name));
  // Each category's key text once (its value and a terminator), not once per row.
  std::vector<std::vector<std::string>> code_text(categorical.size());
  for (size_t k = 0; k < categorical.size(); ++k) {
    const Column& c = *categorical[k];
    if (c.type != StorageType::categorical) continue;
    for (const auto& text : c.dict) code_text[k].push_back(text + '\0');
    code_text[k].push_back(std::string(kMissingLevel) + '\0');
  }
  std::vector<std::string> keys(t.num_rows());
#pragma omp parallel for schedule(static, 4096)
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string& key = keys[i];
    key.reserve(9 * numeric.size() + 8 * categorical.size());
    for (const Column* c : numeric) {
      if (c->is_missing(i)) {
        key.push_back('\0');
      } else if (c->type == StorageType::datetime) {
        append_bytes(key, &c->i64[i], sizeof(int64_t));
      } else {
        const double v = c->numeric(i) + 0.0;  // -0.0 and 0.0 compare equal: one key
        key.push_back('\1');
        append_bytes(key, &v, sizeof v);
      }
    }
    for (size_t k = 0; k < categorical.size(); ++k) {
      const Column& c = *categorical[k];
      if (c.type == StorageType::categorical) {
        key += code_text[k][c.codes[i] < 0 ? c.dict.size() : static_cast<size_t>(c.codes[i])];
      } else {
        key += level_text(c, i);
        key.push_back('\0');
      }
    }
  }
  return keys;
}

MixedSpace::MixedSpace(const Table& reference, const std::vector<const Table*>& others,
                       const Schema& schema, size_t max_levels) {
  for (const ColumnSchema& cs : schema.columns) {
    if (cs.semantic == SemanticType::id) continue;
    const Column& ref = reference.column(cs.name);
    names_.push_back(cs.name);
    if (is_continuous(cs.semantic)) {
      Numeric num{.name = cs.name};
      std::vector<double> present;
      present.reserve(ref.size());
      for (size_t i = 0; i < ref.size(); ++i)
        if (!ref.is_missing(i)) present.push_back(ref.numeric(i));
      bool any_missing = present.size() < ref.size();
      for (const Table* t : others) any_missing = any_missing || t->column(cs.name).missing_count();
      if (!present.empty()) {
        const auto [lo, hi] = std::minmax_element(present.begin(), present.end());
        num.min = *lo;
        num.scale = *hi > *lo ? 1.0 / (*hi - *lo) : 1.0;
        num.fill = (median_of(std::move(present)) - num.min) * num.scale;
      }
      num.indicator = any_missing;
      num.offset = dim_;
      dim_ += num.indicator ? 2 : 1;
      numeric_.push_back(std::move(num));
    } else {
      // Levels by real frequency; ties by text so the embedding does not depend on code order.
      std::unordered_map<std::string, size_t> counts;
      if (ref.type == StorageType::categorical) {  // count codes, then name them: no text per row
        std::vector<size_t> by_code(ref.dict.size() + 1, 0);
        for (size_t i = 0; i < ref.size(); ++i)
          ++by_code[ref.codes[i] < 0 ? ref.dict.size() : static_cast<size_t>(ref.codes[i])];
        for (size_t k = 0; k < by_code.size(); ++k)
          if (by_code[k]) counts[k < ref.dict.size() ? ref.dict[k] : kMissingLevel] += by_code[k];
      } else {
        for (size_t i = 0; i < ref.size(); ++i) ++counts[level_text(ref, i)];
      }
      std::vector<std::pair<std::string, size_t>> sorted(counts.begin(), counts.end());
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      Categorical cat{.name = cs.name};
      const size_t kept = std::min(sorted.size(), std::max<size_t>(max_levels, 1));
      for (size_t l = 0; l < kept; ++l) cat.level.emplace(sorted[l].first, l);
      cat.levels = kept + 1;  // + the shared "other" level
      cat.offset = dim_;
      dim_ += cat.levels;
      categorical_.push_back(std::move(cat));
    }
  }
}

std::vector<double> MixedSpace::embed(const Table& t, const std::vector<uint32_t>& rows) const {
  const size_t n = rows.empty() ? t.num_rows() : rows.size();
  std::vector<double> out(n * dim_, 0.0);
  auto row_at = [&](size_t r) -> size_t { return rows.empty() ? r : rows[r]; };
  for (const Numeric& num : numeric_) {
    const Column& c = t.column(num.name);
    for (size_t r = 0; r < n; ++r) {
      double* p = out.data() + r * dim_ + num.offset;
      const size_t i = row_at(r);
      if (c.is_missing(i)) {
        p[0] = num.fill;
        if (num.indicator) p[1] = 1.0;
      } else {
        p[0] = (c.numeric(i) - num.min) * num.scale;
      }
    }
  }
  for (const Categorical& cat : categorical_) {
    const Column& c = t.column(cat.name);
    auto level_of = [&](const std::string& text) {
      const auto it = cat.level.find(text);
      return it == cat.level.end() ? cat.levels - 1 : it->second;
    };
    std::vector<size_t> code_level;  // categorical storage: each code's level, found once
    if (c.type == StorageType::categorical) {
      for (const auto& text : c.dict) code_level.push_back(level_of(text));
      code_level.push_back(level_of(kMissingLevel));
    }
    for (size_t r = 0; r < n; ++r) {
      const size_t i = row_at(r);
      const size_t l = c.type != StorageType::categorical ? level_of(level_text(c, i))
                       : c.codes[i] < 0                   ? code_level.back()
                                                          : code_level[c.codes[i]];
      out[r * dim_ + cat.offset + l] = kOneHot;
    }
  }
  return out;
}

// (hash, position) of every key, sorted: equal keys sit in one run of equal hashes.
static std::vector<std::pair<uint64_t, uint32_t>> hash_order(
    const std::vector<const std::string*>& keys) {
  std::vector<std::pair<uint64_t, uint32_t>> order(keys.size());
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < keys.size(); ++i)
    order[i] = {std::hash<std::string>{}(*keys[i]), static_cast<uint32_t>(i)};
  std::sort(order.begin(), order.end());
  return order;
}

KeyIndex::KeyIndex(const std::vector<const std::vector<std::string>*>& parts) {
  for (const auto* part : parts)
    for (const std::string& k : *part) keys_.push_back(&k);
  order_ = hash_order(keys_);
}

bool KeyIndex::contains(const std::string& key) const {
  const uint64_t h = std::hash<std::string>{}(key);
  auto it = std::lower_bound(order_.begin(), order_.end(), std::pair<uint64_t, uint32_t>{h, 0});
  for (; it != order_.end() && it->first == h; ++it)
    if (*keys_[it->second] == key) return true;
  return false;
}

size_t duplicate_count(const std::vector<std::string>& keys) {
  std::vector<const std::string*> pointers;
  for (const std::string& k : keys) pointers.push_back(&k);
  const auto order = hash_order(pointers);
  size_t duplicates = 0;
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin + 1;
    while (end < order.size() && order[end].first == order[begin].first) ++end;
    for (size_t i = begin + 1; i < end; ++i)  // a run of equal hashes: compare the keys
      for (size_t j = begin; j < i; ++j)
        if (keys[order[i].second] == keys[order[j].second]) {
          ++duplicates;
          break;
        }
    begin = end;
  }
  return duplicates;
}

}  // namespace calm::eval
