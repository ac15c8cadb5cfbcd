// One column of the real and the synthetic table, seen the way SDMetrics sees it through pandas:
// numbers as doubles (NaN = missing) plus the exact integers where pandas keeps an int64 dtype,
// discrete values as codes shared by both tables (compared by value, not by each table's
// dictionary code), and the histogram bins Column Pair Trends uses for mixed pairs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm::eval {

// A numerical or datetime column of one table.
struct NumericSide {
  std::vector<double> owned;
  const double* values = nullptr;  // n values, NaN = missing (points into `owned` or the column)
  const int64_t* ints = nullptr;   // exact values for int64/datetime storage, else null
  size_t n = 0;
  size_t missing = 0;
  // pandas holds the column as float64 (float storage, or integers with gaps): KSComplement
  // then rounds the values to 14 decimals, as Series.round does.
  bool pandas_float = false;
  bool constant = false;  // exactly one distinct non-missing value (pandas nunique() == 1)
  double min = 0, max = 0;
};

// The np.histogram_bin_edges(bins=10) + np.digitize code of every row (0..11; NaN -> 11), with
// edges from this table's own values, exactly as ColumnPairTrends._discretize_column.
struct BinnedSide {
  std::vector<uint8_t> bins;
  bool failed = false;  // a value was infinite: numpy raises, the pairs of this column fail
  std::string error;
};

// A categorical or boolean (or id) column of one table: codes into the shared value list.
struct DiscreteSide {
  std::vector<int32_t> codes;  // -1 = missing
  size_t missing = 0;
};

struct PreparedColumn {
  std::string name;
  SemanticType sdtype = SemanticType::numerical;
  bool continuous = false;           // numerical or datetime (ColumnPairTrends' "continuous" shape)
  std::array<NumericSide, 2> num;    // [0] real, [1] synthetic; continuous columns
  std::array<BinnedSide, 2> binned;  // continuous columns, when pair trends are wanted
  std::array<DiscreteSide, 2> disc;  // categorical, boolean and id columns
  int32_t cardinality = 0;           // number of distinct values over both tables
  std::array<StorageType, 2> storage{};
  std::array<size_t, 2> missing{};  // missing cells per table
};

NumericSide make_numeric_side(const Column& c);
BinnedSide make_binned_side(const NumericSide& side);
// Codes for both tables over one shared value list; returns the list's size.
int32_t make_discrete_sides(const Column& real, const Column& synthetic, DiscreteSide& real_out,
                            DiscreteSide& synthetic_out);

}  // namespace calm::eval
