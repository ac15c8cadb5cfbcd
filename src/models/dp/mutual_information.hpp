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

// f = n I(X; Pi) = phi(n) + sum phi(c_xp) - sum phi(c_x) - sum phi(c_p), phi(c) = c ln c, from
// the three sums (compensated; the absolute error stays below ~1e-15 n ln n), and the score
// s = f / g(n) (0 for n <= 1).
double information_score(double joint_phi, double parent_phi, double child_phi, uint64_t n);

// Sum of phi(count) over the distinct values of `cell_of_row` (each < cells): a marginal's
// phi-sum straight from per-row cell indices. Dense counting with a list of the touched cells
// (cost O(n), the counts stay zeroed between calls) up to a few million cells, a radix sort
// beyond. The workspace is reused between calls of one thread.
class PhiSum {
 public:
  double operator()(const uint32_t* cell_of_row, size_t n, size_t cells);

 private:
  std::vector<uint32_t> counts_, touched_, sorted_, buffer_;
};

// f = n I in nats from the joint counts [parent cell][x] (x fastest, `child_size` values).
double total_information(const uint32_t* joint, size_t cells, size_t child_size);
// The score s of the same table.
double information_score(const uint32_t* joint, size_t cells, size_t child_size);

}  // namespace calm::privbayes
