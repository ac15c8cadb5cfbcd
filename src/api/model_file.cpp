// Writing and reading the model file (see model_file.hpp and docs/persistence.md). The header is
// read field by field before the payload, so a foreign or truncated file fails at the first field
// that does not fit, with a DataError naming the file.
#include "api/model_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "api/calendar_derived.hpp"
#include "calm/api/methods.hpp"
#include "calm/calm.hpp"
#include "calm/core/archive.hpp"
#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"
#include "calm/core/registry.hpp"
#include "calm/io/csv.hpp"

namespace calm {
namespace {

constexpr size_t kMagicSize = sizeof(kModelMagic) - 1;
// custom_distributions accepts numeric columns with at most this many values (column_shares.cpp);
// one more keeps its "too many values" check meaningful without storing a continuous column.
constexpr size_t kMaxSupportValues = 50;

// The first row holding each distinct non-missing value of `c`, in value order; nullopt as soon as
// a numeric column shows more than `limit` values, so a continuous column costs limit + 1 rows.
std::optional<std::vector<int64_t>> distinct_rows(const Column& c, size_t limit) {
  std::vector<std::pair<double, int64_t>> rows;
  if (c.type == StorageType::categorical) {
    std::vector<uint8_t> seen(c.dict.size(), 0);
    for (size_t i = 0; i < c.codes.size(); ++i) {
      const int32_t k = c.codes[i];
      if (k >= 0 && !seen[static_cast<size_t>(k)]) {
        seen[static_cast<size_t>(k)] = 1;
        rows.emplace_back(k, static_cast<int64_t>(i));
      }
    }
  } else {
    std::set<double> seen;
    const bool capped = c.type != StorageType::boolean;
    for (size_t i = 0; i < c.size(); ++i) {
      if (c.is_missing(i) || !seen.insert(c.numeric(i)).second) continue;
      rows.emplace_back(c.numeric(i), static_cast<int64_t>(i));
      if (capped && rows.size() > limit) return std::nullopt;
    }
  }
  std::sort(rows.begin(), rows.end());
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.second);
  return out;
}

// `c` with its cells replaced by the cells at `rows`, padded with missing cells to `height`.
Column padded(const Column& c, const std::vector<int64_t>& rows, size_t height) {
  Column out = c.take(rows);
  const size_t pad = height - rows.size();
  switch (out.type) {
    case StorageType::float64:
      out.f64.insert(out.f64.end(), pad, std::nan(""));
      break;
    case StorageType::categorical:
      out.codes.insert(out.codes.end(), pad, -1);
      break;
    case StorageType::boolean:
    case StorageType::int64:
    case StorageType::datetime:
      if (out.type == StorageType::boolean)
        out.b.insert(out.b.end(), pad, 0);
      else
        out.i64.insert(out.i64.end(), pad, 0);
      if (out.valid.empty()) out.valid.assign(rows.size(), 1);
      out.valid.insert(out.valid.end(), pad, 0);
      break;
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError("model file '" + path + "' does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw IoError("model file '" + path + "' is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open model file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Table support_table(const Table& data, const Schema& schema) {
  std::vector<std::vector<int64_t>> rows(data.num_columns());
  size_t height = 0;
  for (size_t j = 0; j < data.num_columns(); ++j) {
    const Column& c = data.column(j);
    const ColumnSchema& s = schema[c.name];
    if (s.semantic == SemanticType::id) continue;
    auto distinct = distinct_rows(c, kMaxSupportValues);
    if (!distinct) continue;
    height = std::max(height, distinct->size());
    rows[j] = std::move(*distinct);
  }
  std::vector<Column> cols;
  for (size_t j = 0; j < data.num_columns(); ++j) {
    Column c = padded(data.column(j), rows[j], height);
    // An id column's dictionary would be the training keys themselves.
    if (schema[c.name].semantic == SemanticType::id) c.dict.clear();
    cols.push_back(std::move(c));
  }
  return Table(std::move(cols));
}

std::string model_file_bytes(const FittedModel& model) {
  const auto* calendar = dynamic_cast<const CalendarDerivedSynthesizer*>(model.synth.get());
  ArchiveWriter payload;
  try {
    model.synth->save(payload);
  } catch (const NotAvailable& e) {
    throw NotAvailable("method '" + model.method + "' cannot save a fitted model yet (" + e.what() +
                       ")");
  }
  ArchiveWriter out;
  out.u64(kModelFormatVersion);
  out.str(version());
  out.str(model.method);
  out.str(model.params.json().dump());
  out.tag("schema");
  out.schema(model.schema);
  out.boolean(model.target_col.has_value());
  out.str(model.target_col.value_or(""));
  out.tag("support");
  out.table(model.support);
  out.str(model.front_end_info);
  out.tag("calendar");
  save_calendar_columns(out, calendar ? calendar->derived() : std::vector<CalendarColumn>{});
  out.tag("payload");
  out.bytes(payload.data());
  return std::string(kModelMagic, kMagicSize) + out.data();
}

void save_model_file(const FittedModel& model, const std::string& path) {
  std::string bytes = model_file_bytes(model);
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw IoError("cannot create folder '" + parent.string() + "': " + ec.message());
  write_file_atomically(path, bytes);
}

FittedModel model_from_bytes(std::string_view bytes, const std::string& what) {
  if (bytes.size() < kMagicSize || std::memcmp(bytes.data(), kModelMagic, kMagicSize) != 0)
    throw DataError("'" + what + "' is not a calm model file (it does not start with " +
                    kModelMagic +
                    "); save one with RealGenerator.save or calm generate "
                    "--save-model");
  ArchiveReader in(bytes.substr(kMagicSize), what);
  const uint64_t format = in.u64();
  const std::string saved_by = in.str();
  if (format != kModelFormatVersion)
    throw DataError("model file '" + what + "' has format version " + std::to_string(format) +
                    " (saved by calm " + saved_by + "); this calm " + version() +
                    " reads format version " + std::to_string(kModelFormatVersion) +
                    ": fit and save the model again");
  FittedModel model;
  model.method = in.str();
  const MethodInfo* info = method_registry().find(model.method);
  if (!info || !info->available)
    throw DataError("model file '" + what + "' holds a '" + model.method +
                    "' model, which this build of calm cannot sample; methods: " +
                    join_names(method_registry().names()));
  // The params were resolved when the model was fitted; resolving them again could reject the
  // explicit nulls of "auto" defaults.
  Json params = in.json("its params");
  if (!params.is_object())
    throw DataError("model file '" + what + "' is corrupt (its params are not a JSON object)");
  model.params = Params(std::move(params));
  in.tag("schema");
  model.schema = in.schema();
  const bool has_target = in.boolean();
  std::string target = in.str();
  if (has_target) model.target_col = std::move(target);
  in.tag("support");
  model.support = in.table();
  model.front_end_info = in.str();
  if (model.support.num_columns() != model.schema.size())
    throw DataError("model file '" + what + "' is corrupt (schema and columns disagree)");
  in.tag("calendar");
  std::vector<CalendarColumn> calendar = load_calendar_columns(in);
  for (const CalendarColumn& d : calendar)
    if (!model.support.has(d.column) || !model.support.has(d.source) ||
        d.position >= model.support.num_columns())
      throw DataError("model file '" + what + "' is corrupt (a calendar column '" + d.column +
                      "' the table does not have)");
  in.tag("payload");
  const std::string payload = in.bytes();
  if (!in.at_end()) throw DataError("model file '" + what + "' has trailing bytes after the model");
  std::unique_ptr<Synthesizer> synth = info->create();
  ArchiveReader body(payload, what);
  try {
    synth->load(body);
  } catch (const DataError& e) {
    const std::string msg = e.what();
    if (msg.find(what) != std::string::npos) throw;
    throw DataError("model file '" + what + "' is corrupt: " + msg);
  }
  if (!body.at_end())
    throw DataError("model file '" + what + "' is corrupt (the '" + model.method +
                    "' model did not read all of its data)");
  std::shared_ptr<Synthesizer> loaded = std::move(synth);
  if (!calendar.empty())
    loaded = std::make_shared<CalendarDerivedSynthesizer>(std::move(loaded), std::move(calendar));
  model.synth = std::move(loaded);
  return model;
}

FittedModel load_model_file(const std::string& path) {
  return model_from_bytes(read_file(path), path);
}

}  // namespace calm
