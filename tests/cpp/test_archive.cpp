// Model-file archive: exact round trips of every field kind and clear errors on corrupt input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"

namespace calm {
namespace {

TEST(Archive, RoundTripsEveryFieldKindExactly) {
  ArchiveWriter w;
  w.tag("head");
  w.u64(42);
  w.i64(-7);
  w.f64(std::numeric_limits<double>::quiet_NaN());
  w.f64(0.1);
  w.str("héllo");
  w.bytes(std::string("\0\1\2", 3));
  w.f64s({1.5, -2.25});
  w.i64s({-1, 1LL << 60});
  w.i32s({3, -1});
  w.u8s({0, 1, 1});
  w.strs({"a", "", "ccc"});
  Table t({Column::float64("x", {1.0, NAN}), Column::categorical("c", {1, -1}, {"p", "q"}),
           Column::int64("i", {5, 0}, {1, 0})});
  w.table(t);
  const std::string data = w.take();

  ArchiveReader r(data, "mem");
  r.tag("head");
  EXPECT_EQ(r.u64(), 42u);
  EXPECT_EQ(r.i64(), -7);
  EXPECT_TRUE(std::isnan(r.f64()));
  EXPECT_EQ(r.f64(), 0.1);
  EXPECT_EQ(r.str(), "héllo");
  EXPECT_EQ(r.bytes(), std::string("\0\1\2", 3));
  EXPECT_EQ(r.f64s(), (std::vector<double>{1.5, -2.25}));
  EXPECT_EQ(r.i64s(), (std::vector<int64_t>{-1, 1LL << 60}));
  EXPECT_EQ(r.i32s(), (std::vector<int32_t>{3, -1}));
  EXPECT_EQ(r.u8s(), (std::vector<uint8_t>{0, 1, 1}));
  EXPECT_EQ(r.strs(), (std::vector<std::string>{"a", "", "ccc"}));
  const Table back = r.table();
  EXPECT_TRUE(r.at_end());
  ASSERT_EQ(back.num_columns(), 3u);
  ASSERT_EQ(back.num_rows(), 2u);
  for (size_t j = 0; j < 3; ++j)
    for (size_t i = 0; i < 2; ++i) EXPECT_EQ(back.column(j).text(i), t.column(j).text(i));
  EXPECT_EQ(back.column("c").dict, t.column("c").dict);
}

TEST(Archive, TruncatedOrMisorderedDataFailsWithDataError) {
  ArchiveWriter w;
  w.f64s({1, 2, 3});
  w.u64(1);
  const std::string data = w.take();
  ArchiveReader truncated(std::string_view(data).substr(0, data.size() - 20), "m.calm");
  try {
    truncated.f64s();
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("m.calm"), std::string::npos);
  }
  ArchiveReader wrong_kind(data, "m.calm");
  EXPECT_THROW(wrong_kind.u64(), DataError);
  ArchiveReader wrong_tag(data, "m.calm");
  EXPECT_THROW(wrong_tag.tag("x"), DataError);
}

// A crafted file that claims a huge length must fail with a DataError naming the file before
// anything is allocated (not std::bad_alloc, not the OOM killer): every count is checked against
// the bytes left.
TEST(Archive, ImpossibleLengthsFailBeforeAllocating) {
  auto crafted = [](uint8_t kind, uint64_t length) {
    std::string bytes(1, static_cast<char>(kind));
    bytes.append(reinterpret_cast<const char*>(&length), sizeof length);
    return bytes + std::string(16, '\x01');
  };
  const uint64_t huge = uint64_t{1} << 61;
  // The kinds' order in archive.cpp: 4 str, 5 bytes, 6 f64s, 7 i64s, 8 i32s, 9 u8s, 10 strs.
  for (uint8_t kind = 4; kind <= 10; ++kind)
    for (const uint64_t length : {huge, uint64_t{17}, ~uint64_t{0}}) {
      const std::string data = crafted(kind, length);
      ArchiveReader r(data, "crafted.calm");
      try {
        switch (kind) {
          case 4:
            r.str();
            break;
          case 5:
            r.bytes();
            break;
          case 6:
            r.f64s();
            break;
          case 7:
            r.i64s();
            break;
          case 8:
            r.i32s();
            break;
          case 9:
            r.u8s();
            break;
          default:
            r.strs();
            break;
        }
        ADD_FAILURE() << "kind " << int(kind) << " length " << length << " was accepted";
      } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("crafted.calm"), std::string::npos) << e.what();
      }
    }
}

}  // namespace
}  // namespace calm
