// Learning the DP domain of a table, the released schema and persistence (see dp_domain.hpp).
#include "privacy/dp_domain.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "privacy/dp_ranges.hpp"

namespace calm {
namespace {

bool is_numeric_semantic(SemanticType s) {
  return s == SemanticType::numerical || s == SemanticType::datetime;
}

// A boolean column's two values are public: they are its type.
bool fixed_boolean(const ColumnSchema& cs) {
  return cs.semantic == SemanticType::boolean && cs.storage == StorageType::boolean;
}

// A public bound: a number, or for datetime columns an ISO date/datetime.
double bound_value(const Json& v, const ColumnSchema& cs) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string() && cs.semantic == SemanticType::datetime)
    if (auto ns = parse_datetime(v.get<std::string>())) return static_cast<double>(*ns);
  throw InvalidArgument("bounds['" + cs.name + "'] must be [low, high] with numbers" +
                        (cs.semantic == SemanticType::datetime ? " or ISO dates" : "") + ", got " +
                        v.dump());
}

const ColumnSchema* named_column(const Schema& schema, const std::string& name,
                                 const char* option) {
  for (const auto& c : schema.columns)
    if (c.name == name) {
      if (c.semantic == SemanticType::id)
        throw InvalidArgument(std::string(option) + "['" + name +
                              "']: the column is an id; ids get fresh keys, not a domain");
      return &c;
    }
  std::vector<std::string> names;
  for (const auto& c : schema.columns) names.push_back(c.name);
  throw InvalidArgument(std::string(option) + " names column '" + name +
                        "', which is not in the table; columns are: " + join_names(names));
}

std::vector<double> present_values(const Column& col) {
  std::vector<double> v;
  v.reserve(col.size());
  for (size_t i = 0; i < col.size(); ++i) {
    const double x = col.numeric(i);
    if (std::isfinite(x)) v.push_back(x);
  }
  return v;
}

// Digits after the point that resolve a hundredth of the narrowest bin.
int decimals_for(const std::vector<double>& edges) {
  double w = INFINITY;
  for (size_t i = 1; i < edges.size(); ++i) w = std::min(w, edges[i] - edges[i - 1]);
  if (!(w > 0) || !std::isfinite(w)) return 6;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(w / 100))), 0, 10);
}

// Categories released by a thresholded noisy histogram over the values present in the data: a
// value that only one row holds passes with probability at most delta, since the threshold is
// 1 + the noise's tail bound at delta (discrete Gaussian: sub-Gaussian with variance parameter
// sigma^2, CKS 2020 Proposition 19 analogue; discrete Laplace: geometric tail).
std::vector<std::string> private_levels(const Column& col, bool zcdp, double budget, double delta,
                                        Rng& rng) {
  std::unordered_map<std::string, size_t> index;
  std::vector<std::string> texts;
  std::vector<int64_t> counts;
  for (size_t i = 0; i < col.size(); ++i) {
    if (col.is_missing(i)) continue;
    auto [it, fresh] = index.emplace(col.text(i), texts.size());
    if (fresh) {
      texts.push_back(it->first);
      counts.push_back(0);
    }
    ++counts[it->second];
  }
  // A data-independent order before noise, so the noise draws do not depend on row order.
  std::vector<size_t> order(texts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return texts[a] < texts[b]; });
  std::vector<int64_t> sorted_counts(order.size());
  for (size_t i = 0; i < order.size(); ++i) sorted_counts[i] = counts[order[i]];
  const auto h = privacy::noisy_histogram(sorted_counts, zcdp, budget, rng);
  const double tail = h.tail(delta);
  std::vector<std::string> levels;
  for (size_t i = 0; i < order.size(); ++i)
    if (h.counts[i] >= 1 + tail) levels.push_back(texts[order[i]]);
  return levels;
}

std::vector<std::string> public_levels(const Json& v, const std::string& name) {
  if (!v.is_array() || v.empty())
    throw InvalidArgument("domain['" + name + "'] must be a non-empty list of categories, got " +
                          v.dump());
  std::vector<std::string> levels;
  for (const auto& x : v) {
    if (x.is_string())
      levels.push_back(x.get<std::string>());
    else if (x.is_number_integer())
      levels.push_back(std::to_string(x.get<int64_t>()));
    else if (x.is_number())
      levels.push_back(format_double(x.get<double>()));
    else if (x.is_boolean())
      levels.push_back(x.get<bool>() ? "True" : "False");
    else
      throw InvalidArgument("domain['" + name + "'] holds " + x.dump() +
                            "; categories are strings or numbers");
  }
  std::vector<std::string> sorted = levels;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    throw InvalidArgument("domain['" + name + "'] lists a category twice");
  return levels;
}

}  // namespace

int DomainColumn::size() const {
  if (semantic == SemanticType::id) return 0;
  const size_t values = is_numeric_semantic(semantic) ? edges.size() - 1 : levels.size();
  return static_cast<int>(values) + 1;
}

int DpDomain::attribute_of(const std::string& column) const {
  for (size_t a = 0; a < attribute_columns_.size(); ++a)
    if (columns_[attribute_columns_[a]].name == column) return static_cast<int>(a);
  return -1;
}

DpDomain DpDomain::learn(const Table& data, const Schema& schema, const DpDomainOptions& o,
                         Rng& rng, const Logger& log) {
  if (!o.bounds.is_object())
    throw InvalidArgument("bounds must be an object {column: [low, high]}");
  if (!o.domain.is_object())
    throw InvalidArgument("domain must be an object {column: [categories...]}");
  if (o.numeric_bins < 2 || o.numeric_bins > 4096)
    throw InvalidArgument("bins must be in [2, 4096], got " + std::to_string(o.numeric_bins));
  for (const auto& [name, v] : o.bounds.items()) {
    const ColumnSchema* cs = named_column(schema, name, "bounds");
    if (!is_numeric_semantic(cs->semantic))
      throw InvalidArgument("bounds['" + name + "']: the column is " + to_string(cs->semantic) +
                            "; bounds are for numerical and datetime columns (use domain)");
    if (!v.is_array() || v.size() != 2)
      throw InvalidArgument("bounds['" + name + "'] must be [low, high], got " + v.dump());
    if (!(bound_value(v[0], *cs) < bound_value(v[1], *cs)))
      throw InvalidArgument("bounds['" + name + "'] must have low < high, got " + v.dump());
  }
  for (const auto& [name, v] : o.domain.items()) {
    const ColumnSchema* cs = named_column(schema, name, "domain");
    if (is_numeric_semantic(cs->semantic))
      throw InvalidArgument("domain['" + name + "']: the column is " + to_string(cs->semantic) +
                            "; give it bounds instead");
    (void)v;
  }

  DpDomain d;
  d.released_ = schema;
  // Columns that need budget, and the categorical ones among them that need delta.
  std::vector<std::string> private_cols, private_categorical;
  for (const auto& cs : schema.columns) {
    if (cs.semantic == SemanticType::id || fixed_boolean(cs)) continue;
    const bool given =
        is_numeric_semantic(cs.semantic) ? o.bounds.contains(cs.name) : o.domain.contains(cs.name);
    if (given) continue;
    private_cols.push_back(cs.name);
    if (!is_numeric_semantic(cs.semantic)) private_categorical.push_back(cs.name);
  }
  if (!private_cols.empty() && !(o.budget > 0))
    throw InvalidArgument("columns " + join_names(private_cols) +
                          " have no public bounds/domain and no budget is left for learning "
                          "them privately: give them in model_params bounds/domain or raise "
                          "preprocessor_eps");
  if (!private_categorical.empty() && !(o.delta > 0))
    throw InvalidArgument("categorical columns " + join_names(private_categorical) +
                          " have no public domain: give it in model_params domain, or a delta > 0 "
                          "so that their categories can be released privately");
  const bool zcdp = o.accounting == DomainAccounting::zcdp;
  const double per_column = private_cols.empty() ? 0 : o.budget / private_cols.size();
  const double per_categorical =
      private_categorical.empty() ? 0 : o.delta / private_categorical.size();

  for (size_t j = 0; j < schema.size(); ++j) {
    const ColumnSchema& cs = schema[j];
    const Column& col = data.column(cs.name);
    DomainColumn dc;
    dc.name = cs.name;
    dc.semantic = cs.semantic;
    dc.storage = cs.storage;
    dc.format = col.format;
    dc.integer =
        cs.integer || cs.storage == StorageType::int64 || cs.storage == StorageType::datetime;
    ColumnSchema& rs = d.released_.columns[j];
    rs.missing = 0;
    if (cs.semantic == SemanticType::id) {
      d.columns_.push_back(std::move(dc));
      continue;
    }
    if (is_numeric_semantic(cs.semantic)) {
      const std::vector<double> values = present_values(col);
      privacy::Range range;
      if (o.bounds.contains(cs.name)) {
        const Json& b = o.bounds[cs.name];
        range = {bound_value(b[0], cs), bound_value(b[1], cs)};
        dc.public_domain = true;
        dc.edges = privacy::uniform_edges(range, o.numeric_bins);
        for (double v : values) dc.clipped += v < range.low || v > range.high;
      } else {
        range = privacy::private_range(values, zcdp, per_column / 2, rng);
        d.spent_ += per_column / 2;
        // Better an error than a range made of noise (values off by orders of magnitude).
        if (!range.found)
          throw DataError("column '" + cs.name +
                          "': its range cannot be learnt privately with the budget left for it (" +
                          (zcdp ? "rho " : "epsilon ") + format_double(per_column / 2) +
                          "): give it public bounds (model_params bounds={\"" + cs.name +
                          "\": [low, high]}) or raise epsilon or preprocessor_eps");
        // The edges histogram also trims the range (at octave resolution so far) to its
        // outermost cells above the noise; integer columns then take one bin per integer when
        // the trimmed range holds few.
        dc.edges = privacy::private_edges(values, range, o.numeric_bins, zcdp, per_column / 2, rng);
        d.spent_ += per_column / 2;
        range = {dc.edges.front(), dc.edges.back()};
      }
      if (dc.integer) dc.edges = privacy::integer_edges(dc.edges, range, o.numeric_bins);
      rs.min = dc.integer ? dc.edges.front() + 0.5 : dc.edges.front();
      rs.max = dc.integer ? dc.edges.back() - 0.5 : dc.edges.back();
      dc.decimals = dc.integer ? 0 : decimals_for(dc.edges);
      rs.decimals = dc.decimals;
      rs.distinct = dc.edges.size() - 1;
    } else {
      if (fixed_boolean(cs)) {
        dc.levels = {col.format.false_token, col.format.true_token};
        dc.public_domain = true;
      } else if (o.domain.contains(cs.name)) {
        dc.levels = public_levels(o.domain[cs.name], cs.name);
        dc.public_domain = true;
      } else {
        dc.levels = private_levels(col, zcdp, per_column, per_categorical, rng);
        d.spent_ += per_column;
        d.delta_spent_ += per_categorical;
      }
      std::unordered_map<std::string, int> known;
      for (size_t l = 0; l < dc.levels.size(); ++l) known.emplace(dc.levels[l], l);
      if (!fixed_boolean(cs))
        for (size_t i = 0; i < col.size(); ++i)
          dc.clipped += !col.is_missing(i) && !known.count(col.text(i));
      rs.distinct = dc.levels.size();
      // A numeric-stored categorical column (e.g. a year with few values) is clamped by the
      // conform step to [min, max]: the range of its released levels, nothing else.
      rs.min = rs.max = 0;
      bool first = true;
      for (const std::string& t : dc.levels) {
        double x = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        if (ec != std::errc() || end != t.data() + t.size()) continue;
        rs.min = first ? x : std::min(rs.min, x);
        rs.max = first ? x : std::max(rs.max, x);
        first = false;
      }
    }
    if (dc.clipped > 0)
      log.warning("column '" + cs.name + "': " + std::to_string(dc.clipped) + " real value" +
                  (dc.clipped == 1 ? " lies" : "s lie") + " outside its " +
                  (dc.public_domain ? "public " : "privately released ") +
                  (is_numeric_semantic(cs.semantic) ? "bounds and are clipped into them"
                                                    : "categories and are modelled as missing"));
    d.attribute_columns_.push_back(j);
    d.columns_.push_back(std::move(dc));
  }
  return d;
}

std::vector<std::string> DpDomain::public_inputs() const {
  std::vector<std::string> out{
      "column names and semantic types (" +
          std::string("inferred from the data unless column_types gives them") + ")",
      "the number of rows asked for (n_samples)"};
  for (const auto& c : columns_) {
    if (!c.public_domain || c.semantic == SemanticType::id) continue;
    if (c.semantic == SemanticType::boolean && c.storage == StorageType::boolean) continue;
    if (is_numeric_semantic(c.semantic))
      out.push_back("bounds of '" + c.name + "': [" + format_double(c.edges.front()) + ", " +
                    format_double(c.edges.back()) + "]");
    else
      out.push_back("categories of '" + c.name + "' (" + std::to_string(c.levels.size()) + ")");
  }
  return out;
}

void DpDomain::save(ArchiveWriter& out) const {
  out.tag("dp_domain");
  out.u64(columns_.size());
  for (const auto& c : columns_) {
    out.str(c.name);
    out.u64(static_cast<uint64_t>(c.semantic));
    out.u64(static_cast<uint64_t>(c.storage));
    out.i64(c.format.decimals);
    out.boolean(c.format.date_only);
    out.str(c.format.true_token);
    out.str(c.format.false_token);
    out.boolean(c.integer);
    out.boolean(c.public_domain);
    out.strs(c.levels);
    out.f64s(c.edges);
    out.i64(c.decimals);
    out.u64(c.clipped);
  }
  std::vector<int64_t> attrs(attribute_columns_.begin(), attribute_columns_.end());
  out.i64s(attrs);
  out.schema(released_);
  out.f64(spent_);
  out.f64(delta_spent_);
}

void DpDomain::load(ArchiveReader& in) {
  in.tag("dp_domain");
  const uint64_t n = in.u64();
  if (n > 1000000) throw DataError("model file: the DP domain's column count is corrupt");
  columns_.assign(n, {});
  for (auto& c : columns_) {
    c.name = in.str();
    const uint64_t semantic = in.u64(), storage = in.u64();
    if (semantic > static_cast<uint64_t>(SemanticType::id) ||
        storage > static_cast<uint64_t>(StorageType::datetime))
      throw DataError("model file: the DP domain of column '" + c.name + "' is corrupt");
    c.semantic = static_cast<SemanticType>(semantic);
    c.storage = static_cast<StorageType>(storage);
    c.format.decimals = static_cast<int>(in.i64());
    c.format.date_only = in.boolean();
    c.format.true_token = in.str();
    c.format.false_token = in.str();
    c.integer = in.boolean();
    c.public_domain = in.boolean();
    c.levels = in.strs();
    c.edges = in.f64s();
    c.decimals = static_cast<int>(in.i64());
    c.clipped = in.u64();
  }
  const auto attrs = in.i64s();
  // Attributes are distinct table columns in increasing order (every index is used to look up a
  // column when sampling).
  for (size_t a = 0; a < attrs.size(); ++a)
    if (attrs[a] < 0 || static_cast<uint64_t>(attrs[a]) >= n || (a > 0 && attrs[a] <= attrs[a - 1]))
      throw DataError("model file: the DP domain's attribute columns are corrupt");
  attribute_columns_.assign(attrs.begin(), attrs.end());
  released_ = in.schema();
  spent_ = in.f64();
  delta_spent_ = in.f64();
}

}  // namespace calm
