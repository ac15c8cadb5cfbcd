// gaussian_copula fitted from partitions (docs/distributed.md): pass 1 sketches every partition
// (table_sketch.hpp) and the merged sketch gives the schema and the column models, numeric
// marginals from the merged quantile summaries; pass 2 computes each partition's normal scores
// under those models and their moments (ScoreMoments), merged exactly up to rounding; the copula
// correlation is then estimated as fit() does (Patki et al. 2016; Kruskal 1958 for the Spearman
// inversion; Chan, Golub & LeVeque 1979 for merging moments).
#include <omp.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"
#include "models/copula/gaussian_copula.hpp"
#include "models/copula/table_sketch.hpp"
#include "models/families.hpp"
#include "transform/copula_scores.hpp"

namespace calm::copula_partitions {
namespace {

constexpr const char* kStateTag = "calm-copula-partitions-v1";

std::vector<ColumnModel> load_state(std::string_view state) {
  ArchiveReader in(state, "distributed copula state");
  in.tag(kStateTag);
  const uint64_t n = in.u64();
  std::vector<ColumnModel> columns;
  for (uint64_t j = 0; j < n; ++j) columns.push_back(load_column_model(in));
  return columns;
}

// The partition with the models' storage and dictionaries: category codes re-encoded into the
// merged dictionary, so that every partition scores a category at the same interval.
Table conform(const Table& part, const std::vector<ColumnModel>& models) {
  if (part.num_columns() != models.size())
    throw InvalidArgument("a partition has " + std::to_string(part.num_columns()) +
                          " columns; the sketched table has " + std::to_string(models.size()));
  std::vector<Column> cols;
  for (size_t j = 0; j < models.size(); ++j) {
    const Column& c = part.column(j);
    const Column& proto = models[j].prototype;
    if (c.name != proto.name || c.type != proto.type)
      throw InvalidArgument("a partition's column " + std::to_string(j + 1) + " is '" + c.name +
                            "' (" + to_string(c.type) + "), the sketched table's is '" +
                            proto.name + "' (" + to_string(proto.type) + ")");
    if (c.type != StorageType::categorical || models[j].role == ColumnRole::id) {
      cols.push_back(c);
      continue;
    }
    std::unordered_map<std::string_view, int32_t> code_of;
    for (size_t k = 0; k < proto.dict.size(); ++k)
      code_of.emplace(proto.dict[k], static_cast<int32_t>(k));
    std::vector<int32_t> remap(c.dict.size(), -1);
    for (size_t k = 0; k < c.dict.size(); ++k)
      if (auto it = code_of.find(c.dict[k]); it != code_of.end()) remap[k] = it->second;
    std::vector<int32_t> codes(c.codes.size());
    for (size_t i = 0; i < codes.size(); ++i) {
      const int32_t code = c.codes[i];
      if (code >= 0 && remap[static_cast<size_t>(code)] < 0)
        throw InvalidArgument("column '" + c.name + "' has value '" + c.dict[code] +
                              "' that the sketches did not see: sketch the same partitions");
      codes[i] = code < 0 ? -1 : remap[static_cast<size_t>(code)];
    }
    Column out = Column::categorical(c.name, std::move(codes), proto.dict);
    out.format = c.format;
    cols.push_back(std::move(out));
  }
  return Table(std::move(cols));
}

// Column j of the values table: its distinct values where the sketch kept them, else 51 of its
// quantiles (more than support_table keeps, so it keeps none: the column is continuous).
Column values_column(const ColumnSketch& sketch, const ColumnDigest& digest) {
  Column c = digest.prototype;
  std::vector<double> values;
  if (sketch.tracked) {
    for (const auto& entry : sketch.numbers) values.push_back(entry.first);
  } else {
    const std::vector<double> rep = sketch.quantiles.representative();
    for (size_t k = 0; k < 51 && !rep.empty(); ++k)
      values.push_back(rep[k * (rep.size() - 1) / 50]);
  }
  switch (c.type) {
    case StorageType::float64:
      c.f64 = values;
      break;
    case StorageType::int64:
    case StorageType::datetime:
      for (double v : values) c.i64.push_back(static_cast<int64_t>(v));
      break;
    case StorageType::boolean:
      for (double v : values) c.b.push_back(v != 0);
      break;
    case StorageType::categorical:
      c.dict.clear();
      for (const auto& entry : sketch.texts) {
        c.codes.push_back(static_cast<int32_t>(c.dict.size()));
        c.dict.push_back(entry.first);
      }
      break;
  }
  return c;
}

// Pads every column of `cols` to the longest with missing cells.
Table padded_table(std::vector<Column> cols) {
  size_t height = 1;
  for (const auto& c : cols) height = std::max(height, c.size());
  for (auto& c : cols) {
    const size_t n = c.size();
    if (n == height) continue;
    switch (c.type) {
      case StorageType::float64:
        c.f64.resize(height, std::numeric_limits<double>::quiet_NaN());
        break;
      case StorageType::int64:
      case StorageType::datetime:
      case StorageType::boolean:
        if (c.type == StorageType::boolean)
          c.b.resize(height, 0);
        else
          c.i64.resize(height, 0);
        c.valid.assign(height, 0);
        std::fill(c.valid.begin(), c.valid.begin() + static_cast<std::ptrdiff_t>(n), 1);
        break;
      case StorageType::categorical:
        c.codes.resize(height, -1);
        break;
    }
  }
  return Table(std::move(cols));
}

}  // namespace

std::string sketch(const Table& partition) {
  return TableSketch::of(partition).to_bytes();
}

std::string merge_sketches(std::string_view a, std::string_view b) {
  TableSketch merged = TableSketch::from_bytes(a);
  merged.merge(TableSketch::from_bytes(b));
  return merged.to_bytes();
}

Marginals fit_marginals(std::string_view sketch_bytes, const SchemaOptions& options,
                        const Params& params) {
  const TableSketch sketch = TableSketch::from_bytes(sketch_bytes);
  Marginals out;
  out.schema = sketch_schema(sketch, options);
  const std::optional<MarginalFamily> forced =
      marginal_family_choice(params.get_string("default_distribution"));
  ArchiveWriter state;
  state.tag(kStateTag);
  state.u64(sketch.columns.size());
  std::vector<Column> values;
  for (size_t j = 0; j < sketch.columns.size(); ++j) {
    const ColumnSketch& c = sketch.columns[j];
    const SemanticType semantic = out.schema.columns[j].semantic;
    if (c.missing == c.rows)
      throw DataError("column '" + c.name + "' has no values (every cell is missing)");
    const ColumnDigest digest = sketch_digest(c, semantic);
    save_column_model(state, fit_column_model(digest, semantic, forced));
    values.push_back(values_column(c, digest));
    if (!digest.present.empty())
      out.rank_error = std::max(out.rank_error, c.quantiles.relative_rank_error());
  }
  out.state = state.take();
  out.values = padded_table(std::move(values));
  return out;
}

std::string moments(std::string_view state, const Table& partition, uint64_t partition_index,
                    uint64_t seed) {
  std::vector<ColumnModel> columns = load_state(state);
  const std::vector<CopulaVariable> vars = assign_copula_variables(columns);
  const Table part = conform(partition, columns);
  ScoreMoments m;
  if (!vars.empty() && part.num_rows() > 0)
    m.add(copula_scores(columns, vars, part, seed, omp_get_max_threads(),
                        partition_index * columns.size()));
  ArchiveWriter out;
  m.save(out);
  return out.take();
}

std::string merge_moments(std::string_view a, std::string_view b) {
  ArchiveReader ra(a, "score moments"), rb(b, "score moments");
  ScoreMoments m = ScoreMoments::load(ra);
  m.merge(ScoreMoments::load(rb));
  ArchiveWriter out;
  m.save(out);
  return out.take();
}

std::unique_ptr<Synthesizer> synthesizer(std::string_view state, std::string_view moments_bytes,
                                         const Params& params, const Logger& log) {
  ArchiveReader in(moments_bytes, "score moments");
  const ScoreMoments m = ScoreMoments::load(in);
  std::vector<ColumnModel> columns = load_state(state);
  auto synth = std::make_unique<GaussianCopulaSynthesizer>();
  synth->fit_parts(std::move(columns), m, params, log);
  return synth;
}

}  // namespace calm::copula_partitions
