// The budget split of the DP methods and the guarantee they report (see dp_budget.hpp).
#include "privacy/dp_budget.hpp"

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "privacy/zcdp.hpp"

namespace calm {
namespace {

constexpr double kDomainDeltaShare = 0.1;

bool numeric_semantic(SemanticType s) {
  return s == SemanticType::numerical || s == SemanticType::datetime;
}

}  // namespace

DpBudget plan_budget(const Params& params, const Schema& schema, size_t rows,
                     DomainAccounting accounting, const char* method) {
  DpBudget b;
  b.accounting = accounting;
  b.epsilon = params.get_double("epsilon");
  b.delta = params.get_double("delta");
  if (rows > 0 && b.delta >= 1.0 / static_cast<double>(rows))
    throw InvalidArgument(std::string(method) + ": delta must be below 1/rows = " +
                          format_double(1.0 / static_cast<double>(rows)) + " for " +
                          std::to_string(rows) +
                          " rows (a larger delta allows publishing a row "
                          "outright), got " +
                          format_double(b.delta));
  const Json& bounds = params.raw("bounds");
  const Json& domain = params.raw("domain");
  bool private_columns = false, private_categories = false;
  for (const auto& c : schema.columns) {
    if (c.semantic == SemanticType::id) continue;
    if (c.semantic == SemanticType::boolean && c.storage == StorageType::boolean) continue;
    const bool numeric = numeric_semantic(c.semantic);
    const bool given = numeric ? bounds.is_object() && bounds.contains(c.name)
                               : domain.is_object() && domain.contains(c.name);
    if (given) continue;
    private_columns = true;
    private_categories |= !numeric;
  }
  const double pre =
      params.is_null("preprocessor_eps") ? 0.1 * b.epsilon : params.get_double("preprocessor_eps");
  if (private_columns && pre >= b.epsilon)
    throw InvalidArgument(std::string(method) + ": preprocessor_eps (" + format_double(pre) +
                          ") must be below epsilon (" + format_double(b.epsilon) +
                          "): the rest of epsilon trains the model");
  if (accounting == DomainAccounting::zcdp) {
    b.domain_delta = private_categories ? kDomainDeltaShare * b.delta : 0;
    b.rho = privacy::zcdp_rho(b.epsilon, b.delta - b.domain_delta);
    b.domain_budget = private_columns ? b.rho * pre / b.epsilon : 0;
    b.model_budget = b.rho - b.domain_budget;
  } else {
    // The domain step of a pure method is still zCDP: Gaussian noise composes over the columns
    // far better than Laplace (sqrt of their number instead of their number), and the released
    // categories need a delta anyway. Its rho meets (preprocessor_eps, delta_domain / 2); the
    // category thresholds get the other half, the conversion all of it when none is needed.
    b.domain_delta = private_columns ? kDomainDeltaShare * b.delta : 0;
    b.domain_budget =
        private_columns
            ? privacy::zcdp_rho(pre, private_categories ? b.domain_delta / 2 : b.domain_delta)
            : 0;
    b.model_budget = b.epsilon - (private_columns ? pre : 0);
  }
  return b;
}

DpDomainOptions domain_options(const Params& params, const DpBudget& budget) {
  DpDomainOptions o;
  o.bounds = params.raw("bounds").is_null() ? Json::object() : params.raw("bounds");
  o.domain = params.raw("domain").is_null() ? Json::object() : params.raw("domain");
  o.numeric_bins = static_cast<int>(params.get_int("bins"));
  o.accounting = DomainAccounting::zcdp;  // for every method (see plan_budget)
  o.budget = budget.domain_budget;
  o.delta =
      budget.accounting == DomainAccounting::zcdp ? budget.domain_delta : budget.domain_delta / 2;
  return o;
}

double domain_delta_used(const DpBudget& b, const DpDomain& domain) {
  if (!(domain.budget_spent() > 0 || domain.delta_spent() > 0)) return 0;
  return b.accounting == DomainAccounting::zcdp ? domain.delta_spent() : b.domain_delta;
}

Json guarantee_json(const DpBudget& b, const DpDomain& domain, const Json& model_spends,
                    const std::string& mechanism) {
  const bool zcdp = b.accounting == DomainAccounting::zcdp;
  const double domain_delta = domain_delta_used(b, domain);
  Json spends = Json::array();
  if (domain.budget_spent() > 0 || domain.delta_spent() > 0) {
    Json spend = {{"what", "domain of the columns without public bounds/categories"},
                  {"rho", domain.budget_spent()}};
    // Pure methods: converted to (epsilon, delta) for basic composition with the model.
    if (!zcdp) spend["epsilon"] = b.epsilon - b.model_budget;
    spend["delta"] = domain_delta;
    spends.push_back(std::move(spend));
  }
  // A pure-accounting model may spend a delta of its own (the DP GANs' (epsilon, delta) model,
  // given the user's delta less the domain's): the total is the sum (basic composition).
  double model_delta = 0;
  for (const auto& s : model_spends) {
    spends.push_back(s);
    model_delta += s.value("delta", 0.0);
  }
  Json g = {{"mechanism", mechanism},
            {"epsilon", b.epsilon},
            {"delta", zcdp ? b.delta : domain_delta + model_delta},
            {"accountant", zcdp ? "zero-concentrated DP (Bun & Steinke 2016), converted to "
                                  "(epsilon, delta) by Canonne, Kamath & Steinke (2020)"
                                : "basic composition of the domain step (zCDP, converted to "
                                  "(epsilon, delta) by Canonne, Kamath & Steinke 2020) and the "
                                  "model's own accountant"},
            {"neighbouring", "one row added or removed"},
            {"public_inputs", domain.public_inputs()},
            {"spends", spends},
            {"noise",
             "exact discrete Gaussian / discrete Laplace samplers (Canonne, Kamath & "
             "Steinke 2020) on integer counts"},
            {"not_covered",
             Json::array({"the choice of parameters (epsilon, bins, method) is assumed public",
                          "timing and memory side channels"})}};
  if (zcdp) g["rho"] = b.rho;
  return g;
}

}  // namespace calm
