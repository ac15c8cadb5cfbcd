// Per-sequence features, step pairs and lag correlations of the sequence metrics (see
// sequence_features.hpp).
#include "eval/sequence_features.hpp"

#include <cmath>
#include <limits>

#include "calm/core/text.hpp"

namespace calm::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Mean, std, lag-1 autocorrelation, trend (correlation with the step index), roughness (mean
// absolute change between present consecutive values over the std) and missing share of one
// entity's values.
struct Summary {
  double mean = kNaN, sd = kNaN, acf = kNaN, trend = kNaN, roughness = kNaN, missing = 0;
};

Summary summarise(const std::vector<double>& x) {
  Summary s;
  double sum = 0, n = 0;
  for (double v : x)
    if (!std::isnan(v)) sum += v, ++n;
  s.missing = x.empty() ? 0 : 1.0 - n / static_cast<double>(x.size());
  if (n == 0) return s;
  s.mean = sum / n;
  double ss = 0;
  for (double v : x)
    if (!std::isnan(v)) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / n);
  double num = 0;
  size_t pairs = 0;
  for (size_t k = 1; k < x.size(); ++k)
    if (!std::isnan(x[k]) && !std::isnan(x[k - 1]))
      num += (x[k] - s.mean) * (x[k - 1] - s.mean), ++pairs;
  if (pairs >= 2 && ss > 0) s.acf = num / ss;
  double sk = 0, skk = 0, sxk = 0, change = 0;
  size_t steps = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    if (std::isnan(x[k])) continue;
    sk += static_cast<double>(k);
    skk += static_cast<double>(k * k);
    sxk += (x[k] - s.mean) * static_cast<double>(k);
    if (k > 0 && !std::isnan(x[k - 1])) change += std::abs(x[k] - x[k - 1]), ++steps;
  }
  const double var_k = skk - sk * sk / n;
  if (n >= 3 && ss > 0 && var_k > 0) s.trend = sxk / std::sqrt(ss * var_k);
  if (steps > 0 && s.sd > 0) s.roughness = change / static_cast<double>(steps) / s.sd;
  return s;
}

const Column* column_of(const Table& t, const std::string& name) {
  auto j = t.find(name);
  return j ? &t.column(*j) : nullptr;
}

}  // namespace

bool is_numeric_feature(const Column& c) {
  return c.type != StorageType::categorical;
}

double numeric_feature(const Column& c, size_t row) {
  const double v = c.numeric(row);
  return c.type == StorageType::datetime ? v / static_cast<double>(kNanosPerDay) : v;
}

double LevelCodes::code(const Column& c, size_t row) {
  if (c.is_missing(row)) return kNaN;
  auto [it, fresh] = codes_.try_emplace(c.text(row), static_cast<int>(codes_.size()));
  return it->second;
}

FeatureMatrix sequence_features(const std::vector<SequenceSide>& sides,
                                const std::vector<std::string>& varying,
                                const std::vector<std::string>& context,
                                const std::optional<std::string>& time) {
  FeatureMatrix f;
  f.add("length", false);
  if (time) {
    f.add(*time + ".span", false);
    f.add(*time + ".mean_step", false);
  }
  const Table& real = sides.front().table;
  for (const auto& name : varying) {
    if (is_numeric_feature(real.column(name))) {
      for (const char* what :
           {".mean", ".std", ".first", ".last", ".acf1", ".trend", ".roughness", ".missing"})
        f.add(name + what, false);
    } else {
      f.add(name + ".first", true);
      f.add(name + ".changes", false);
    }
  }
  for (const auto& name : context) f.add(name, !is_numeric_feature(real.column(name)));
  std::vector<LevelCodes> levels(f.names.size());
  for (const SequenceSide& side : sides) {
    const Table& t = side.table;
    for (size_t e = 0; e < side.seq.entities(); ++e) {
      const size_t len = side.seq.length(e);
      size_t at = 0;
      auto push = [&](double v) { f.columns[at++].push_back(v); };
      push(static_cast<double>(len));
      if (time) {
        const Column& c = *column_of(t, *time);
        const double first = numeric_feature(c, static_cast<size_t>(side.seq.row(e, 0)));
        const double last = numeric_feature(c, static_cast<size_t>(side.seq.row(e, len - 1)));
        push(last - first);
        push(len > 1 ? (last - first) / static_cast<double>(len - 1) : kNaN);
      }
      std::vector<double> x(len);
      for (const auto& name : varying) {
        const Column& c = *column_of(t, name);
        if (is_numeric_feature(real.column(name)) && is_numeric_feature(c)) {
          for (size_t k = 0; k < len; ++k)
            x[k] = numeric_feature(c, static_cast<size_t>(side.seq.row(e, k)));
          const Summary s = summarise(x);
          for (double v :
               {s.mean, s.sd, x.front(), x.back(), s.acf, s.trend, s.roughness, s.missing})
            push(v);
        } else if (!is_numeric_feature(real.column(name))) {
          const size_t slot = at;
          push(levels[slot].code(c, static_cast<size_t>(side.seq.row(e, 0))));
          double changes = 0;
          for (size_t k = 1; k < len; ++k)
            changes += c.text(static_cast<size_t>(side.seq.row(e, k))) !=
                       c.text(static_cast<size_t>(side.seq.row(e, k - 1)));
          push(len > 1 ? changes / static_cast<double>(len - 1) : 0.0);
        } else {
          for (int i = 0; i < 8; ++i) push(kNaN);
        }
      }
      for (const auto& name : context) {
        const Column& c = *column_of(t, name);
        const size_t row = static_cast<size_t>(side.seq.row(e, 0));
        const size_t slot = at;
        push(f.categorical[slot]     ? levels[slot].code(c, row)
             : is_numeric_feature(c) ? numeric_feature(c, row)
                                     : kNaN);
      }
    }
  }
  return f;
}

FeatureMatrix step_pairs(const std::vector<SequenceSide>& sides,
                         const std::vector<std::string>& varying,
                         const std::vector<std::string>& context,
                         std::vector<std::vector<double>>& targets, std::vector<size_t>& entity) {
  FeatureMatrix f;
  const Table& real = sides.front().table;
  std::vector<std::string> numeric;
  for (const auto& name : varying) {
    f.add(name + ".previous", !is_numeric_feature(real.column(name)));
    if (is_numeric_feature(real.column(name))) numeric.push_back(name);
  }
  for (const auto& name : context) f.add(name, !is_numeric_feature(real.column(name)));
  f.add("position", false);
  std::vector<LevelCodes> levels(f.names.size());
  targets.assign(numeric.size(), {});
  entity.clear();
  size_t entity_base = 0;
  for (const SequenceSide& side : sides) {
    const Table& t = side.table;
    for (size_t e = 0; e < side.seq.entities(); ++e)
      for (size_t k = 1; k < side.seq.length(e); ++k) {
        const auto prev = static_cast<size_t>(side.seq.row(e, k - 1));
        const auto cur = static_cast<size_t>(side.seq.row(e, k));
        size_t at = 0;
        for (const auto& name : varying) {
          const Column& c = *column_of(t, name);
          f.columns[at].push_back(f.categorical[at]       ? levels[at].code(c, prev)
                                  : is_numeric_feature(c) ? numeric_feature(c, prev)
                                                          : kNaN);
          ++at;
        }
        for (const auto& name : context) {
          const Column& c = *column_of(t, name);
          f.columns[at].push_back(f.categorical[at]       ? levels[at].code(c, cur)
                                  : is_numeric_feature(c) ? numeric_feature(c, cur)
                                                          : kNaN);
          ++at;
        }
        f.columns[at].push_back(static_cast<double>(k));
        for (size_t v = 0; v < numeric.size(); ++v) {
          const Column& c = *column_of(t, numeric[v]);
          targets[v].push_back(is_numeric_feature(c) ? numeric_feature(c, cur) : kNaN);
        }
        entity.push_back(entity_base + e);
      }
    entity_base += side.seq.entities();
  }
  return f;
}

std::optional<double> lagged_correlation(const SequenceSide& side, const std::string& a,
                                         const std::string& b, size_t lag) {
  const Column* ca = column_of(side.table, a);
  const Column* cb = column_of(side.table, b);
  if (!ca || !cb || !is_numeric_feature(*ca) || !is_numeric_feature(*cb)) return std::nullopt;
  double sxy = 0, sxx = 0, syy = 0;
  size_t pairs = 0;
  std::vector<double> x, y;
  for (size_t e = 0; e < side.seq.entities(); ++e) {
    const size_t len = side.seq.length(e);
    if (len <= lag) continue;
    x.resize(len);
    y.resize(len);
    double mx = 0, my = 0, nx = 0, ny = 0;
    for (size_t k = 0; k < len; ++k) {
      x[k] = numeric_feature(*ca, static_cast<size_t>(side.seq.row(e, k)));
      y[k] = numeric_feature(*cb, static_cast<size_t>(side.seq.row(e, k)));
      if (!std::isnan(x[k])) mx += x[k], ++nx;
      if (!std::isnan(y[k])) my += y[k], ++ny;
    }
    if (nx == 0 || ny == 0) continue;
    mx /= nx;
    my /= ny;
    for (size_t k = lag; k < len; ++k) {
      const double u = x[k - lag] - mx, v = y[k] - my;
      if (std::isnan(u) || std::isnan(v)) continue;
      sxy += u * v;
      sxx += u * u;
      syy += v * v;
      ++pairs;
    }
  }
  if (pairs < 3 || sxx <= 0 || syy <= 0) return std::nullopt;
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace calm::eval
