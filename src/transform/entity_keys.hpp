// Fresh entity keys for generated sequences, in the real keys' look (the entity counterpart of
// fresh_ids.hpp): number keys become 1, 2, ...; text keys that share a prefix and suffix around a
// run of digits ("P001".."P312") keep them and the digits' width; other text keys (names such as
// cities) become "<column>_0001", "<column>_0002", ... A key is never a real entity's key copied.
// Entity e's key ends in the number first + e, so core's renumber_entity_keys can move a block's
// keys past another block's.
#pragma once

#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/table.hpp"

namespace calm {

class EntityKeys {
 public:
  // DataError for a boolean or datetime key (such keys cannot be made fresh and unique).
  static EntityKeys fit(const Column& real);
  // The key column of entities numbered first, first + 1, ... with lengths[e] rows each.
  Column make(const std::vector<size_t>& lengths, size_t first = 1) const;

  void save(ArchiveWriter& out) const;
  static EntityKeys load(ArchiveReader& in);

 private:
  std::string name_;
  StorageType type_ = StorageType::int64;
  ColumnFormat format_;
  std::string prefix_, suffix_;
  size_t width_ = 1;
};

}  // namespace calm
