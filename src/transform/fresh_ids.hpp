// Fresh keys for id columns, shared by the sequential methods (cart, rf, lgbm): id columns carry
// no signal to learn, so the output gets new unique keys — 1..n for numbers, text keys in the real
// keys' look (entity_keys.hpp: a shared prefix and suffix around digits are kept, else
// "<column>_0001", ...); a boolean or datetime "id" cannot be made unique, so its real values are
// cycled.
#pragma once

#include <cstddef>

#include "calm/core/table.hpp"

namespace calm {

Column fresh_ids(const Column& real, size_t n);

}  // namespace calm
