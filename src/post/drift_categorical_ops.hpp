// Per-row categorical and boolean drift operations with transition weights: row k of the
// selection changes with probability w_k * p (p the method's probability or magnitude), so the
// same operation serves the abrupt methods (w = 1) and every mode of the unified inject_drift.
#pragma once

#include <string>
#include <vector>

#include "calm/core/rng.hpp"
#include "calm/core/table.hpp"

namespace calm::drift {

// The redraw distribution of inject_categorical_frequency_drift.
inline const std::vector<std::string>& frequency_perturbations() {
  static const std::vector<std::string> p = {"uniform", "random", "invert"};
  return p;
}
inline const std::vector<std::string>& typo_kinds() {
  static const std::vector<std::string> k = {"random", "swap", "delete", "duplicate"};
  return k;
}

// Redraws a row from the target distribution over the K values present among `rows`: uniform
// 1/K, random (normalised U(0,1)), or invert (1 - f_c)/sum(1 - f) with f the observed shares.
// The redraw may return the same value. Nothing happens with fewer than 2 values.
void redraw_frequency(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w,
                      double p, const std::string& perturbation, Rng& rng);

// `density` character edits (swap with the next character, cyclic; delete; duplicate) at random
// positions of a categorical value; values shorter than 2 characters are left alone. Edited
// spellings are added to the dictionary.
void apply_typos(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w, double p,
                 int64_t density, const std::string& kind, Rng& rng);

// A boolean column, or an integer column holding only 0 and 1.
bool is_binary(const Column& c);

// Flips a binary value (not x, or 1 - x). Missing cells stay missing.
void flip_binary(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w, double p,
                 Rng& rng);

// Writes `value` (numeric encoding, see drift_cells.hpp) into a row; when `only` is non-empty,
// only rows currently holding one of those values are eligible.
void set_value(Column& c, const std::vector<size_t>& rows, const std::vector<double>& w, double p,
               double value, const std::vector<double>& only, Rng& rng);

}  // namespace calm::drift
