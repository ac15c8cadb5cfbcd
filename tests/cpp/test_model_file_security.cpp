// Crafted model files (issue 21, security): the loader checks every count and size against the
// bytes left before allocating, and every index against what it indexes, so a hostile file fails
// with a DataError naming it, never with std::bad_alloc, the OOM killer or a read out of bounds.
// fuzz/fuzz_model.cpp searches for more; each input it found is a case here.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "api/model_file.hpp"
#include "calm/api/real_generator.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"
#include "calm/io/csv.hpp"
#include "cli_test_support.hpp"

namespace calm {
namespace {

std::string load_error(const std::string& bytes) {
  try {
    model_from_bytes(bytes, "crafted.calm");
  } catch (const DataError& e) {
    return e.what();
  }
  return "accepted";
}

// A model file whose schema claims 2^40 columns.
TEST(ModelFileSecurity, AHugeSchemaCountFailsWithAClearError) {
  ArchiveWriter w;
  w.u64(kModelFormatVersion);
  w.str("0.1.0");
  w.str("cart");
  w.str("{}");
  w.tag("schema");
  std::string bytes = std::string(kModelMagic, 8) + w.take();
  bytes += static_cast<char>(13);  // a schema field (archive.cpp's k_schema) ...
  ArchiveWriter count;
  count.u64(uint64_t{1} << 40);  // ... of 2^40 columns
  bytes += count.take();
  const std::string m = load_error(bytes);
  EXPECT_NE(m.find("crafted.calm"), std::string::npos) << m;
  EXPECT_NE(m.find("impossible column count"), std::string::npos) << m;
}

// An id column's width (new ids are zero-padded to it when sampling) set to 2^40 in a real
// gaussian_copula model: refused at load, not a terabyte string per sampled cell.
TEST(ModelFileSecurity, AnImpossibleIdWidthIsRefused) {
  std::string csv = "code,x\n";
  for (int i = 100; i < 160; ++i) {
    csv += "id";
    csv += std::to_string(i) + "," + std::to_string(i % 7) + "\n";
  }
  cli_test::TempDir dir;
  const Table data = read_csv(dir.file("ids.csv", csv));
  GenerateOptions o;
  o.n_samples = 5;
  o.method = "gaussian_copula";
  o.column_types = {{"code", "id"}};
  RealGenerator gen(GeneratorSettings{.random_state = 1});
  gen.generate(data, o);
  const std::string path = (dir.path / "m.calm").string();
  gen.save(path);
  std::string bytes = cli_test::slurp(path);
  ASSERT_NO_THROW(model_from_bytes(bytes, "m.calm"));
  // The id model's prefix "id" (a str field: kind 4, length 2) and then its width (a u64 field:
  // kind 1, value 3).
  const std::string field = std::string("\x04\x02\0\0\0\0\0\0\0id\x01\x03\0\0\0\0\0\0\0", 20);
  const size_t at = bytes.find(field);
  ASSERT_NE(at, std::string::npos);
  const uint64_t huge = uint64_t{1} << 40;
  // The payload is a bytes field: patch the width inside it (the length stays the same).
  std::memcpy(bytes.data() + at + 12, &huge, sizeof huge);
  const std::string m = load_error(bytes);
  EXPECT_NE(m.find("crafted.calm"), std::string::npos) << m;
  EXPECT_NE(m.find("impossible id width"), std::string::npos) << m;
}

}  // namespace
}  // namespace calm
