// conform_cells (calm/post/conform_cells.hpp): the cells path keeps each gene within its real
// range as conform_to_schema keeps the table view's gene columns, so both views of the same
// synthetic cells come out identical.
#include <gtest/gtest.h>

#include "calm/core/error.hpp"
#include "calm/core/schema.hpp"
#include "calm/post/conform.hpp"
#include "calm/post/conform_cells.hpp"
#include "csr_test_support.hpp"

using namespace calm;

namespace {

CsrMatrix dense_csr(size_t rows, size_t cols, const std::vector<float>& v) {
  return CsrMatrix::from_dense(rows, cols, v);
}

}  // namespace

TEST(ConformCells, GenesKeepTheirRealRangeAsTheTableViewDoes) {
  // Gene 0: 0..3; gene 1: never 0 (2..5); gene 2: never expressed; gene 3: 0..1.
  const CsrMatrix real = dense_csr(3, 4,
                                   {0, 2, 0, 1,  //
                                    3, 5, 0, 0,  //
                                    1, 4, 0, 0});
  CsrMatrix syn = dense_csr(3, 4,
                            {9, 0, 2, 0,  //
                             2, 7, 0, 4,  //
                             0, 1, 0, 0});
  // An entry stored out of gene order, as a method may leave it.
  std::swap(syn.indices[0], syn.indices[1]);
  std::swap(syn.data[0], syn.data[1]);
  const CsrMatrix out = conform_cells(syn, real);
  out.check("conformed");
  const std::vector<float> want = {3, 2, 0, 0,  //
                                   2, 5, 0, 1,  //
                                   0, 2, 0, 0};
  EXPECT_EQ(test::dense(out), want);
  for (float v : out.data) EXPECT_NE(v, 0.0f);  // zeros are not stored
  for (size_t r = 0; r < out.rows; ++r)
    for (auto k = out.indptr[r] + 1; k < out.indptr[r + 1]; ++k)
      EXPECT_LT(out.indices[static_cast<size_t>(k - 1)], out.indices[static_cast<size_t>(k)]);

  // The table view of the same cells, conformed to the real table's schema: the same values.
  std::vector<Column> real_cols, syn_cols;
  const std::vector<float> r = test::dense(real), s = test::dense(syn);
  for (size_t g = 0; g < 4; ++g) {
    std::vector<int64_t> a, b;
    for (size_t i = 0; i < 3; ++i) a.push_back(static_cast<int64_t>(r[i * 4 + g]));
    for (size_t i = 0; i < 3; ++i) b.push_back(static_cast<int64_t>(s[i * 4 + g]));
    real_cols.push_back(Column::int64("g" + std::to_string(g), a));
    syn_cols.push_back(Column::int64("g" + std::to_string(g), b));
  }
  const Table conformed = conform_to_schema(Table(syn_cols), infer_schema(Table(real_cols)));
  for (size_t g = 0; g < 4; ++g)
    for (size_t i = 0; i < 3; ++i)
      EXPECT_EQ(conformed.column(g).i64[i], static_cast<int64_t>(want[i * 4 + g])) << g << " " << i;

  CsrMatrix wrong = syn;
  wrong.cols = 5;
  EXPECT_THROW(conform_cells(wrong, real), InternalError);
}
