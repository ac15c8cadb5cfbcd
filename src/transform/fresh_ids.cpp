// Fresh keys for id columns (see fresh_ids.hpp).
#include "transform/fresh_ids.hpp"

#include <numeric>
#include <string>
#include <vector>

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
    case StorageType::categorical: {
      std::vector<int32_t> codes(n);
      std::vector<std::string> dict(n);
      for (size_t i = 0; i < n; ++i) {
        codes[i] = static_cast<int32_t>(i);
        dict[i] = "id_" + std::to_string(i + 1);
      }
      c = Column::categorical(real.name, std::move(codes), std::move(dict));
      break;
    }
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
