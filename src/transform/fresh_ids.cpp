// Fresh keys for id columns (see fresh_ids.hpp).
#include "transform/fresh_ids.hpp"

#include <numeric>
#include <string>
#include <vector>

#include "transform/entity_keys.hpp"

namespace calm {

Column fresh_ids(const Column& real, size_t n) {
  Column c;
  switch (real.type) {
    case StorageType::int64: {
      std::vector<int64_t> v(n);
      std::iota(v.begin(), v.end(), int64_t{1});
      c = Column::int64(real.name, std::move(v));
      break;
    }
    case StorageType::float64: {
      std::vector<double> v(n);
      std::iota(v.begin(), v.end(), 1.0);
      c = Column::float64(real.name, std::move(v));
      break;
    }
    case StorageType::categorical:
      // In the real keys' look ("P001".."P312" -> "P001", ...; names -> "<column>_0001"), as the
      // copula's and the sequence methods' keys.
      c = EntityKeys::fit(real).make(std::vector<size_t>(n, 1));
      break;
    default: {
      std::vector<int64_t> rows(n);
      for (size_t i = 0; i < n; ++i) rows[i] = static_cast<int64_t>(i % real.size());
      c = real.take(rows);
    }
  }
  c.format = real.format;
  return c;
}

}  // namespace calm
