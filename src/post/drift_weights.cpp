// Transition weights of gradual drift (see drift_weights.hpp). The sigmoid scale s = (W/4)/k makes
// W roughly the 12%..88% span at k = 1, and w(center) = 0.5 exactly for every profile.
#include "post/drift_weights.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "calm/core/error.hpp"

namespace calm::drift {

ParamDef probability_param(std::string name, double dflt, std::string doc,
                           std::vector<std::string> aliases) {
  return {.name = std::move(name),
          .type = ParamType::number,
          .default_value = dflt,
          .doc = std::move(doc),
          .aliases = std::move(aliases),
          .min = 0.0,
          .max = 1.0};
}

void add_window_params(ParamSpec& spec, bool with_inconsistency) {
  spec.add({.name = "center",
            .type = ParamType::number,
            .default_value = nullptr,
            .doc = "centre of the transition, as a row position within the selection (default n/2)",
            .nullable = true});
  spec.add({.name = "width",
            .type = ParamType::number,
            .default_value = nullptr,
            .doc = "rows the transition takes (default max(1, n/5))",
            .min = 0.0,
            .min_exclusive = true,
            .nullable = true});
  spec.add({.name = "profile",
            .type = ParamType::choice,
            .default_value = "sigmoid",
            .doc = "shape of the transition",
            .choices = window_profiles()});
  spec.add({.name = "speed_k",
            .type = ParamType::number,
            .default_value = 1.0,
            .doc = "steepness multiplier",
            .min = 0.0,
            .min_exclusive = true});
  spec.add({.name = "direction",
            .type = ParamType::choice,
            .default_value = "up",
            .doc = "up: drift grows along the rows; down: drift fades",
            .choices = {"up", "down"}});
  if (with_inconsistency)
    spec.add({.name = "inconsistency",
              .type = ParamType::number,
              .default_value = 0.0,
              .doc = "adds N(0, 0.1*inconsistency) jitter to the weights",
              .min = 0.0});
}

Window window_from(const Params& p) {
  Window w;
  if (!p.is_null("center")) w.center = p.get_double("center");
  if (!p.is_null("width")) w.width = p.get_double("width");
  w.profile = p.get_string("profile");
  w.speed_k = p.get_double("speed_k");
  w.down = p.get_string("direction") == "down";
  if (p.json().contains("inconsistency")) w.inconsistency = p.get_double("inconsistency");
  return w;
}

std::vector<double> window_weights(SelectionSpan span, const Window& spec, Rng* rng) {
  std::vector<double> w(span.count);
  const size_t n = span.total;
  if (n == 0 || span.count == 0) return w;
  const double c = spec.center ? std::clamp(*spec.center, 0.0, static_cast<double>(n - 1))
                               : static_cast<double>(n / 2);
  const double width = std::max(1.0, spec.width ? *spec.width : static_cast<double>(n / 5));
  const double k = spec.speed_k;
  for (size_t i = 0; i < span.count; ++i) {
    const double x = static_cast<double>(span.first + i);
    double v;
    if (spec.profile == "sigmoid") {
      v = 1.0 / (1.0 + std::exp(-(x - c) / ((width / 4.0) / k)));
    } else {
      double t = std::clamp((x - (c - width / 2.0)) / width, 0.0, 1.0);
      if (spec.profile == "cosine")
        v = 0.5 - 0.5 * std::cos(std::numbers::pi * t);
      else if (spec.profile == "linear")
        v = t;
      else
        throw InvalidArgument("unknown profile '" + spec.profile +
                              "'; valid profiles: sigmoid, linear, cosine");
      if (k != 1) v = std::clamp((v - 0.5) * k + 0.5, 0.0, 1.0);
    }
    if (spec.down) v = 1.0 - v;
    if (spec.inconsistency > 0 && rng)
      v = std::clamp(v + 0.1 * spec.inconsistency * rng->normal(), 0.0, 1.0);
    w[i] = v;
  }
  return w;
}

std::vector<double> mode_weights(const std::string& mode, SelectionSpan span, const Window& base,
                                 size_t repeats, Rng& rng) {
  const size_t n = span.total;
  if (mode == "abrupt") return std::vector<double>(span.count, 1.0);
  if (mode == "gradual") return window_weights(span, base, &rng);
  std::vector<double> w;
  if (mode == "incremental") {
    w.assign(span.count, 1.0);
    for (size_t i = 0; n > 1 && i < span.count; ++i)
      w[i] = static_cast<double>(span.first + i) / static_cast<double>(n - 1);
    return w;
  }
  if (mode != "recurrent")
    throw InvalidArgument("unknown drift mode '" + mode +
                          "'; valid modes: " + join_names(drift_modes()));
  repeats = std::max<size_t>(1, repeats);
  const size_t chunk = std::max<size_t>(1, n / repeats);
  const size_t last = span.first + span.count;
  for (size_t r = 0, begin = 0; r < repeats && begin < n; ++r) {
    const size_t end = r + 1 == repeats ? n : std::min(n, begin + chunk);
    // The part of this repeat's window that the span holds.
    const size_t from = std::max(begin, span.first), to = std::min(end, last);
    if (from < to) {
      Window win = base;
      if (!win.center) win.center = static_cast<double>((end - begin) / 2);
      if (!win.width) win.width = static_cast<double>(end - begin);
      auto part = window_weights(SelectionSpan{from - begin, to - from, end - begin}, win, &rng);
      w.insert(w.end(), part.begin(), part.end());
    }
    begin = end;
  }
  return w;
}

}  // namespace calm::drift
