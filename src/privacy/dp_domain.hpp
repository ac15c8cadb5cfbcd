// The public face of a private table: for each column the domain the DP methods model it on —
// categories, numeric bins, a missing level — taken from what the user declared public
// (model_params `bounds` and `domain`) or else learnt under differential privacy from a declared
// share of the budget, never from the data's exact values:
//   categories: released when their noisy count passes a threshold set by the delta share
//     (the stability-based histogram: Korolova, Kenthapadi, Mishra & Ntoulas, WWW 2009; Wilson
//     et al., "Differentially Private SQL with Bounded User Contribution", PoPETs 2020), sorted;
//   numeric / datetime ranges and bin edges: a noisy histogram over fixed, data-independent
//     log-scale cells (sub-divided octaves on both signs), its extreme cells above 3 sigma as the
//     bounds and its noisy mass cut into equal-mass bins (post-processing of one measurement).
// Every column also has a missing level (whether a column has missing cells is itself private).
// The schema the output is shaped by (ranges, decimals) is the released one, so no
// post-processing reads the real data. Column names and semantic types are public.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "privacy/coded_table.hpp"

namespace calm {

// How the domain step's noise is accounted: under zCDP (discrete Gaussian; every method's
// domain step, see dp_budget.hpp) or pure epsilon-DP (discrete Laplace; kept for callers that
// need a delta-free domain of numeric columns).
enum class DomainAccounting { zcdp, pure };

struct DpDomainOptions {
  Json bounds = Json::object();  // {"column": [low, high]}: public numeric/datetime ranges
  Json domain = Json::object();  // {"column": ["a", "b", ...]}: public category lists
  int numeric_bins = 32;         // bins of a numeric column in the coded form
  DomainAccounting accounting = DomainAccounting::zcdp;
  double budget = 0;  // rho (zcdp) or epsilon (pure) for the columns that are not public
  double delta = 0;   // for the category thresholds (0 when every categorical domain is public)
};

struct DomainColumn {
  std::string name;
  SemanticType semantic = SemanticType::numerical;
  StorageType storage = StorageType::float64;
  ColumnFormat format;  // how the source spelled it (public metadata)
  bool integer = false;
  bool public_domain = false;       // given by the user (no budget spent on it)
  std::vector<std::string> levels;  // categorical / boolean: the category texts
  std::vector<double> edges;        // numeric / datetime: bins [edges[i], edges[i+1])
  int decimals = -1;                // from the bin widths (post-processing of the release)
  size_t clipped = 0;               // real cells outside public bounds or absent from a public
                                    // category list (reported in a warning, never silent)
  int size() const;                 // levels or bins, plus the missing level (always last)
};

class DpDomain {
 public:
  // Learns the domain of every non-id column (ids get fresh keys 1..n). Logs a warning per
  // column with clipped cells. Throws InvalidArgument for a bounds/domain entry naming an
  // absent column, a non-numeric or inverted range, a non-list domain.
  static DpDomain learn(const Table& data, const Schema& schema, const DpDomainOptions& options,
                        Rng& rng, const Logger& log);

  const std::vector<DomainColumn>& columns() const { return columns_; }
  // Indices into the table's columns of the modelled (non-id) columns, in attribute order.
  const std::vector<size_t>& attribute_columns() const { return attribute_columns_; }
  // Attribute index of a column name, or -1 (absent or an id).
  int attribute_of(const std::string& column) const;

  // Every modelled column as codes of its domain (values outside public bounds clipped into the
  // end bins; categories outside a public list coded as missing).
  CodedTable encode(const Table& data) const;
  // A table of the fitted table's columns (in order and storage type) from codes [attr][row]:
  // numerics uniform within their bin (rounded for integer columns), categories by level, the
  // missing level as missing, fresh ids. Row chunks of kSampleChunk, chunk c drawn from its own
  // Rng stream (distinct from the model's sampling streams), so the output is the same for any
  // `threads`.
  Table decode(const std::vector<std::vector<int32_t>>& codes, uint64_t seed, int threads) const;

  // Continuous form for the DP deep models: a numeric column as two features, its value scaled
  // by the domain's bounds to [-1, 1] (clipped; 0 when missing) and a 2-level missing flag
  // (0 present, 1 missing); a categorical column as one feature of codes (its missing level
  // included).
  struct Features {
    std::vector<int> levels;                 // per feature: 0 continuous, else category count
    std::vector<std::vector<float>> values;  // [feature][row]
  };
  Features encode_features(const Table& data) const;
  Table decode_features(const Features& features, uint64_t seed, int threads) const;

  // The released schema: names, types, ranges = the domain's bounds, decimals from bin widths.
  const Schema& released_schema() const { return released_; }
  // What was treated as public, for the report: column names and types, then each user bound
  // and category list.
  std::vector<std::string> public_inputs() const;
  double budget_spent() const { return spent_; }  // rho or epsilon, as accounted
  double delta_spent() const { return delta_spent_; }

  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in);

 private:
  std::vector<DomainColumn> columns_;  // one per table column (ids included, with no levels)
  std::vector<size_t> attribute_columns_;
  Schema released_;
  double spent_ = 0, delta_spent_ = 0;
};

}  // namespace calm
