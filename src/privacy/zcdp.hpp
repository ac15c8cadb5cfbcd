// Zero-concentrated differential privacy (Bun & Steinke, TCC 2016): composition adds rho, and a
// rho-zCDP mechanism is (epsilon, delta)-DP by the tight conversion of Canonne, Kamath & Steinke
// (NeurIPS 2020, Proposition 12 / Corollary 13; the cdp2adp computation used by MST and AIM).
#pragma once

#include <string>
#include <vector>

namespace calm::privacy {

// The smallest delta such that rho-zCDP implies (epsilon, delta)-DP (CKS 2020, Corollary 13,
// minimised over the Renyi order). 0 when rho is 0.
double zcdp_delta(double rho, double epsilon);
// The smallest epsilon with zcdp_delta(rho, epsilon) <= delta.
double zcdp_epsilon(double rho, double delta);
// The largest rho with zcdp_delta(rho, epsilon) <= delta: the budget a (epsilon, delta) target
// buys. Throws InvalidArgument unless epsilon > 0 and 0 < delta < 1.
double zcdp_rho(double epsilon, double delta);

// A zCDP budget and the record of what spent it, for the report ("privacy" section).
class ZcdpLedger {
 public:
  explicit ZcdpLedger(double rho_total);
  double total() const { return total_; }
  double spent() const { return spent_; }
  double remaining() const { return total_ - spent_; }
  // Records a spend; throws std::logic_error when it would exceed the total by more than 1e-9
  // relative (a method's bug, never the user's).
  void spend(double rho, const std::string& what);
  struct Entry {
    std::string what;
    double rho;
  };
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  double total_;
  double spent_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace calm::privacy
