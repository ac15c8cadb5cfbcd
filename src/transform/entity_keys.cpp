// Fresh entity keys in the real keys' look (see entity_keys.hpp).
#include "transform/entity_keys.hpp"

#include <algorithm>
#include <cctype>

#include "calm/core/error.hpp"

namespace calm {
namespace {

bool digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

constexpr size_t kNameWidth = 4;

}  // namespace

EntityKeys EntityKeys::fit(const Column& real) {
  EntityKeys k;
  k.name_ = real.name;
  k.type_ = real.type;
  k.format_ = real.format;
  if (real.type == StorageType::boolean || real.type == StorageType::datetime)
    throw DataError("sequence_key '" + real.name + "' holds " + to_string(real.type) +
                    " values; fresh entity keys need numbers or text");
  if (real.type != StorageType::categorical) return k;
  std::vector<const std::string*> keys;
  for (int32_t c : real.codes)
    if (c >= 0) keys.push_back(&real.dict[static_cast<size_t>(c)]);
  // Common prefix without trailing digits, common suffix without leading digits.
  std::string prefix = keys.empty() ? "" : *keys.front(), suffix = prefix;
  for (const std::string* s : keys) {
    size_t p = 0;
    while (p < prefix.size() && p < s->size() && prefix[p] == (*s)[p]) ++p;
    prefix.resize(p);
    size_t q = 0;
    while (q < suffix.size() && q < s->size() &&
           suffix[suffix.size() - 1 - q] == (*s)[s->size() - 1 - q])
      ++q;
    suffix = suffix.substr(suffix.size() - q);
  }
  while (!prefix.empty() && digit(prefix.back())) prefix.pop_back();
  while (!suffix.empty() && digit(suffix.front())) suffix.erase(0, 1);
  bool pattern = !keys.empty();
  size_t width = 0;
  bool same_width = true;
  for (const std::string* s : keys) {
    if (s->size() < prefix.size() + suffix.size() + 1) {
      pattern = false;
      break;
    }
    const std::string middle = s->substr(prefix.size(), s->size() - prefix.size() - suffix.size());
    pattern = pattern && std::all_of(middle.begin(), middle.end(), digit);
    same_width = same_width && (width == 0 || width == middle.size());
    width = middle.size();
  }
  if (pattern) {
    k.prefix_ = prefix;
    k.suffix_ = suffix;
    k.width_ = same_width ? width : 1;
  } else {
    k.prefix_ = real.name + "_";
    k.width_ = kNameWidth;
  }
  return k;
}

Column EntityKeys::make(const std::vector<size_t>& lengths, size_t first) const {
  size_t rows = 0;
  for (size_t l : lengths) rows += l;
  Column c;
  c.name = name_;
  c.type = type_;
  c.format = format_;
  size_t r = 0;
  switch (type_) {
    case StorageType::int64:
      c.i64.resize(rows);
      for (size_t e = 0; e < lengths.size(); ++e)
        for (size_t k = 0; k < lengths[e]; ++k) c.i64[r++] = static_cast<int64_t>(first + e);
      break;
    case StorageType::float64:
      c.f64.resize(rows);
      for (size_t e = 0; e < lengths.size(); ++e)
        for (size_t k = 0; k < lengths[e]; ++k) c.f64[r++] = static_cast<double>(first + e);
      break;
    default:
      c.codes.resize(rows);
      for (size_t e = 0; e < lengths.size(); ++e) {
        std::string digits = std::to_string(first + e);
        if (digits.size() < width_) digits.insert(0, width_ - digits.size(), '0');
        c.dict.push_back(prefix_ + digits + suffix_);
        for (size_t k = 0; k < lengths[e]; ++k) c.codes[r++] = static_cast<int32_t>(e);
      }
  }
  return c;
}

void EntityKeys::save(ArchiveWriter& out) const {
  out.tag("entity-keys-v1");
  out.str(name_);
  out.u64(static_cast<uint64_t>(type_));
  out.i64(format_.decimals);
  out.str(prefix_);
  out.str(suffix_);
  out.u64(width_);
}

EntityKeys EntityKeys::load(ArchiveReader& in) {
  in.tag("entity-keys-v1");
  EntityKeys k;
  k.name_ = in.str();
  const uint64_t type = in.u64();
  if (type != static_cast<uint64_t>(StorageType::int64) &&
      type != static_cast<uint64_t>(StorageType::float64) &&
      type != static_cast<uint64_t>(StorageType::categorical))
    throw DataError("entity keys: bad key storage type");
  k.type_ = static_cast<StorageType>(type);
  k.format_.decimals = static_cast<int>(in.i64());
  k.prefix_ = in.str();
  k.suffix_ = in.str();
  k.width_ = in.u64();
  if (k.width_ > 64) throw DataError("entity keys: bad key width");
  return k;
}

}  // namespace calm
