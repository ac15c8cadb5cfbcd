// Conversion between calm::Table and the "column tuples" that calm_data_generator/_frames.py builds
// from pandas: (name, kind, values, valid, dictionary) with kind one of float64 | int64 | boolean |
// categorical | datetime, values a 1-D numpy array (float64, int64, uint8, int32 codes, int64
// epoch-ns), valid a uint8 array or None (all valid), dictionary a list of str (categorical only).
// Whole arrays are copied with memcpy: no per-cell Python call in either direction.
#pragma once

#include <pybind11/pybind11.h>

#include "calm/core/table.hpp"

namespace calm::bind {

Table table_from_columns(const pybind11::list& columns);
pybind11::list columns_from_table(const Table& table);

}  // namespace calm::bind
