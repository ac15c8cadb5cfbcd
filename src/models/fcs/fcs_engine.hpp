// The FCS (fully conditional specification) synthesis engine shared by `cart` and `rf`, after
// synthpop (Nowok, Raab & Dibben 2016) and Reiter (2005): columns are synthesised one at a time in
// a visit sequence; column j's model is a tree learner fitted once on the real data predicting j
// from the columns before it, and the synthetic value is a real "donor" value drawn from the leaf
// the synthetic row reaches (so numeric columns keep their spread, and missing values are drawn
// like any other value); a leaf's donors are dealt to the rows reaching it without replacement
// (balanced_draws.hpp), which keeps rare values, extremes included, at their real frequency.
// Optional Gibbs rounds then redraw every column from models conditional on all other columns. The
// learner (one CART tree, or a random forest) is a parameter.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "calm/core/synthesizer.hpp"
#include "learn/binning.hpp"
#include "learn/forest.hpp"
#include "models/fcs/column_model.hpp"
#include "models/fcs/copy_guard.hpp"

namespace calm::fcs {

struct FcsOptions {
  tree::ForestParams learner;
  bool auto_min_samples_leaf = true;  // learner.tree.min_samples_leaf = auto_min_samples_leaf(n)
  int64_t auto_leaf_floor = 10;       // the smallest automatic leaf (see fcs_params.cpp)
  int iterations = 0;                 // Gibbs rounds after the sequential pass
  bool smoothing = false;             // Gaussian kernel around numeric donors (synthpop "density")
  bool redraw_copies = true;          // redraw rows that copy a unique real row (copy_guard.hpp)
  std::vector<std::string> visit_sequence;  // empty: data order with the target column last
};

// The automatic leaf size for a tree fitted on n rows: max(5, n / 2000) — synthpop's minbucket of
// 5 on small data, growing on large data so that leaves do not shrink towards single (disclosive)
// donors while depth keeps growing with n.
int64_t auto_min_samples_leaf(size_t n, int64_t floor);

class FcsSynthesizer final : public Synthesizer {
 public:
  using OptionsFn = FcsOptions (*)(const Params&);
  // `method` names the archive payload ("cart", "rf").
  FcsSynthesizer(std::string method, OptionsFn options)
      : method_(std::move(method)), make_options_(options) {}

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  bool can_condition() const override { return true; }
  bool concurrent_sampling() const override { return true; }
  void save(ArchiveWriter& out) const override;  // fcs_archive.cpp
  void load(ArchiveReader& in) override;

 private:
  // Models in visit order: models[p] draws order[p] from order[0..p).
  struct Sequence {
    std::vector<int> order;
    std::vector<ColumnModel> models;
  };

  std::vector<int> visit_order(const FitContext& ctx) const;
  // md_ from data_, table_of_, categorical_ and md_.regression (deterministic, so load()
  // rebuilds it instead of storing it).
  void build_model_data(int threads);
  void fit_sequence(Sequence& seq, uint64_t key, int threads) const;
  const Sequence& sequence_starting_with(int column, int threads) const;
  // Takes donor d for a row's column j: sets `donor`, and for a smoothed column `*smoothed` to
  // the donor's number plus its leaf's kernel noise; returns the value's bin code.
  uint8_t place_donor(const tree::Donor& d, int j, Rng& rng, int32_t& donor,
                      double* smoothed) const;
  // Redraws the rows that copy a unique real row (sample()'s donors, smoothed numbers and codes).
  void redraw_copies(const Sequence& seq, int cond, std::vector<std::vector<int32_t>>& donors,
                     std::vector<std::vector<double>>& smooth, std::vector<uint8_t>& codes,
                     uint64_t seed, int threads, const Logger& log) const;
  Column output_column(size_t t, const std::vector<int32_t>& donors,
                       const std::vector<double>& smoothed, size_t n) const;

  std::string method_;
  OptionsFn make_options_;
  FcsOptions opt_;
  Table data_;
  std::vector<int> model_of_;      // table column -> model column, -1 for id columns
  std::vector<size_t> table_of_;   // model column -> table column
  std::vector<bool> categorical_;  // by model column: binned as levels
  ModelData md_;
  std::vector<bool> smoothed_;  // by model column: numeric values get kernel noise
  uint64_t seed_ = 0;
  Sequence main_;
  std::vector<ColumnModel> gibbs_;  // by model column: conditional on all other columns
  mutable std::mutex mutex_;
  mutable std::map<int, std::unique_ptr<Sequence>> conditional_;  // fitted on first use
  // The real rows' hashes for redraw_copies, built once on first use (every streamed block
  // needs the same ones).
  const CopyGuard& copy_guard() const;
  mutable std::once_flag guard_once_;
  mutable std::unique_ptr<CopyGuard> guard_;
};

}  // namespace calm::fcs
