// Typed cell access shared by the drift and dynamics operations: every storage type is read and
// written through one numeric encoding (float/int value, 0/1, epoch-ns, categorical code), and
// user-given JSON values (labels, categories, condition operands, times) are converted to it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm::drift {

// Writes `v` (numeric encoding) into row i; int64/datetime round half away from zero, boolean
// stores v != 0. The cell becomes valid.
void set_cell(Column& c, size_t i, double v);
void set_missing(Column& c, size_t i);

// The numeric encoding of a user value for column `c`: a category's code (appended to the
// dictionary when `extend` and absent; nullopt when absent and not extending), a number for
// int/float, 0/1 for booleans (true/false, 0/1, yes/no), epoch-ns for datetimes (ISO text).
// Throws InvalidArgument when `v` cannot be a value of that column.
std::optional<double> encode_value(Column& c, const Json& v, bool extend);
std::optional<double> encode_value(const Column& c, const Json& v);  // never extends

// Sorted distinct non-missing values (numeric encoding) among `rows` (all rows if empty span).
std::vector<double> distinct_values(const Column& c, const std::vector<size_t>& rows);

// Sign of (cell - v) for the comparison operators of conditions and time bounds; categorical
// columns compare their text. nullopt for a missing cell.
std::optional<int> compare_cell(const Column& c, size_t i, const Json& v);

// Mean and population standard deviation (ddof 0) of the non-missing cells among `rows`.
struct Moments {
  double mean = 0, std = 0;
  size_t count = 0;
};
Moments moments(const Column& c, const std::vector<size_t>& rows);

// Column names of a parameter holding one name or a list of names.
std::vector<std::string> column_list(const Json& v, const std::string& param);

// Throws InvalidArgument "<where>: unknown column 'x'; columns: a, b, c" unless `name` exists.
void require_column(const Table& t, const std::string& name, const std::string& where);

void warn(const Logger* log, const std::string& message);

}  // namespace calm::drift
