// How a DP method's (epsilon, delta) is divided between learning the domain of the columns that
// are not public and the model itself, and the guarantee that results, as the report states it.
//   zCDP methods (mst, aim): rho = the largest rho-zCDP budget whose conversion (CKS 2020) meets
//     (epsilon, delta - delta_domain); the domain gets rho * preprocessor_eps / epsilon when some
//     column needs it, the model the rest. delta_domain = delta / 10 when some categorical column
//     needs its categories released (thresholding), else 0; the total delta is the conversion's
//     delta plus delta_domain (the threshold's failure probability composes additively).
//   pure methods (mwem, datasynth, the DP GANs): basic composition; the domain step is still
//     zCDP (discrete Gaussian: it composes over the columns as the square root of their number),
//     its rho meeting (preprocessor_eps, delta / 20) and its category thresholds taking another
//     delta / 20 (delta / 10 in all when some column is not public; 0, and the method pure
//     epsilon-DP, when every column is); the model gets epsilon - preprocessor_eps, and the
//     deltas of its spends add up (the GANs give their (epsilon, delta) model the user's delta
//     less the domain's).
#pragma once

#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "privacy/dp_domain.hpp"

namespace calm {

struct DpBudget {
  DomainAccounting accounting = DomainAccounting::zcdp;
  double epsilon = 1, delta = 0;  // the user's target
  double rho = 0;                 // zcdp: the whole budget in rho
  double domain_budget = 0;       // rho for the domain step (every method)
  double domain_delta = 0;
  double model_budget = 0;  // rho or epsilon left for the model
};

// The split for `schema` given the params epsilon, delta, preprocessor_eps, bounds, domain.
// Throws InvalidArgument when delta >= 1/rows (a mechanism could then publish a row outright),
// or preprocessor_eps >= epsilon.
DpBudget plan_budget(const Params& params, const Schema& schema, size_t rows,
                     DomainAccounting accounting, const char* method);

// The DP domain options for the plan.
DpDomainOptions domain_options(const Params& params, const DpBudget& budget);

// {epsilon, delta, accountant, rho?, public_inputs, spends[{what, rho|epsilon}], caveats}
// The delta the domain step used (its category thresholds, and for pure methods its zCDP
// conversion): 0 when every column was public and the step spent nothing.
double domain_delta_used(const DpBudget& budget, const DpDomain& domain);

Json guarantee_json(const DpBudget& budget, const DpDomain& domain, const Json& model_spends,
                    const std::string& mechanism);

}  // namespace calm
