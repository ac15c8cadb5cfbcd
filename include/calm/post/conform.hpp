// Makes a sampled table look like the real one: same column order and storage types, integers
// stay integers, floats keep the source's decimal places, numeric/datetime values stay inside the
// observed [min, max] (unless asked otherwise).
#pragma once

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct ConformOptions {
  bool clip_to_observed_range = true;
};

Table conform_to_schema(const Table& sampled, const Schema& schema, const ConformOptions& opt = {});

}  // namespace calm
