// Entities, time order and context detection of a sequence table (see sequence_table.hpp).
#include "core/sequence_table.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "calm/core/error.hpp"

namespace calm {
namespace {

// The value of a cell as a comparable key: categorical code, NaN for missing, else the number.
double cell(const Column& c, size_t i) {
  if (c.type == StorageType::categorical) return c.codes[i] < 0 ? NAN : c.codes[i];
  if ((c.type == StorageType::int64 || c.type == StorageType::datetime) && !c.valid.empty() &&
      !c.valid[i])
    return NAN;
  if (c.type == StorageType::int64 || c.type == StorageType::datetime)
    return static_cast<double>(c.i64[i]);
  return c.numeric(i);
}

bool same(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

// Exact comparison of two time cells (int64 and datetime compared as integers).
bool time_less(const Column& c, int64_t a, int64_t b) {
  if (c.type == StorageType::float64) return c.f64[a] < c.f64[b];
  return c.i64[a] < c.i64[b];
}

}  // namespace

std::vector<ParamDef> sequence_param_defs() {
  return {
      {.name = "sequence_key",
       .type = ParamType::string,
       .default_value = nullptr,
       .doc = "entity column: rows with the same value form one sequence (required; without it "
              "sequence_index is read as the key, the seed's legacy meaning)",
       .nullable = true},
      {.name = "time_col",
       .type = ParamType::string,
       .default_value = nullptr,
       .doc = "column ordering the rows of an entity (numbers, dates or datetimes); None = the "
              "file order",
       .nullable = true},
      {.name = "sequence_index",
       .type = ParamType::string,
       .default_value = nullptr,
       .doc = "with sequence_key: the time column (SDV's name for time_col); without it: the "
              "entity column (the seed's legacy alias of sequence_key)",
       .nullable = true},
      {.name = "context_columns",
       .type = ParamType::string_list,
       .default_value = nullptr,
       .doc = "columns constant within each entity (its attributes); None = every column that "
              "is constant within every entity",
       .nullable = true},
      {.name = "max_sequence_length",
       .type = ParamType::integer,
       .default_value = nullptr,
       .doc = "refuse (DataError) training data with a longer entity; None = no limit",
       .min = 2.0,
       .nullable = true},
  };
}

SequenceColumns sequence_columns(const Params& p, const std::string& method) {
  auto opt = [&](const char* name) -> std::optional<std::string> {
    if (!p.json().contains(name) || p.is_null(name)) return std::nullopt;
    return p.get_string(name);
  };
  SequenceColumns s;
  const auto key = opt("sequence_key"), index = opt("sequence_index"), time = opt("time_col");
  if (key) {
    s.key = *key;
    if (index && time && *index != *time)
      throw InvalidArgument("method '" + method + "': sequence_index ('" + *index +
                            "') and time_col ('" + *time +
                            "') both name the time column; give one of them");
    s.time = time ? time : index;
  } else if (index) {
    s.key = *index;
    s.time = time;
    s.legacy_key_alias = true;
  } else {
    throw InvalidArgument("method '" + method +
                          "' needs model_params sequence_key (the entity column whose rows form "
                          "one sequence), e.g. {\"sequence_key\": \"id\", \"time_col\": \"day\"}");
  }
  if (p.json().contains("context_columns") && !p.is_null("context_columns"))
    s.context = p.get_string_list("context_columns");
  if (p.json().contains("max_sequence_length") && !p.is_null("max_sequence_length"))
    s.max_length = static_cast<size_t>(p.get_int("max_sequence_length"));
  return s;
}

void check_sequence_columns(const SequenceColumns& s, const Table& t) {
  auto need = [&](const std::string& what, const std::string& name) {
    if (!t.has(name))
      throw InvalidArgument(what + " '" + name +
                            "' is not a column; columns are: " + join_names(t.column_names()));
  };
  need(s.legacy_key_alias ? "sequence_index (read as the entity key: no sequence_key given)"
                          : "sequence_key",
       s.key);
  if (s.time) {
    need("time_col", *s.time);
    if (*s.time == s.key)
      throw InvalidArgument("time_col '" + *s.time +
                            "' is the entity column (sequence_key); name another column");
  }
  if (s.context)
    for (const auto& c : *s.context) {
      need("context_columns entry", c);
      if (c == s.key || (s.time && c == *s.time))
        throw InvalidArgument("context_columns entry '" + c +
                              "' is the entity or time column; context columns are the others");
    }
}

SequenceTable SequenceTable::build(const Table& t, const SequenceColumns& s) {
  check_sequence_columns(s, t);
  SequenceTable q;
  q.spec_ = s;
  q.key_ = *t.find(s.key);
  const Column& key = t.column(q.key_);
  if (const size_t missing = key.missing_count())
    throw DataError("sequence_key '" + s.key + "' has " + std::to_string(missing) +
                    " missing cells; every row needs the entity it belongs to");
  // Entities in order of first appearance.
  std::vector<std::vector<int64_t>> rows;
  {
    std::unordered_map<double, size_t> entity_of;
    for (size_t i = 0; i < t.num_rows(); ++i) {
      auto [it, fresh] = entity_of.try_emplace(cell(key, i), rows.size());
      if (fresh) rows.emplace_back();
      rows[it->second].push_back(static_cast<int64_t>(i));
    }
  }
  if (rows.size() == t.num_rows())
    throw DataError("sequence_key '" + s.key + "' gives every entity one row (" +
                    std::to_string(rows.size()) +
                    " distinct values in as many rows): it is not a sequence key; name the column "
                    "whose rows repeat per entity");
  if (s.time) {
    q.time_ = *t.find(*s.time);
    const Column& time = t.column(*q.time_);
    if (time.type != StorageType::float64 && time.type != StorageType::int64 &&
        time.type != StorageType::datetime)
      throw DataError("time_col '" + *s.time + "' must hold numbers, dates or datetimes; it is " +
                      to_string(time.type) + (time.size() ? " (e.g. '" + time.text(0) + "')" : "") +
                      ": a column mixing numbers, dates and text is read as text");
    if (const size_t missing = time.missing_count())
      throw DataError("time_col '" + *s.time + "' has " + std::to_string(missing) +
                      " missing cells; every row needs its time");
    for (auto& r : rows) {
      if (std::is_sorted(r.begin(), r.end(),
                         [&](int64_t a, int64_t b) { return time_less(time, a, b); }))
        continue;
      ++q.unsorted_;
      std::stable_sort(r.begin(), r.end(),
                       [&](int64_t a, int64_t b) { return time_less(time, a, b); });
    }
  }
  for (const auto& r : rows) {
    if (s.max_length && r.size() > s.max_length)
      throw DataError("entity '" + key.text(static_cast<size_t>(r.front())) + "' of '" + s.key +
                      "' has " + std::to_string(r.size()) +
                      " rows, more than max_sequence_length = " + std::to_string(s.max_length) +
                      "; raise the limit or split the entity");
    q.order_.insert(q.order_.end(), r.begin(), r.end());
    q.offsets_.push_back(q.order_.size());
  }
  // Context: constant within every entity.
  auto varies_in = [&](size_t j) -> std::optional<size_t> {
    const Column& c = t.column(j);
    for (size_t e = 0; e < rows.size(); ++e)
      for (size_t k = 1; k < rows[e].size(); ++k)
        if (!same(cell(c, static_cast<size_t>(rows[e][k])),
                  cell(c, static_cast<size_t>(rows[e][0]))))
          return e;
    return std::nullopt;
  };
  for (size_t j = 0; j < t.num_columns(); ++j) {
    if (j == q.key_ || (q.time_ && j == *q.time_)) continue;
    const std::string& name = t.column(j).name;
    bool context;
    if (s.context) {
      context = std::find(s.context->begin(), s.context->end(), name) != s.context->end();
      if (context)
        if (auto e = varies_in(j))
          throw DataError("context column '" + name + "' varies within entity '" +
                          key.text(static_cast<size_t>(rows[*e].front())) +
                          "'; context columns hold one value per entity (leave context_columns "
                          "out to detect them)");
    } else {
      context = !varies_in(j).has_value();
    }
    (context ? q.context_ : q.varying_).push_back(j);
  }
  return q;
}

std::vector<std::string> SequenceTable::context_names(const Table& t) const {
  std::vector<std::string> names;
  for (size_t j : context_) names.push_back(t.column(j).name);
  return names;
}

size_t SequenceTable::max_length() const {
  size_t m = 0;
  for (size_t e = 0; e < entities(); ++e) m = std::max(m, length(e));
  return m;
}

std::vector<TimeBound> detect_time_bounds(const Table& t, const SequenceTable& s, double reach) {
  std::vector<TimeBound> bounds;
  if (!s.time_column()) return bounds;
  const Column& time = t.column(*s.time_column());
  const bool datetime = time.type == StorageType::datetime;
  for (size_t j : s.context_columns()) {
    const Column& col = t.column(j);
    if (datetime ? col.type != StorageType::datetime : !col.is_numeric_storage()) continue;
    bool below = true, above = true;
    double gap_below = std::numeric_limits<double>::infinity(), gap_above = gap_below;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (size_t e = 0; e < s.entities(); ++e) {
      const double bound = col.numeric(static_cast<size_t>(s.row(e, 0)));
      if (std::isnan(bound)) continue;
      const double first = time.numeric(static_cast<size_t>(s.row(e, 0)));
      const double last = time.numeric(static_cast<size_t>(s.row(e, s.length(e) - 1)));
      below = below && last <= bound;
      above = above && first >= bound;
      gap_below = std::min(gap_below, bound - last);
      gap_above = std::min(gap_above, first - bound);
      lo = std::min({lo, bound, first});
      hi = std::max({hi, bound, last});
    }
    const double range = hi - lo;
    if (!(range > 0)) continue;
    if (below && gap_below <= reach * range) bounds.push_back({j, true});
    if (above && gap_above <= reach * range) bounds.push_back({j, false});
  }
  return bounds;
}

std::vector<size_t> entity_runs(const Column& keys) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < keys.size(); ++i)
    if (i == 0 || !same(cell(keys, i), cell(keys, i - 1))) starts.push_back(i);
  starts.push_back(keys.size());
  return starts;
}

Column renumber_entity_keys(const Column& keys, size_t first) {
  const std::vector<size_t> runs = entity_runs(keys);
  Column out = keys;
  for (size_t e = 0; e + 1 < runs.size(); ++e) {
    const size_t number = first + e;
    for (size_t i = runs[e]; i < runs[e + 1]; ++i) {
      switch (out.type) {
        case StorageType::int64:
          out.i64[i] = static_cast<int64_t>(number);
          break;
        case StorageType::float64:
          out.f64[i] = static_cast<double>(number);
          break;
        case StorageType::categorical:
          out.codes[i] = static_cast<int32_t>(e);
          break;
        default:
          throw InternalError("renumber_entity_keys: a " + std::string(to_string(out.type)) +
                              " key cannot be renumbered");
      }
    }
  }
  if (out.type == StorageType::categorical) {
    out.dict.clear();
    for (size_t e = 0; e + 1 < runs.size(); ++e) {
      const std::string old = keys.codes[runs[e]] >= 0 ? keys.dict[keys.codes[runs[e]]] : "";
      size_t end = old.size();
      while (end > 0 && !std::isdigit(static_cast<unsigned char>(old[end - 1]))) --end;
      size_t begin = end;
      while (begin > 0 && std::isdigit(static_cast<unsigned char>(old[begin - 1]))) --begin;
      std::string digits = std::to_string(first + e);
      if (digits.size() < end - begin) digits.insert(0, end - begin - digits.size(), '0');
      out.dict.push_back(begin == end ? old + digits
                                      : old.substr(0, begin) + digits + old.substr(end));
    }
  }
  return out;
}

}  // namespace calm
