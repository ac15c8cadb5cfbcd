// Parsing of custom_distributions / balance_target into ColumnShares (values in the column's
// Column::numeric encoding), with errors that list the column's known values.
#pragma once

#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/synthesizer.hpp"

namespace calm {

// spec: {value: share, ...} (shares sum to 1 within 1e-6) or "balanced".
ColumnShares parse_column_shares(const Table& data, const std::string& column, const Json& spec);

// Every column named in custom_distributions (validated), balance_target folded in.
std::vector<ColumnShares> parse_custom_distributions(const Table& data, const Json& spec,
                                                     const std::optional<std::string>& target,
                                                     bool balance_target);

}  // namespace calm
