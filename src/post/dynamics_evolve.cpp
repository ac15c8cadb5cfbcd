// Feature evolution types (see dynamics_evolve.hpp). Defaults that depend on the data (sigmoid
// centre and width) are taken from the range of t, so they work for row positions and for time
// columns alike.
#include "post/dynamics_evolve.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace calm::dynamics {
namespace {

using Effect = std::vector<double>;

ParamDef num(std::string name, Json dflt, std::string doc, std::vector<std::string> aliases = {}) {
  return {.name = std::move(name),
          .type = ParamType::number,
          .default_value = std::move(dflt),
          .doc = std::move(doc),
          .aliases = std::move(aliases)};
}

template <typename F>
Effect map_t(const std::vector<double>& t, F f) {
  Effect out(t.size());
  for (size_t i = 0; i < t.size(); ++i) out[i] = std::isnan(t[i]) ? std::nan("") : f(t[i]);
  return out;
}

std::pair<double, double> t_range(const std::vector<double>& t) {
  double lo = INFINITY, hi = -INFINITY;
  for (double x : t)
    if (!std::isnan(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  return lo <= hi ? std::pair{lo, hi} : std::pair{0.0, 0.0};
}

Effect linear(const std::vector<double>& t, const std::vector<size_t>&, const Params& p, Rng&) {
  const double a = p.get_double("slope"), b = p.get_double("intercept");
  return map_t(t, [&](double x) { return a * x + b; });
}

Effect exponential(const std::vector<double>& t, const std::vector<size_t>&, const Params& p,
                   Rng&) {
  const double r = p.get_double("rate");
  return map_t(t, [&](double x) { return std::pow(1 + r, x); });
}

Effect decay(const std::vector<double>& t, const std::vector<size_t>&, const Params& p, Rng&) {
  const double r = p.get_double("rate");
  return map_t(t, [&](double x) { return std::pow(1 - r, x); });
}

Effect cycle(const std::vector<double>& t, const std::vector<size_t>&, const Params& p, Rng&) {
  const double a = p.get_double("amplitude"), period = p.get_double("period"),
               phase = p.get_double("phase");
  return map_t(t,
               [&](double x) { return a * std::sin(2 * std::numbers::pi * x / period + phase); });
}

Effect sigmoid(const std::vector<double>& t, const std::vector<size_t>&, const Params& p, Rng&) {
  auto [lo, hi] = t_range(t);
  const double a = p.get_double("amplitude");
  const double c = p.is_null("center") ? (lo + hi) / 2 : p.get_double("center");
  double w = p.is_null("width") ? (hi - lo) / 10 : p.get_double("width");
  if (w <= 0) w = 1;
  return map_t(t, [&](double x) { return a / (1 + std::exp(-(x - c) / w)); });
}

Effect random_walk(const std::vector<double>& t, const std::vector<size_t>& order, const Params& p,
                   Rng& rng) {
  Effect out(t.size(), std::nan(""));
  const double sd = p.get_double("step_std");
  double level = 0;
  for (size_t i : order) {
    level += sd * rng.normal();
    out[i] = level;
  }
  return out;
}

Effect step(const std::vector<double>& t, const std::vector<size_t>&, const Params& p, Rng&) {
  const double at = p.get_double("at"), v = p.get_double("value");
  return map_t(t, [&](double x) { return x >= at ? v : 0.0; });
}

Effect noise(const std::vector<double>& t, const std::vector<size_t>&, const Params& p, Rng& rng) {
  const double sd = p.get_double("std");
  return map_t(t, [&](double) { return sd * rng.normal(); });
}

}  // namespace

const std::vector<EvolutionType>& evolution_types() {
  static const std::vector<EvolutionType> types = [] {
    std::vector<EvolutionType> v;
    v.push_back({"linear",
                 {"trend"},
                 "x + slope*t + intercept",
                 false,
                 ParamSpec{num("slope", 0.0, "change per unit of t"),
                           num("intercept", 0.0, "constant added")},
                 linear});
    ParamDef rate = num("rate", 0.0, "growth rate per unit of t", {"growth_rate"});
    rate.min = -1.0;
    rate.min_exclusive = true;
    v.push_back(
        {"exponential", {"growth"}, "x * (1 + rate)^t", true, ParamSpec{rate}, exponential});
    ParamDef drate = num("rate", 0.0, "decay rate per unit of t", {"decay_rate"});
    drate.min = 0.0;
    drate.max = 1.0;
    drate.min_exclusive = false;
    v.push_back({"decay", {}, "x * (1 - rate)^t", true, ParamSpec{drate}, decay});
    ParamDef period = num("period", 100.0, "length of one cycle in units of t");
    period.min = 0.0;
    period.min_exclusive = true;
    v.push_back({"cycle",
                 {"sinusoidal", "seasonal"},
                 "x + amplitude*sin(2*pi*t/period + phase)",
                 false,
                 ParamSpec{num("amplitude", 1.0, "peak change"), period,
                           num("phase", 0.0, "phase in radians")},
                 cycle});
    ParamDef center = num("center", nullptr, "t of the midpoint (default: middle of the t range)");
    center.nullable = true;
    ParamDef width = num("width", nullptr, "scale of the transition (default: t range / 10)");
    width.nullable = true;
    width.min = 0.0;
    width.min_exclusive = true;
    v.push_back({"sigmoid",
                 {},
                 "x + amplitude / (1 + exp(-(t - center)/width))",
                 false,
                 ParamSpec{num("amplitude", 1.0, "total change"), center, width},
                 sigmoid});
    ParamDef step_std = num("step_std", 1.0, "standard deviation of each step", {"std", "sigma"});
    step_std.min = 0.0;
    v.push_back({"random_walk",
                 {},
                 "x + cumulative sum of N(0, step_std) in order of t",
                 false,
                 ParamSpec{step_std},
                 random_walk});
    v.push_back({"step",
                 {"level_shift"},
                 "x + value where t >= at",
                 false,
                 ParamSpec{num("at", nullptr, "t from which the value is added", {"change_point"}),
                           num("value", nullptr, "amount added", {"magnitude"})},
                 step});
    ParamDef sd = num("std", 1.0, "standard deviation", {"noise_std", "sigma"});
    sd.min = 0.0;
    v.push_back({"noise", {}, "x + N(0, std)", false, ParamSpec{sd}, noise});
    return v;
  }();
  return types;
}

const EvolutionType* find_evolution_type(const std::string& name) {
  for (const auto& t : evolution_types()) {
    if (t.name == name) return &t;
    for (const auto& a : t.aliases)
      if (a == name) return &t;
  }
  return nullptr;
}

std::vector<std::string> evolution_type_names() {
  std::vector<std::string> out;
  for (const auto& t : evolution_types()) {
    out.push_back(t.name);
    out.insert(out.end(), t.aliases.begin(), t.aliases.end());
  }
  return out;
}

}  // namespace calm::dynamics
