// The frame shared by the deep sequence methods that draw their context from a copula (par,
// timegan): everything about whole entities that is not the step network (docs/sequences.md). The
// layout, time and assembly are SequenceLayout's (sequence_layout.hpp, shared with dgan); this adds
// the context model and the step codec.
//
//  - Fit: the output layout, fresh keys in the real keys' look (transform/entity_keys.hpp), the
//    time machinery (transform/sequence_time.hpp), every row's step features (StepCodec,
//    par_steps.hpp) and the context model, a Gaussian copula over one row per entity
//    (transform/entity_copula.hpp): its context columns, length, start and span (the span as a
//    share of the room under an upper context bound such as pbc's futime), and its level of each
//    step number (mean normal score, a random intercept) and share of missing cells.
//  - Sample: entities drawn from the context model chunk by chunk (Philox stream (seed,
//    sample + chunk)), the network fills the steps' uniforms, and assemble() writes the table:
//    keys, context, decoded steps, time stamps in order and inside the bounds, columns that are
//    functions of time looked up.
// Engine side: no libtorch.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/synthesizer.hpp"
#include "core/sequence_table.hpp"
#include "models/deep/par_steps.hpp"
#include "models/deep/sequence_layout.hpp"
#include "transform/entity_copula.hpp"
#include "transform/entity_keys.hpp"
#include "transform/sequence_time.hpp"

namespace calm {

struct SequenceFrame : SequenceLayout {
  // What fit() hands to the network's training.
  struct Training {
    SequenceTable seq;
    std::vector<float> features;  // rows x steps.features() (StepCodec::encode), by table row
    std::vector<float> observed;  // rows x steps.blocks()
    Eigen::MatrixXd scores;       // entities x entities.variables(): latent context scores
  };
  // What the sampling chunks drew, for every entity of the run; `u` holds the steps' uniforms
  // (rows x steps.blocks(); empty: all 0.5), which assemble() decodes into the varying columns.
  struct Drawn : SequenceDraws {
    std::vector<double> u;
  };

  // The context copula: context columns, then length, start (time), span (irregular time), then
  // the levels of level_blocks().
  EntityCopula entities;
  StepCodec steps;

  // Reads `data` as sequences of `columns` (warnings through ctx.log name `method`) and fits
  // everything above; `family` fixes the numeric marginals (nullopt: KS choice).
  Training fit(const Table& data, const FitContext& ctx, const SequenceColumns& columns,
               std::optional<MarginalFamily> family, const char* method);

  size_t length_column() const { return context.size(); }
  // The step blocks whose entity level joins the context copula: each number's mean score and
  // each is-missing indicator's share.
  std::vector<size_t> level_blocks() const;
  // Draws chunk c's `count` entities (stream (seed, sample + c)) and appends them to `d`; returns
  // their latent scores (count x entities.variables()). `length` gets their step counts (a regular
  // series ends where its grid crosses an upper bound).
  Eigen::MatrixXd draw_entities(size_t chunk, size_t count, uint64_t seed, Drawn& d,
                                std::vector<size_t>& length) const;
  // The output table of the drawn entities, rows by entity then time.
  Table assemble(Drawn& d) const;

  // Everything above, value for value; load() checks that the parts fit together (DataError
  // naming `method`).
  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in, const char* method);
};

}  // namespace calm
