// Partition sketches of the distributed copula fit: built from one partition, merged exactly
// (counts, ranges, distinct values while tracked) or within the quantile summary's bound.
#include "models/copula/table_sketch.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"

namespace calm {
namespace {

bool numeric_storage(StorageType t) {
  return t == StorageType::float64 || t == StorageType::int64 || t == StorageType::datetime;
}

size_t common_prefix(const std::string& a, const std::string& b) {
  size_t k = 0;
  while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
  return k;
}

template <typename Key>
void merge_counts(std::map<Key, uint64_t>& into, const std::map<Key, uint64_t>& from) {
  for (const auto& [key, count] : from) into[key] += count;
}

// Drops the distinct values once they are too many to keep; the count seen so far stays as a floor.
template <typename Key>
void cap_tracked(ColumnSketch& c, std::map<Key, uint64_t>& values, size_t cap) {
  if (values.size() <= cap) return;
  c.tracked = false;
  c.distinct_floor = std::max<uint64_t>(c.distinct_floor, values.size());
  values.clear();
}

ColumnSketch sketch_column(const Column& col) {
  ColumnSketch s;
  s.name = col.name;
  s.storage = col.type;
  s.format = col.format;
  s.rows = col.size();
  s.integer = col.type == StorageType::int64 || col.type == StorageType::float64;
  std::vector<double> finite;
  for (size_t i = 0; i < col.size(); ++i) {
    if (col.is_missing(i)) {
      ++s.missing;
      continue;
    }
    if (col.type == StorageType::categorical) {
      const std::string& text = col.dict[static_cast<size_t>(col.codes[i])];
      auto [it, fresh] = s.texts.emplace(text, 0);
      s.keys_unique = s.keys_unique && fresh;
      ++it->second;
      if (!s.any_present) {
        s.key_prefix = text;
      } else {
        s.key_prefix.resize(common_prefix(s.key_prefix, text));
      }
      s.key_longest = std::max(s.key_longest, text.size());
      s.any_present = true;
      continue;
    }
    const double v = col.numeric(i);
    s.min = s.any_present ? std::min(s.min, v) : v;
    s.max = s.any_present ? std::max(s.max, v) : v;
    s.any_present = true;
    ++s.numbers[v];
    if (col.type == StorageType::float64 && v != std::floor(v)) s.integer = false;
    if (std::isfinite(v))
      finite.push_back(v);
    else
      ++s.non_finite;
  }
  if (col.type == StorageType::float64) s.integer = s.integer && s.format.decimals <= 0;
  if (numeric_storage(col.type)) s.quantiles.add(std::move(finite));
  cap_tracked(s, s.numbers, kMaxTrackedNumbers);
  cap_tracked(s, s.texts, kMaxTrackedTexts);
  return s;
}

void merge_column(ColumnSketch& a, const ColumnSketch& b) {
  if (a.name != b.name || a.storage != b.storage)
    throw InvalidArgument("partitions differ in column '" + a.name + "' (" + to_string(a.storage) +
                          ") and '" + b.name + "' (" + to_string(b.storage) +
                          "): every partition must have the same columns and dtypes");
  a.format.decimals = std::max(a.format.decimals, b.format.decimals);
  a.format.date_only = a.format.date_only && b.format.date_only;
  if (b.any_present) {
    a.min = a.any_present ? std::min(a.min, b.min) : b.min;
    a.max = a.any_present ? std::max(a.max, b.max) : b.max;
    a.key_prefix = a.any_present ? a.key_prefix.substr(0, common_prefix(a.key_prefix, b.key_prefix))
                                 : b.key_prefix;
  }
  a.any_present = a.any_present || b.any_present;
  a.key_longest = std::max(a.key_longest, b.key_longest);
  a.integer = a.integer && b.integer;
  a.rows += b.rows;
  a.missing += b.missing;
  a.non_finite += b.non_finite;
  a.keys_unique = a.keys_unique && b.keys_unique;
  if (a.tracked && b.tracked) {
    if (a.keys_unique)
      for (const auto& entry : b.texts)
        if (a.texts.count(entry.first)) a.keys_unique = false;
    merge_counts(a.numbers, b.numbers);
    merge_counts(a.texts, b.texts);
    cap_tracked(a, a.numbers, kMaxTrackedNumbers);
    cap_tracked(a, a.texts, kMaxTrackedTexts);
  } else {
    a.distinct_floor = std::max({a.distinct(), b.distinct()});
    a.tracked = false;
    a.numbers.clear();
    a.texts.clear();
  }
  a.quantiles.merge(b.quantiles);
}

void save_column(ArchiveWriter& out, const ColumnSketch& c) {
  out.str(c.name);
  out.u64(static_cast<uint64_t>(c.storage));
  out.i64(c.format.decimals);
  out.boolean(c.format.date_only);
  out.str(c.format.true_token);
  out.str(c.format.false_token);
  for (uint64_t v : {c.rows, c.missing, c.non_finite, c.distinct_floor, uint64_t{c.key_longest}})
    out.u64(v);
  for (bool v : {c.any_present, c.integer, c.tracked, c.keys_unique}) out.boolean(v);
  out.f64(c.min);
  out.f64(c.max);
  std::vector<double> numbers;
  std::vector<int64_t> number_counts, text_counts;
  std::vector<std::string> texts;
  for (const auto& [v, n] : c.numbers) numbers.push_back(v), number_counts.push_back(n);
  for (const auto& [t, n] : c.texts) texts.push_back(t), text_counts.push_back(n);
  out.f64s(numbers);
  out.i64s(number_counts);
  out.strs(texts);
  out.i64s(text_counts);
  out.str(c.key_prefix);
  c.quantiles.save(out);
}

ColumnSketch load_column(ArchiveReader& in) {
  ColumnSketch c;
  c.name = in.str();
  const uint64_t storage = in.u64();
  if (storage > static_cast<uint64_t>(StorageType::datetime))
    throw DataError("table sketch: unknown storage type");
  c.storage = static_cast<StorageType>(storage);
  c.format.decimals = static_cast<int>(std::clamp<int64_t>(in.i64(), -1, 64));
  c.format.date_only = in.boolean();
  c.format.true_token = in.str();
  c.format.false_token = in.str();
  c.rows = in.u64();
  c.missing = in.u64();
  c.non_finite = in.u64();
  c.distinct_floor = in.u64();
  c.key_longest = in.u64();
  c.any_present = in.boolean();
  c.integer = in.boolean();
  c.tracked = in.boolean();
  c.keys_unique = in.boolean();
  c.min = in.f64();
  c.max = in.f64();
  const std::vector<double> numbers = in.f64s();
  const std::vector<int64_t> number_counts = in.i64s();
  const std::vector<std::string> texts = in.strs();
  const std::vector<int64_t> text_counts = in.i64s();
  if (numbers.size() != number_counts.size() || texts.size() != text_counts.size() ||
      c.missing > c.rows)
    throw DataError("table sketch: inconsistent counts");
  for (size_t k = 0; k < numbers.size(); ++k) {
    if (number_counts[k] <= 0) throw DataError("table sketch: a count below 1");
    c.numbers[numbers[k]] = static_cast<uint64_t>(number_counts[k]);
  }
  for (size_t k = 0; k < texts.size(); ++k) {
    if (text_counts[k] <= 0) throw DataError("table sketch: a count below 1");
    c.texts[texts[k]] = static_cast<uint64_t>(text_counts[k]);
  }
  c.key_prefix = in.str();
  c.quantiles = QuantileSummary::load(in);
  return c;
}

}  // namespace

size_t ColumnSketch::distinct() const {
  if (!tracked) return distinct_floor;
  return storage == StorageType::categorical ? texts.size() : numbers.size();
}

TableSketch TableSketch::of(const Table& partition) {
  TableSketch s;
  s.rows = partition.num_rows();
  for (size_t j = 0; j < partition.num_columns(); ++j)
    s.columns.push_back(sketch_column(partition.column(j)));
  return s;
}

void TableSketch::merge(const TableSketch& other) {
  if (other.columns.size() != columns.size()) {
    std::vector<std::string> mine, theirs;
    for (const auto& c : columns) mine.push_back(c.name);
    for (const auto& c : other.columns) theirs.push_back(c.name);
    throw InvalidArgument("partitions have different columns (" + join_names(mine) + " and " +
                          join_names(theirs) + ")");
  }
  for (size_t j = 0; j < columns.size(); ++j) merge_column(columns[j], other.columns[j]);
  rows += other.rows;
}

std::string TableSketch::to_bytes() const {
  ArchiveWriter out;
  out.tag("calm-table-sketch-v1");
  out.u64(rows);
  out.u64(columns.size());
  for (const auto& c : columns) save_column(out, c);
  return out.take();
}

TableSketch TableSketch::from_bytes(std::string_view bytes) {
  ArchiveReader in(bytes, "table sketch");
  in.tag("calm-table-sketch-v1");
  TableSketch s;
  s.rows = in.u64();
  const uint64_t n = in.u64();
  for (uint64_t j = 0; j < n; ++j) s.columns.push_back(load_column(in));
  return s;
}

Schema sketch_schema(const TableSketch& sketch, const SchemaOptions& options) {
  if (sketch.columns.empty()) throw DataError("the table has no columns");
  if (sketch.rows == 0) throw DataError("the table has no rows (every partition is empty)");
  Schema schema;
  for (const auto& c : sketch.columns) {
    ColumnSchema s;
    s.name = c.name;
    s.storage = c.storage;
    s.missing = c.missing;
    s.distinct = c.distinct();
    // Text keys repeated in no partition are taken as all distinct once too many to track.
    if (!c.tracked && c.storage == StorageType::categorical && c.keys_unique)
      s.distinct = c.rows - c.missing;
    s.decimals = c.format.decimals;
    s.min = c.any_present ? c.min : 0;
    s.max = c.any_present ? c.max : 0;
    // Text columns: the range of their codes, as infer_schema gives it (first appearance
    // numbers them from 0; a merged dictionary is in text order).
    if (c.storage == StorageType::categorical && c.any_present) {
      s.min = 0;
      s.max = static_cast<double>(s.distinct) - 1;
    }
    s.integer = c.integer && c.any_present && c.storage != StorageType::categorical;
    s.semantic = infer_semantic(c.storage, s.distinct, s.missing, sketch.rows, options);
    schema.columns.push_back(s);
  }
  for (const auto& [name, type] : options.overrides) {
    auto it = std::find_if(schema.columns.begin(), schema.columns.end(),
                           [&n = name](const ColumnSchema& s) { return s.name == n; });
    if (it == schema.columns.end()) {
      std::vector<std::string> names;
      for (const auto& c : schema.columns) names.push_back(c.name);
      throw InvalidArgument("column type override names unknown column '" + name +
                            "'; columns are: " + join_names(names));
    }
    if ((type == SemanticType::numerical || type == SemanticType::datetime) &&
        it->storage == StorageType::categorical)
      throw InvalidArgument("column '" + name + "' holds text and cannot be " + to_string(type));
    it->semantic = type;
  }
  return schema;
}

ColumnDigest sketch_digest(const ColumnSketch& c, SemanticType semantic) {
  ColumnDigest d;
  d.prototype.name = c.name;
  d.prototype.type = c.storage;
  d.prototype.format = c.format;
  d.rows = c.rows;
  d.missing = c.missing;
  d.key_prefix = c.key_prefix;
  d.key_longest = c.key_longest;
  const ColumnRole role = planned_role(semantic, c.storage);
  if (role == ColumnRole::id) return d;
  if (role == ColumnRole::numeric) {
    d.missing += c.non_finite;
    d.present = c.quantiles.representative();
    return d;
  }
  if (!c.tracked)
    throw DataError("column '" + c.name + "' has more than " +
                    std::to_string(c.storage == StorageType::categorical ? kMaxTrackedTexts
                                                                         : kMaxTrackedNumbers) +
                    " distinct values, too many categories to count across partitions; give it "
                    "column_types 'id' (fresh keys) or 'numerical', or leave it out");
  if (c.storage == StorageType::categorical) {
    for (const auto& [text, count] : c.texts) {
      d.categories.push_back(static_cast<double>(d.prototype.dict.size()));
      d.category_counts.push_back(count);
      d.prototype.dict.push_back(text);
    }
  } else {
    for (const auto& [value, count] : c.numbers) {
      d.categories.push_back(value);
      d.category_counts.push_back(count);
    }
  }
  return d;
}

}  // namespace calm
