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
  out.schema(schema_);
  out.table(data_);
  out.tag("end");
}

void OversamplingSynthesizer::load(ArchiveReader& in) {
  in.tag(payload_tag(kind_));
  k_ = in.u64();
  synthetic_only_ = in.boolean();
  target_ = in.u64();
  schema_ = in.schema();
  data_ = in.table();
  in.tag("end");
  if (k_ == 0 || target_ >= data_.num_columns() || schema_.size() != data_.num_columns())
    throw DataError("oversampling model: saved k, target or schema does not fit the saved table");
  // The warnings were given at fit time.
  const Logger silent(LogLevel::quiet, nullptr);
  prepare(silent);
}

}  // namespace calm
