// The score PrivBayes' exponential mechanism ranks (attribute, parent set) pairs by: the mutual
// information I(X; Pi) of the empirical joint distribution, in nats, rescaled so that its
// sensitivity is at most 1 under calm's neighbouring relation (one row added or removed, the row
// count itself private).
//
// Zhang et al.'s Lemma 4.1 (and DataSynthesizer's calculate_sensitivity) bound the change of I
// between two tables of the same, public size n that differ in one row (replacement). Under
// add/remove the size changes too, and a bound that depends on n may not be plugged into the
// exponential mechanism as a constant, since n is private. Instead the score is
//     s(D) = n I(D) / g(n),   g(n) = (n + 1) ln(n + 1) - n ln n   (s = 0 for n <= 1),
// whose add/remove sensitivity is at most 1 for every n (proof in mutual_information.cpp).
// exp(eps s / 2) is then exp(eps I / (2 g(n) / n)): I with the "sensitivity" g(n) / n ~
// (ln n + 1) / n, which is Lemma 4.1's binary-case value at n + 1 rows, g(n) / (n + 1), up to
// the factor (n + 1) / n; under replacement (= remove + add) it is twice that, matching Lemma
// 4.1's non-binary (2 ln n) / n to first order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace calm::privbayes {

// g(n) = (n + 1) ln(n + 1) - n ln n: how much f = n I can grow when a row is added to n rows.
double information_increment(double n);

// f = n I(X; Pi) in nats, from the joint counts [parent cell][x] (x fastest; `child_size`
// values of x), summed with compensation so that its absolute error stays below ~1e-15 n ln n.
double total_information(const uint32_t* joint, size_t cells, size_t child_size);

// s = f / g(n) (0 for n <= 1), n = the sum of the counts.
double information_score(const uint32_t* joint, size_t cells, size_t child_size);

// The same from per-row cell indices cell = parent_cell * child_size + x (any order; cells up to
// `cells`): counts densely when the table is small against the rows, otherwise sorts a copy of
// `cell_of_row`, so that a mostly empty million-cell table costs O(n log n), not O(cells).
// `scratch` is reused between calls.
double information_score_of_rows(const std::vector<uint32_t>& cell_of_row, size_t cells,
                                 size_t child_size, std::vector<uint32_t>& scratch);

}  // namespace calm::privbayes
