// Transition weights of gradual drift (the original's _window_weights): for positions
// i = 0..n-1 within the selected rows, a weight w_i in [0, 1] that ramps from "no drift" to "full
// drift" around `center` over about `width` rows, with a sigmoid, linear or cosine profile.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/rng.hpp"

namespace calm::drift {

struct Window {
  std::optional<double> center;  // position within the selection; default n/2
  std::optional<double> width;   // rows; default max(1, n/5)
  std::string profile = "sigmoid";
  double speed_k = 1;
  bool down = false;         // direction "down": w -> 1 - w
  double inconsistency = 0;  // sd of N(0, 0.1*inconsistency) jitter added to w
};

inline const std::vector<std::string>& window_profiles() {
  static const std::vector<std::string> p = {"sigmoid", "linear", "cosine"};
  return p;
}

// Positions [first, first + count) of a selection of `total` rows: the part of a drift's
// selection that one block of a stream holds (a whole table: {0, n, n}).
struct SelectionSpan {
  size_t first = 0, count = 0, total = 0;
  static SelectionSpan whole(size_t n) { return {0, n, n}; }
};

// Declares center, width, profile, speed_k, direction (and inconsistency when asked).
void add_window_params(ParamSpec& spec, bool with_inconsistency);
// A probability parameter: a number in [0, 1].
ParamDef probability_param(std::string name, double dflt, std::string doc,
                           std::vector<std::string> aliases = {});
Window window_from(const Params& p);

// Weights for the positions of `span` (of a selection of span.total rows). sigmoid:
// 1/(1+exp(-(i-c)/s)), s = (W/4)/k; linear: clip((i-(c-W/2))/W), cosine: (1-cos(pi*t))/2 of that;
// for linear/cosine k != 1 steepens: clip((w-0.5)k+0.5). `rng` is used only when inconsistency > 0.
std::vector<double> window_weights(SelectionSpan span, const Window& w, Rng* rng = nullptr);
inline std::vector<double> window_weights(size_t n, const Window& w, Rng* rng = nullptr) {
  return window_weights(SelectionSpan::whole(n), w, rng);
}

// The drift modes shared by the feature methods and the unified inject_drift.
inline const std::vector<std::string>& drift_modes() {
  static const std::vector<std::string> m = {"abrupt", "gradual", "incremental", "recurrent"};
  return m;
}

// Weights of a drift mode over n selected rows: abrupt 1 everywhere; gradual the window above;
// incremental the linear ramp i/(n-1) (none at the first row, full at the last); recurrent
// `repeats` contiguous chunks (the last takes the remainder), each with its own window whose
// centre and width default to the chunk's middle and length: a sawtooth of ramps.
std::vector<double> mode_weights(const std::string& mode, SelectionSpan span, const Window& w,
                                 size_t repeats, Rng& rng);

}  // namespace calm::drift
