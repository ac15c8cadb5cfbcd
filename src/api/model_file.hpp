// The model file of RealGenerator::save / load: everything a fitted generator needs to sample again
// without the training table. Layout (docs/persistence.md): the magic bytes "CALMMODL", then one
// archive (calm/core/archive.hpp) holding the format version, the calm version, the method, its
// resolved params, the schema, target_col, the support table and the method's own payload
// (Synthesizer::save). The file is written atomically (temporary file + rename).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/synthesizer.hpp"
#include "calm/core/table.hpp"

namespace calm {

inline constexpr char kModelMagic[] = "CALMMODL";  // 8 bytes, no terminator in the file
// 2: the calendar columns (api/calendar_derived.hpp) before the payload.
inline constexpr uint64_t kModelFormatVersion = 2;

// What fit() produced plus what sample-time post-processing reads from the real table.
struct FittedModel {
  std::string method;
  Params params;  // resolved: every declared name present
  Schema schema;  // of the training table: conform_to_schema shapes output with it
  std::optional<std::string> target_col;
  // The training table's columns (order, storage types, formats, category dictionaries) holding
  // only the distinct values that custom_distributions and constraints may name: every value of
  // categorical and boolean columns, numeric and datetime columns with at most 50 distinct values.
  // Other columns (and id columns) have no cells. Never the training rows themselves.
  Table support;
  std::string front_end_info;  // opaque text of the front end that saved the model
  std::shared_ptr<const Synthesizer> synth;
};

// The support table of `data` (see FittedModel::support).
Table support_table(const Table& data, const Schema& schema);

// The whole file as bytes; save_model_file writes them atomically to `path`.
std::string model_file_bytes(const FittedModel& model);
void save_model_file(const FittedModel& model, const std::string& path);

// Reads and checks a model file: IoError when `path` cannot be read (missing: "no such file"),
// DataError naming the file for a file that is not a calm model, is truncated or corrupt, was
// written with another format version, or names a method this build does not have.
FittedModel load_model_file(const std::string& path);
FittedModel model_from_bytes(std::string_view bytes, const std::string& what);

}  // namespace calm
