// Per-column models of the Gaussian copula: role choice, fit, normal scores, decoding of sampled
// uniforms and the write-back into typed storage.
#include "transform/column_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Fits the intervals and records how many values fell in each, so that load can refit them.
void fit_intervals(const std::vector<double>& values, ColumnModel& m) {
  m.intervals.fit(values.data(), values.size());
  m.interval_counts.assign(m.intervals.size(), 0);
  for (double v : values) ++m.interval_counts[static_cast<size_t>(m.intervals.index_of(v))];
}

// Fresh keys keep the keys' look: the shared prefix without trailing digits, then a counter as
// wide as the longest key's varying part ("C0001".."C0500" -> "C" + 4 digits).
void set_key_format(std::string prefix, size_t longest, ColumnModel& m) {
  while (!prefix.empty() && std::isdigit(static_cast<unsigned char>(prefix.back())))
    prefix.pop_back();
  m.id_width = std::max<size_t>(1, longest - prefix.size());
  m.id_prefix = std::move(prefix);
}

void fit_id_keys(const Column& col, ColumnModel& m) {
  std::vector<const std::string*> keys;
  for (size_t i = 0; i < col.size(); ++i)
    if (col.codes[i] >= 0) keys.push_back(&col.dict[col.codes[i]]);
  if (keys.empty()) return;
  std::string prefix = *keys.front();
  size_t longest = 0;
  for (const auto* k : keys) {
    size_t common = 0;
    while (common < prefix.size() && common < k->size() && prefix[common] == (*k)[common]) ++common;
    prefix.resize(common);
    longest = std::max(longest, k->size());
  }
  set_key_format(std::move(prefix), longest, m);
}

// The marginal of a numeric column from its present values (at least one).
void fit_present(std::vector<double> present, std::optional<MarginalFamily> forced,
                 ColumnModel& m) {
  m.role = ColumnRole::numeric;
  UnivariateSample sample(std::move(present));
  if (sample.distinct.size() == 1) {
    m.constant = sample.min;
  } else {
    auto choice = select_marginal(sample, forced);
    m.marginal = std::move(choice.marginal);
    m.marginal_values = sample.sorted;
    m.ks = std::move(choice.ks);
  }
}

// Intervals from distinct values and counts, with the counts recorded in interval order.
void fit_interval_counts(const std::vector<double>& values, const std::vector<uint64_t>& counts,
                         ColumnModel& m) {
  m.intervals.fit_counts(values, counts);
  m.interval_counts.assign(values.size(), 0);
  for (size_t k = 0; k < values.size(); ++k)
    m.interval_counts[static_cast<size_t>(m.intervals.index_of(values[k]))] = counts[k];
}

void fit_numeric(const std::vector<double>& values, std::optional<MarginalFamily> forced,
                 ColumnModel& m) {
  size_t missing = 0;
  for (double v : values) missing += std::isnan(v);
  if (missing == values.size()) {
    m.role = ColumnRole::constant;
    m.constant = kNaN;
    return;
  }
  fit_present(values, forced, m);
  if (missing > 0) {
    std::vector<double> indicator(values.size());
    for (size_t i = 0; i < values.size(); ++i) indicator[i] = std::isnan(values[i]) ? 1.0 : 0.0;
    fit_intervals(indicator, m);
    m.has_missing_var = true;
  } else if (!m.marginal) {
    m.role = ColumnRole::constant;
  }
}

// A column with one category (missing counts as one) is that constant.
void settle_categorical(ColumnModel& m) {
  if (m.intervals.size() == 1) {
    m.role = ColumnRole::constant;
    m.constant = m.intervals.value(0);
  } else {
    m.role = ColumnRole::categorical;
  }
}

}  // namespace

ColumnRole planned_role(SemanticType semantic, StorageType storage) {
  const bool numeric_storage = storage == StorageType::float64 || storage == StorageType::int64 ||
                               storage == StorageType::datetime;
  if (semantic == SemanticType::id &&
      (storage == StorageType::categorical || storage == StorageType::float64 ||
       storage == StorageType::int64))
    return ColumnRole::id;
  if ((semantic == SemanticType::numerical || semantic == SemanticType::datetime ||
       semantic == SemanticType::id) &&
      numeric_storage)
    return ColumnRole::numeric;
  return ColumnRole::categorical;
}

ColumnModel fit_column_model(const Column& col, SemanticType semantic,
                             std::optional<MarginalFamily> forced) {
  ColumnModel m;
  m.prototype.name = col.name;
  m.prototype.type = col.type;
  m.prototype.format = col.format;
  if (col.type == StorageType::categorical) m.prototype.dict = col.dict;

  const ColumnRole role = planned_role(semantic, col.type);
  if (role == ColumnRole::id) {
    m.role = ColumnRole::id;
    if (col.type == StorageType::categorical) fit_id_keys(col, m);
    return m;
  }
  std::vector<double> values(col.size());
  for (size_t i = 0; i < values.size(); ++i) values[i] = col.numeric(i);
  if (role == ColumnRole::numeric) {
    // Infinite values cannot be given a quantile; they are modelled as missing.
    for (double& v : values)
      if (!std::isfinite(v)) v = kNaN;
    fit_numeric(values, forced, m);
    return m;
  }
  fit_intervals(values, m);
  settle_categorical(m);
  return m;
}

ColumnModel fit_column_model(const ColumnDigest& d, SemanticType semantic,
                             std::optional<MarginalFamily> forced) {
  ColumnModel m;
  m.prototype = d.prototype;
  const Column& col = d.prototype;
  if (d.rows == 0) throw DataError("column '" + col.name + "' has no rows to fit");
  const ColumnRole role = planned_role(semantic, col.type);
  if (role == ColumnRole::id) {
    m.role = ColumnRole::id;
    m.prototype.dict.clear();
    if (col.type == StorageType::categorical && d.key_longest > 0)
      set_key_format(d.key_prefix, d.key_longest, m);
    return m;
  }
  if (role == ColumnRole::numeric) {
    if (d.present.empty()) {
      m.role = ColumnRole::constant;
      m.constant = kNaN;
      return m;
    }
    fit_present(d.present, forced, m);
    if (d.missing > 0) {
      fit_interval_counts({0.0, 1.0}, {d.rows - d.missing, d.missing}, m);
      m.has_missing_var = true;
    } else if (!m.marginal) {
      m.role = ColumnRole::constant;
    }
    return m;
  }
  std::vector<double> values = d.categories;
  std::vector<uint64_t> counts = d.category_counts;
  if (d.missing > 0) {
    values.push_back(kNaN);
    counts.push_back(d.missing);
  }
  fit_interval_counts(values, counts, m);
  settle_categorical(m);
  return m;
}

void numeric_scores(const ColumnModel& m, const Column& col, double* out) {
  const size_t n = col.size();
  std::vector<uint8_t> missing(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double v = col.numeric(i);
    missing[i] = !std::isfinite(v);
    out[i] = missing[i] ? m.marginal->ppf(0.5) : v;
  }
  m.marginal->cdf_many(out, out, n);
  for (size_t i = 0; i < n; ++i) out[i] = missing[i] ? 0.0 : normal_score(out[i]);
}

void ColumnModel::decode(const double* u_value, const double* u_missing, size_t count,
                         double* out) const {
  switch (role) {
    case ColumnRole::constant:
    case ColumnRole::id:
      std::fill(out, out + count, role == ColumnRole::id ? kNaN : constant);
      return;
    case ColumnRole::categorical:
      for (size_t i = 0; i < count; ++i) out[i] = intervals.value(intervals.index_at(u_value[i]));
      return;
    case ColumnRole::numeric:
      if (marginal)
        marginal->ppf_many(u_value, out, count);
      else
        std::fill(out, out + count, constant);
      if (has_missing_var)
        for (size_t i = 0; i < count; ++i)
          if (intervals.value(intervals.index_at(u_missing[i])) == 1.0) out[i] = kNaN;
      return;
  }
}

Json ColumnModel::describe() const {
  Json j{{"name", prototype.name}};
  switch (role) {
    case ColumnRole::constant:
      j["model"] = "constant";
      j["value"] = std::isnan(constant) ? Json(nullptr) : Json(constant);
      break;
    case ColumnRole::id:
      j["model"] = "id";
      break;
    case ColumnRole::categorical:
      j["model"] = "frequency_intervals";
      j["categories"] = intervals.size();
      break;
    case ColumnRole::numeric: {
      j["model"] = "marginal";
      if (marginal) {
        j["distribution"] = marginal->name();
        Json params = Json::object();
        for (const auto& [name, value] : marginal->parameters()) params[name] = value;
        j["parameters"] = params;
        Json ks = Json::object();
        for (const auto& [family, d] : this->ks) ks[to_string(family)] = d;
        if (!ks.empty()) j["ks_distance"] = ks;
      } else {
        j["distribution"] = "constant";
        j["value"] = constant;
      }
      if (has_missing_var) {
        const long k = intervals.index_of(1.0);
        j["missing_share"] = k < 0 ? 0.0 : intervals.share(static_cast<size_t>(k));
      }
      break;
    }
  }
  return j;
}

Column allocate_output(const ColumnModel& m, size_t n) {
  Column c = m.prototype;
  switch (c.type) {
    case StorageType::float64:
      c.f64.assign(n, 0.0);
      break;
    case StorageType::int64:
    case StorageType::datetime:
      c.i64.assign(n, 0);
      c.valid.assign(n, 1);
      break;
    case StorageType::boolean:
      c.b.assign(n, 0);
      c.valid.assign(n, 1);
      break;
    case StorageType::categorical:
      c.codes.assign(n, -1);
      break;
  }
  return c;
}

void write_values(Column& out, size_t begin, const double* v, size_t count) {
  switch (out.type) {
    case StorageType::float64:
      std::copy(v, v + count, out.f64.begin() + begin);
      return;
    case StorageType::int64:
    case StorageType::datetime:
      for (size_t i = 0; i < count; ++i) {
        const bool ok = std::isfinite(v[i]);
        out.valid[begin + i] = ok;
        out.i64[begin + i] = ok ? std::llround(v[i]) : 0;
      }
      return;
    case StorageType::boolean:
      for (size_t i = 0; i < count; ++i) {
        out.valid[begin + i] = !std::isnan(v[i]);
        out.b[begin + i] = !std::isnan(v[i]) && v[i] != 0.0;
      }
      return;
    case StorageType::categorical:
      // A code outside the dictionary (only from a corrupt model file) is written as missing.
      for (size_t i = 0; i < count; ++i)
        out.codes[begin + i] = v[i] >= 0 && v[i] < static_cast<double>(out.dict.size())
                                   ? static_cast<int32_t>(v[i])
                                   : -1;
      return;
  }
}

void finish_output(const ColumnModel& m, Column& out) {
  if (m.role == ColumnRole::id) {
    const size_t n = out.size();
    if (out.type == StorageType::categorical) {
      out.dict.resize(n);
      for (size_t i = 0; i < n; ++i) {
        std::string counter = std::to_string(i + 1);
        if (counter.size() < m.id_width) counter.insert(0, m.id_width - counter.size(), '0');
        out.dict[i] = m.id_prefix + counter;
        out.codes[i] = static_cast<int32_t>(i);
      }
    } else if (out.type == StorageType::float64) {
      for (size_t i = 0; i < n; ++i) out.f64[i] = static_cast<double>(i + 1);
    } else {
      for (size_t i = 0; i < n; ++i) out.i64[i] = static_cast<int64_t>(i + 1);
    }
  }
  if (std::all_of(out.valid.begin(), out.valid.end(), [](uint8_t v) { return v != 0; }))
    out.valid.clear();
}

}  // namespace calm
