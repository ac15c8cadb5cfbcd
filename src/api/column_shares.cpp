// Value matching for custom distributions: keys arrive as JSON object keys (strings) or numbers and
// are matched to the column's values by meaning: "0" matches integer 0 and 0.0, "yes" matches a
// boolean true, category labels match exactly.
#include "api/column_shares.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm {

static std::vector<double> observed_values(const Column& c) {
  std::set<double> seen;
  for (size_t i = 0; i < c.size(); ++i)
    if (!c.is_missing(i)) seen.insert(c.numeric(i));
  return {seen.begin(), seen.end()};
}

static std::string value_label(const Column& c, double v) {
  switch (c.type) {
    case StorageType::categorical:
      return c.dict[static_cast<size_t>(v)];
    case StorageType::boolean:
      return v ? c.format.true_token : c.format.false_token;
    default:
      return format_double(v);
  }
}

static std::optional<double> match_value(const Column& c, const std::string& key,
                                         const std::vector<double>& observed) {
  std::optional<double> v;
  if (c.type == StorageType::categorical) {
    for (size_t k = 0; k < c.dict.size(); ++k)
      if (c.dict[k] == key) v = static_cast<double>(k);
  } else if (c.type == StorageType::boolean) {
    if (auto b = parse_bool_token(key)) v = *b ? 1.0 : 0.0;
    if (key == "1" || key == "1.0") v = 1.0;
    if (key == "0" || key == "0.0") v = 0.0;
  } else {
    double x;
    auto res = std::from_chars(key.data(), key.data() + key.size(), x);
    if (res.ec == std::errc() && res.ptr == key.data() + key.size()) v = x;
    if (c.type == StorageType::datetime)
      if (auto t = parse_datetime(key)) v = static_cast<double>(*t);
  }
  if (v && std::find(observed.begin(), observed.end(), *v) != observed.end()) return v;
  return std::nullopt;
}

ColumnShares parse_column_shares(const Table& data, const std::string& column, const Json& spec) {
  if (!data.has(column))
    throw InvalidArgument("custom_distributions names unknown column '" + column +
                          "'; columns are: " + join_names(data.column_names()));
  const Column& c = data.column(column);
  const auto observed = observed_values(c);
  std::vector<std::string> labels;
  for (double v : observed) labels.push_back(value_label(c, v));
  if (c.is_numeric_storage() && observed.size() > 50)
    throw InvalidArgument("custom_distributions on '" + column + "': the column has " +
                          std::to_string(observed.size()) +
                          " distinct values; shares apply to categorical, boolean or numeric "
                          "columns with at most 50 values");
  ColumnShares out;
  out.column = column;
  if (spec.is_string() && spec.get<std::string>() == "balanced") {
    out.values = observed;
    out.shares.assign(observed.size(), 1.0 / static_cast<double>(observed.size()));
    out.labels = labels;
    return out;
  }
  if (!spec.is_object() || spec.empty())
    throw InvalidArgument("custom_distributions['" + column +
                          "'] must be \"balanced\" or a non-empty dict {value: share}, got " +
                          spec.dump());
  double sum = 0;
  for (auto it = spec.begin(); it != spec.end(); ++it) {
    auto v = match_value(c, it.key(), observed);
    if (!v)
      throw InvalidArgument("custom_distributions['" + column + "'] names unknown value '" +
                            it.key() + "'; known values: " + join_names(labels));
    if (!it.value().is_number() || it.value().get<double>() < 0 ||
        !std::isfinite(it.value().get<double>()))
      throw InvalidArgument("custom_distributions['" + column + "']['" + it.key() +
                            "'] must be a share >= 0, got " + it.value().dump());
    if (std::find(out.values.begin(), out.values.end(), *v) != out.values.end())
      throw InvalidArgument("custom_distributions['" + column + "'] names value '" + it.key() +
                            "' twice");
    out.values.push_back(*v);
    out.shares.push_back(it.value().get<double>());
    out.labels.push_back(value_label(c, *v));
    sum += out.shares.back();
  }
  if (std::abs(sum - 1.0) > 1e-6)
    throw InvalidArgument("custom_distributions['" + column + "'] shares sum to " +
                          format_double(sum) + "; they must sum to 1");
  return out;
}

std::vector<ColumnShares> parse_custom_distributions(const Table& data, const Json& spec,
                                                     const std::optional<std::string>& target,
                                                     bool balance_target) {
  std::vector<ColumnShares> out;
  if (!spec.is_null()) {
    if (!spec.is_object())
      throw InvalidArgument("custom_distributions must be a dict {column: {value: share}}, got " +
                            spec.dump());
    for (auto it = spec.begin(); it != spec.end(); ++it)
      out.push_back(parse_column_shares(data, it.key(), it.value()));
  }
  if (balance_target) {
    if (!target) throw InvalidArgument("balance_target=True needs target_col");
    bool listed = false;
    for (const auto& s : out) listed = listed || s.column == *target;
    if (!listed) out.push_back(parse_column_shares(data, *target, "balanced"));
  }
  return out;
}

}  // namespace calm
