// The calm C++ API in one include.
#pragma once

#include "calm/api/methods.hpp"
#include "calm/api/real_block_generator.hpp"
#include "calm/api/real_generator.hpp"
#include "calm/api/row_stream.hpp"
#include "calm/core/error.hpp"
#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "calm/io/csv.hpp"

namespace calm {

constexpr const char* version() {
  return "0.1.0";
}

}  // namespace calm
