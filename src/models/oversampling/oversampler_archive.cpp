// save / load of `smote` and `adasyn`. SMOTE is instance-based: what fit() learnt is the training
// table, the chosen k and the schema that splits the table into features, so those are stored and
// load() repeats fit's deterministic preparation. Payload: tag "<method>-v1", k, synthetic_only,
// target column index, per column the schema facts, the table, tag "end".
#include "calm/core/error.hpp"
#include "models/oversampling/oversampler.hpp"

namespace calm {
namespace {

std::string payload_tag(OversamplingKind k) {
  return k == OversamplingKind::smote ? "smote-v1" : "adasyn-v1";
}

}  // namespace

void OversamplingSynthesizer::save(ArchiveWriter& out) const {
  out.tag(payload_tag(kind_));
  out.u64(k_);
  out.boolean(synthetic_only_);
  out.u64(target_);
  out.u64(schema_.size());
  for (const ColumnSchema& c : schema_.columns) {
    out.str(c.name);
    out.u64(static_cast<uint64_t>(c.semantic));
    out.u64(static_cast<uint64_t>(c.storage));
    out.boolean(c.integer);
    out.i64(c.decimals);
    out.f64(c.min);
    out.f64(c.max);
    out.u64(c.distinct);
    out.u64(c.missing);
  }
  out.table(data_);
  out.tag("end");
}

void OversamplingSynthesizer::load(ArchiveReader& in) {
  in.tag(payload_tag(kind_));
  k_ = in.u64();
  synthetic_only_ = in.boolean();
  target_ = in.u64();
  schema_ = Schema{};
  const uint64_t columns = in.u64();
  for (uint64_t i = 0; i < columns; ++i) {
    ColumnSchema c;
    c.name = in.str();
    const uint64_t semantic = in.u64(), storage = in.u64();
    if (semantic > static_cast<uint64_t>(SemanticType::id) ||
        storage > static_cast<uint64_t>(StorageType::datetime))
      throw DataError("oversampling model: bad semantic or storage type in the saved schema");
    c.semantic = static_cast<SemanticType>(semantic);
    c.storage = static_cast<StorageType>(storage);
    c.integer = in.boolean();
    c.decimals = static_cast<int>(in.i64());
    c.min = in.f64();
    c.max = in.f64();
    c.distinct = in.u64();
    c.missing = in.u64();
    schema_.columns.push_back(std::move(c));
  }
  data_ = in.table();
  in.tag("end");
  if (k_ == 0 || target_ >= data_.num_columns() || schema_.size() != data_.num_columns())
    throw DataError("oversampling model: saved k, target or schema does not fit the saved table");
  // The warnings were given at fit time.
  const Logger silent(LogLevel::quiet, nullptr);
  prepare(silent);
}

}  // namespace calm
