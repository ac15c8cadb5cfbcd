// AnnData (.h5ad) input: pbmc_small.h5ad (sparse CSR X, categorical obs) reads as the same cells
// as pbmc_small_counts.csv, cell for cell; CSC and dense layouts give the same CSR matrix; files
// that are not AnnData fail with the reason.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "calm/core/error.hpp"
#include "calm/io/anndata.hpp"
#include "calm/io/csv.hpp"
#include "calm/io/table_sink.hpp"

using namespace calm;

namespace {

std::string dataset(const std::string& name) {
  return std::string(CALM_DATASETS_DIR) + "/" + name;
}

}  // namespace

TEST(AnnData, ReadsSparseXAndCategoricalObs) {
  const AnnData a = read_h5ad(dataset("pbmc_small.h5ad"));
  EXPECT_EQ(a.x.rows, 80u);
  EXPECT_EQ(a.x.cols, 230u);
  EXPECT_EQ(a.x.nnz(), 4456u);
  EXPECT_TRUE(a.x.holds_counts());
  EXPECT_EQ(a.obs_names.size(), 80u);
  EXPECT_EQ(a.var_names.size(), 230u);
  ASSERT_EQ(a.obs.column_names(), (std::vector<std::string>{"cell_type", "group"}));
  EXPECT_EQ(a.obs.column("cell_type").type, StorageType::categorical);
  EXPECT_EQ(a.obs.column("cell_type").dict.size(), 3u);
  EXPECT_FALSE(a.counts.has_value());
}

TEST(AnnData, TableViewEqualsTheCsvOfTheSameCells) {
  const Table h5 = read_table(dataset("pbmc_small.h5ad"), SourceOptions{});
  const Table csv = read_csv(dataset("pbmc_small_counts.csv"));
  ASSERT_EQ(h5.column_names(), csv.column_names());
  ASSERT_EQ(h5.num_rows(), csv.num_rows());
  for (size_t j = 0; j < csv.num_columns(); ++j) {
    const Column &a = h5.column(j), &b = csv.column(j);
    // cell_type's categories are "0", "1", "2": the CSV reader takes them for numbers.
    if (a.type == StorageType::categorical || b.type == StorageType::categorical) {
      for (size_t i = 0; i < b.size(); ++i) ASSERT_EQ(a.text(i), b.text(i)) << b.name << " " << i;
    } else {
      EXPECT_EQ(a.type, StorageType::int64) << a.name;
      for (size_t i = 0; i < b.size(); ++i)
        ASSERT_EQ(a.numeric(i), b.numeric(i)) << b.name << " " << i;
    }
  }
}

TEST(AnnData, CscAndDenseLayoutsGiveTheSameCsr) {
  // 3 x 4: [[1 0 2 0] [0 0 3 0] [4 5 0 6]]
  const std::vector<float> dense = {1, 0, 2, 0, 0, 0, 3, 0, 4, 5, 0, 6};
  const CsrMatrix a = CsrMatrix::from_dense(3, 4, dense);
  const CsrMatrix b =
      CsrMatrix::from_csc(3, 4, {0, 2, 3, 5, 6}, {0, 2, 2, 0, 1, 2}, {1, 4, 5, 2, 3, 6});
  EXPECT_EQ(a.indptr, b.indptr);
  EXPECT_EQ(a.indices, b.indices);
  EXPECT_EQ(a.data, b.data);
  EXPECT_THROW(CsrMatrix::from_csc(3, 4, {0, 2, 3, 5, 9}, {0, 2, 2, 0, 1, 2}, {1, 4, 5, 2, 3, 6}),
               DataError);
}

TEST(AnnData, FilesThatAreNotAnnDataFailWithTheReason) {
  const auto dir = std::filesystem::temp_directory_path() / "calm_anndata_test";
  std::filesystem::create_directories(dir);
  const std::string fake = (dir / "cells.h5ad").string();
  std::ofstream(fake) << "a,b\n1,2\n";
  try {
    read_h5ad(fake);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("not an HDF5 file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_h5ad((dir / "missing.h5ad").string()), IoError);
  std::filesystem::remove_all(dir);
}

// A missing output folder is named as for every other output (not as an HDF5 failure).
TEST(AnnData, WritingIntoAMissingFolderNamesIt) {
  const AnnData a = read_h5ad(dataset("pbmc_small.h5ad"));
  const auto dir = std::filesystem::temp_directory_path() / "calm_anndata_missing" / "sub";
  std::filesystem::remove_all(dir.parent_path());
  try {
    write_h5ad((dir / "x.h5ad").string(), a);
    FAIL() << "wrote into a missing folder";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("' does not exist"), std::string::npos) << e.what();
  }
  // As a sink (calm generate -o x.h5ad), when it is opened: before anything is fitted.
  try {
    open_sink((dir / "x.h5ad").string(), SinkOptions{});
    FAIL() << "opened a sink into a missing folder";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("' does not exist"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.parent_path()));
}

TEST(AnnData, WrittenFileReadsBackTheSameCells) {
  const AnnData a = read_h5ad(dataset("pbmc_small.h5ad"));
  const auto dir = std::filesystem::temp_directory_path() / "calm_anndata_write";
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "copy.h5ad").string();
  write_h5ad(out, a);
  const AnnData b = read_h5ad(out);
  EXPECT_EQ(b.x.rows, a.x.rows);
  EXPECT_EQ(b.x.cols, a.x.cols);
  EXPECT_EQ(b.x.indptr, a.x.indptr);
  EXPECT_EQ(b.x.indices, a.x.indices);
  EXPECT_EQ(b.x.data, a.x.data);
  EXPECT_EQ(b.obs_names, a.obs_names);
  EXPECT_EQ(b.var_names, a.var_names);
  ASSERT_EQ(b.obs.column_names(), a.obs.column_names());
  for (size_t j = 0; j < a.obs.num_columns(); ++j)
    for (size_t i = 0; i < a.obs.num_rows(); ++i)
      EXPECT_EQ(b.obs.column(j).text(i), a.obs.column(j).text(i));
  // The same cells written a second later give the same bytes (no HDF5 modification times).
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string again = (dir / "again.h5ad").string();
  write_h5ad(again, a);
  auto bytes = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(bytes(again), bytes(out));
  // Only the renamed files are left (no temporary file).
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 2u);
  std::filesystem::remove_all(dir);
}

TEST(AnnData, SyntheticCellsGoToAnH5adSinkSparse) {
  const Table cells = read_table(dataset("pbmc_small.h5ad"), SourceOptions{});
  const auto dir = std::filesystem::temp_directory_path() / "calm_anndata_sink";
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "cells.h5ad").string();
  ASSERT_EQ(target_kind(out), TargetKind::h5ad);
  auto sink = open_sink(out, SinkOptions{});
  sink->write(cells);
  sink->commit();
  const AnnData back = read_h5ad(out);
  EXPECT_EQ(back.x.rows, 80u);
  EXPECT_EQ(back.x.cols, 230u);
  EXPECT_EQ(back.x.nnz(), 4456u);  // zeros are not stored
  EXPECT_EQ(back.obs.column_names(), (std::vector<std::string>{"cell_type", "group"}));
  std::filesystem::remove_all(dir);
}
