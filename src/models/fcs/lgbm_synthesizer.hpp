// The `lgbm` synthesizer: sequential (FCS) synthesis with gradient-boosted trees, the
// RealGenerator's LightGBM method. Columns are synthesised one at a time in a visit sequence
// (data order with the target last, as `cart`); column j's model is fitted once on the real data
// to predict j from the columns before it (lgbm_column.hpp), and synthetic rows are drawn column
// by column from those models — classes from predicted probabilities, numbers as prediction plus
// a training residual. Optional Gibbs rounds then redraw every column from a model conditional on
// all the others (van Buuren 2018, "Flexible Imputation of Missing Data", ch. 4.5).
// The FCS engine of cart/rf (models/fcs) is built around donor draws from its own trees, so this
// method keeps its own sequence and shares only the visit-order convention.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "calm/core/synthesizer.hpp"
#include "learn/feature_encoding.hpp"
#include "models/fcs/lgbm_column.hpp"
#include "models/fcs/unique_rows.hpp"

namespace calm::lgbm {

struct LgbmOptions {
  ColumnSettings column;
  int iterations = 0;
  bool redraw_copies = true;  // rows reproducing a unique real row are redrawn (unique_rows.hpp)
  std::vector<std::string> visit_sequence;  // empty: data order with the target column last
};

LgbmOptions lgbm_options(const Params& p);
ParamSpec lgbm_param_spec();

class LgbmSynthesizer final : public Synthesizer {
 public:
  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  // XGBoost predicts from dense arrays concurrently (thread-local output buffers).
  bool concurrent_sampling() const override { return true; }
  void save(ArchiveWriter& out) const override;  // lgbm_archive.cpp
  void load(ArchiveReader& in) override;

 private:
  struct Step {
    int column;                 // model column drawn
    std::vector<int> features;  // model columns it is predicted from, ascending
    ColumnModel model;
  };

  std::vector<int> visit_order(const FitContext& ctx) const;
  void fit_steps(std::vector<Step>& steps, const xgb::DenseMatrix& x,
                 const std::vector<ColumnTarget>& targets, uint64_t kind, int threads) const;
  void run_steps(const std::vector<const Step*>& steps, uint64_t pass, size_t n,
                 const SampleContext& ctx, std::vector<float>& x,
                 std::vector<std::vector<double>>& values) const;
  Column output_column(size_t t, const std::vector<double>& values, size_t n) const;
  Table output_table(const std::vector<std::vector<double>>& values, size_t n) const;
  void redraw_copies(size_t n, const SampleContext& ctx, std::vector<float>& x,
                     std::vector<std::vector<double>>& values) const;
  const fcs::UniqueRows& unique_rows() const;

  LgbmOptions opt_;
  Table data_;
  std::vector<int> model_of_;     // table column -> model column, -1 for id columns
  std::vector<size_t> table_of_;  // model column -> table column
  xgb::FeatureEncoder enc_;       // feature f = model column f
  uint64_t seed_ = 0;
  std::vector<Step> sequence_;          // in visit order
  std::vector<Step> gibbs_;             // by model column
  mutable std::once_flag unique_once_;  // unique_rows_ is built on first use, by one thread
  mutable std::unique_ptr<fcs::UniqueRows> unique_rows_;
};

}  // namespace calm::lgbm
