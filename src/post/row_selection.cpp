// Row selection of drift steps (see row_selection.hpp): each given criterion yields a mask over the
// rows; the selection is their intersection.
#include "post/row_selection.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "post/drift_cells.hpp"

namespace calm::drift {

void add_selection_params(ParamSpec& spec) {
  auto idx = [](std::string name, std::string doc) {
    return ParamDef{.name = std::move(name),
                    .type = ParamType::integer,
                    .default_value = nullptr,
                    .doc = std::move(doc),
                    .min = 0.0,
                    .nullable = true};
  };
  auto any = [](std::string name, std::string doc) {
    return ParamDef{.name = std::move(name),
                    .type = ParamType::any,
                    .default_value = nullptr,
                    .doc = std::move(doc),
                    .nullable = true};
  };
  spec.add(idx("start_index", "first selected row position (inclusive)"));
  spec.add(idx("end_index", "end row position (exclusive)"));
  spec.add({.name = "index_step",
            .type = ParamType::integer,
            .default_value = 1,
            .doc = "take every k-th row of the slice",
            .min = 1.0});
  spec.add({.name = "block_column",
            .type = ParamType::string,
            .default_value = nullptr,
            .doc = "block column (default: the generator's block_column)",
            .nullable = true});
  spec.add(any("blocks", "list of block ids to select"));
  spec.add(any("block_index", "one block id to select"));
  spec.add(any("block_start", "first block id of a run of sorted block ids"));
  spec.add({.name = "n_blocks",
            .type = ParamType::integer,
            .default_value = nullptr,
            .doc = "number of blocks from block_start (default: all remaining)",
            .min = 1.0,
            .nullable = true});
  spec.add({.name = "block_step",
            .type = ParamType::integer,
            .default_value = 1,
            .doc = "take every k-th block from block_start",
            .min = 1.0});
  spec.add({.name = "time_col",
            .type = ParamType::string,
            .default_value = nullptr,
            .doc = "time column (default: the generator's date column)",
            .nullable = true});
  spec.add(any("time_start", "first selected time (inclusive)"));
  spec.add(any("time_end", "last selected time (inclusive)"));
  spec.add(any("time_ranges", "list of [start, end] time pairs (inclusive), united"));
  spec.add(any("specific_times", "list of exact times to select"));
}

namespace {

bool given(const Params& p, const char* name) {
  return !p.is_null(name);
}

bool uses_time(const Params& p) {
  return given(p, "time_start") || given(p, "time_end") || given(p, "time_ranges") ||
         given(p, "specific_times");
}
bool uses_blocks(const Params& p) {
  return given(p, "blocks") || given(p, "block_index") || given(p, "block_start");
}

std::string pick_column(const Params& p, const char* param, const std::optional<std::string>& dflt,
                        const char* what, const std::string& where) {
  if (given(p, param)) return p.get_string(param);
  if (dflt) return *dflt;
  throw InvalidArgument(where + ": " + what + " selection needs '" + param +
                        "' (or the generator's default)");
}

// All time operands of the step, for validation.
std::vector<Json> time_operands(const Params& p, const std::string& where) {
  std::vector<Json> out;
  for (const char* k : {"time_start", "time_end"})
    if (given(p, k)) out.push_back(p.raw(k));
  if (given(p, "specific_times")) {
    const Json& s = p.raw("specific_times");
    if (!s.is_array()) throw InvalidArgument(where + ": 'specific_times' must be a list");
    for (const auto& v : s) out.push_back(v);
  }
  if (given(p, "time_ranges")) {
    const Json& r = p.raw("time_ranges");
    if (!r.is_array())
      throw InvalidArgument(where + ": 'time_ranges' must be a list of [start, end]");
    for (const auto& pair : r) {
      if (!pair.is_array() || pair.size() != 2)
        throw InvalidArgument(where + ": each time_ranges entry must be [start, end], got " +
                              pair.dump());
      out.push_back(pair[0]);
      out.push_back(pair[1]);
    }
  }
  return out;
}

void time_mask(const Params& p, const Column& c, std::vector<uint8_t>& mask) {
  const size_t n = c.size();
  auto in_range = [&](size_t i, const Json& lo, const Json& hi) {
    auto a = lo.is_null() ? std::optional<int>(1) : compare_cell(c, i, lo);
    auto b = hi.is_null() ? std::optional<int>(-1) : compare_cell(c, i, hi);
    return a && b && *a >= 0 && *b <= 0;
  };
  std::vector<uint8_t> hit(n, 0);
  if (given(p, "time_start") || given(p, "time_end"))
    for (size_t i = 0; i < n; ++i) hit[i] |= in_range(i, p.raw("time_start"), p.raw("time_end"));
  if (given(p, "time_ranges"))
    for (const auto& r : p.raw("time_ranges"))
      for (size_t i = 0; i < n; ++i) hit[i] |= in_range(i, r[0], r[1]);
  if (given(p, "specific_times"))
    for (const auto& t : p.raw("specific_times"))
      for (size_t i = 0; i < n; ++i) hit[i] |= compare_cell(c, i, t) == 0;
  for (size_t i = 0; i < n; ++i) mask[i] &= hit[i];
}

void block_mask(const Params& p, const Column& c, const std::string& where,
                std::vector<uint8_t>& mask) {
  const size_t n = c.size();
  std::vector<uint8_t> hit(n, 0);
  auto select_value = [&](const Json& v) {
    for (size_t i = 0; i < n; ++i) hit[i] |= compare_cell(c, i, v) == 0;
  };
  if (given(p, "blocks")) {
    const Json& b = p.raw("blocks");
    if (b.is_array())
      for (const auto& v : b) select_value(v);
    else
      select_value(b);
  }
  if (given(p, "block_index")) select_value(p.raw("block_index"));
  if (given(p, "block_start")) {
    // Sorted distinct ids: numeric order for numeric columns, text order for categories.
    const bool text = c.type == StorageType::categorical;
    std::vector<Json> ids;
    if (text) {
      std::vector<std::string> names;
      for (size_t i = 0; i < n; ++i)
        if (!c.is_missing(i)) names.push_back(c.text(i));
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      ids.assign(names.begin(), names.end());
    } else {
      for (double x : distinct_values(c, {})) ids.push_back(x);
    }
    const Json& first = p.raw("block_start");
    size_t i0 = 0;
    if (text) {
      const std::string want = first.is_string() ? first.get<std::string>() : first.dump();
      while (i0 < ids.size() && ids[i0] != want) ++i0;
    } else {
      const double want = *encode_value(c, first);
      while (i0 < ids.size() && ids[i0].get<double>() != want) ++i0;
    }
    if (i0 == ids.size())
      throw InvalidArgument(where + ": block_start " + first.dump() +
                            " is not a value of block column '" + c.name + "'");
    const size_t step = static_cast<size_t>(p.get_int("block_step"));
    const size_t count =
        p.is_null("n_blocks") ? ids.size() : static_cast<size_t>(p.get_int("n_blocks"));
    for (size_t k = i0, taken = 0; k < ids.size() && taken < count; k += step, ++taken)
      select_value(ids[k]);
  }
  for (size_t i = 0; i < n; ++i) mask[i] &= hit[i];
}

}  // namespace

void check_selection(const Params& p, const Table& table, const SelectionDefaults& defaults,
                     const std::string& where) {
  if (uses_time(p)) {
    std::string col = pick_column(p, "time_col", defaults.time_col, "time", where);
    auto operands = time_operands(p, where);
    bool assumed = !given(p, "time_col") && !table.has(col);
    if (!assumed) {
      require_column(table, col, where + " (time_col)");
      for (const auto& v : operands) encode_value(table.column(col), v);
    } else {
      for (const auto& v : operands)
        if (!v.is_number() && !(v.is_string() && parse_datetime(v.get<std::string>())))
          throw InvalidArgument(where + ": time value " + v.dump() +
                                " is neither a number nor an ISO date");
    }
  }
  if (uses_blocks(p)) {
    std::string col = pick_column(p, "block_column", defaults.block_column, "block", where);
    require_column(table, col, where + " (block_column)");
  }
  if (given(p, "start_index") && given(p, "end_index") &&
      p.get_int("end_index") < p.get_int("start_index"))
    throw InvalidArgument(where + ": end_index " + std::to_string(p.get_int("end_index")) +
                          " is before start_index " + std::to_string(p.get_int("start_index")));
}

std::vector<size_t> select_rows(const Params& p, const Table& table,
                                const SelectionDefaults& defaults, const std::string& where,
                                const RowFrame& frame, SelectionSpan* span) {
  const size_t n = table.num_rows();
  std::vector<uint8_t> mask(n, 1);
  const bool by_value = uses_time(p) || uses_blocks(p);
  if (uses_time(p)) {
    std::string col = pick_column(p, "time_col", defaults.time_col, "time", where);
    require_column(table, col, where + " (time_col)");
    time_operands(p, where);
    time_mask(p, table.column(col), mask);
  }
  if (uses_blocks(p)) {
    std::string col = pick_column(p, "block_column", defaults.block_column, "block", where);
    require_column(table, col, where + " (block_column)");
    block_mask(p, table.column(col), where, mask);
  }
  // Positions in the whole output: [start, end) every step-th row; this table holds
  // [offset, offset + n).
  const size_t offset = frame.row_offset;
  const std::optional<size_t> whole_end =
      !p.is_null("end_index") ? std::optional<size_t>(static_cast<size_t>(p.get_int("end_index")))
                              : frame.total_rows;
  const size_t start = p.is_null("start_index") ? 0 : static_cast<size_t>(p.get_int("start_index"));
  const size_t end = std::min(offset + n, whole_end.value_or(offset + n));
  const size_t step = static_cast<size_t>(p.get_int("index_step"));
  // The first selected position at or after the offset, and how many come before it.
  const size_t before = offset > start ? (offset - start + step - 1) / step : 0;
  std::vector<size_t> rows;
  for (size_t g = start + before * step; g < end; g += step)
    if (mask[g - offset]) rows.push_back(g - offset);
  if (span) {
    const bool known = whole_end.has_value() && !by_value;
    const size_t total =
        known && *whole_end > start ? (*whole_end - start + step - 1) / step : rows.size();
    *span = known ? SelectionSpan{before, rows.size(), std::max(total, before + rows.size())}
                  : SelectionSpan::whole(rows.size());
  }
  return rows;
}

}  // namespace calm::drift
