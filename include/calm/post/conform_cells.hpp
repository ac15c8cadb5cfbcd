// conform_to_schema for cells held as a matrix (api/cell_generator.hpp): the table view clips
// every gene column to its real range, so the cells path does the same to the matrix, and the
// same seed gives the same cells either way.
#pragma once

#include "calm/core/sparse_matrix.hpp"

namespace calm {

// `synthetic` with each gene's values clipped to that gene's range in `real`, the cells without a
// stored value counting as 0: values past the real maximum are lowered to it, and a gene stored
// in every real cell (minimum above 0) has its zeros raised to the minimum. Values that become 0
// are no longer stored; each row's stored genes come out in increasing order.
CsrMatrix conform_cells(CsrView synthetic, CsrView real);

}  // namespace calm
