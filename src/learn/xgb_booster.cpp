// The XGBoost C API wrapper (see xgb_booster.hpp).
#include "learn/xgb_booster.hpp"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "learn/ubjson_bounds.hpp"

namespace calm::xgb {

namespace {

// Failures in XGBoost on data calm prepared are calm bugs, except the ones the data causes
// (e.g. a label outside [0, num_class)), which callers check before training.
void check(int rc, const char* what) {
  if (rc != 0)
    throw InternalError(std::string("XGBoost ") + what + " failed: " + XGBGetLastError());
}

void set(BoosterHandle h, const char* name, const std::string& value) {
  check(XGBoosterSetParam(h, name, value.c_str()), "XGBoosterSetParam");
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// XGBoost prints warnings to stderr by default; calm reports through its own logger instead.
// XGBoost's global configuration is per thread, so every thread that calls in sets it.
void quiet_this_thread() {
  thread_local const bool done = XGBSetGlobalConfig(R"({"verbosity": 0})") == 0;
  (void)done;
}

class DMatrix {
 public:
  explicit DMatrix(const DenseMatrix& x) {
    check(XGDMatrixCreateFromMat_omp(x.values.data(), x.rows, x.cols, NAN, &h_, 1),
          "XGDMatrixCreateFromMat");
    bool any_categorical = false;
    std::vector<const char*> types(x.cols, "q");
    for (size_t c = 0; c < x.categorical.size() && c < x.cols; ++c)
      if (x.categorical[c]) types[c] = "c", any_categorical = true;
    if (any_categorical)
      check(XGDMatrixSetStrFeatureInfo(h_, "feature_type", types.data(), types.size()),
            "XGDMatrixSetStrFeatureInfo");
  }
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix() { XGDMatrixFree(h_); }
  DMatrixHandle get() const { return h_; }

 private:
  DMatrixHandle h_ = nullptr;
};

// The held-out loss of the round XGBoosterEvalOneIter just reported ("[i]\tv-rmse:0.123").
double eval_loss(const char* report) {
  const char* colon = std::strrchr(report, ':');
  if (!colon) throw InternalError(std::string("XGBoost evaluation report unreadable: ") + report);
  return std::strtod(colon + 1, nullptr);
}

}  // namespace

DenseMatrix DenseMatrix::subset(const std::vector<int64_t>& rs, const std::vector<int>& cs) const {
  DenseMatrix out;
  out.rows = rs.size();
  out.cols = cs.size();
  out.values.resize(out.rows * out.cols);
  for (size_t i = 0; i < rs.size(); ++i) {
    const float* src = values.data() + static_cast<size_t>(rs[i]) * cols;
    float* dst = out.values.data() + i * out.cols;
    for (size_t k = 0; k < cs.size(); ++k) dst[k] = src[cs[k]];
  }
  if (!categorical.empty()) {
    out.categorical.resize(cs.size());
    for (size_t k = 0; k < cs.size(); ++k) out.categorical[k] = categorical[cs[k]];
  }
  return out;
}

Booster& Booster::operator=(Booster&& o) noexcept {
  if (this != &o) {
    if (handle_) XGBoosterFree(handle_);
    handle_ = o.handle_;
    params_ = o.params_;
    features_ = o.features_;
    o.handle_ = nullptr;
  }
  return *this;
}

Booster::~Booster() {
  if (handle_) XGBoosterFree(handle_);
}

namespace {

void configure(BoosterHandle h, const BoosterParams& p) {
  set(h, "verbosity", "0");
  set(h, "nthread", "1");
  set(h, "seed", std::to_string(p.seed & 0x7fffffffu));
  set(h, "tree_method", "hist");
  set(h, "grow_policy", "lossguide");
  set(h, "max_leaves", std::to_string(p.max_leaves));
  set(h, "max_depth", std::to_string(p.max_depth));
  set(h, "eta", num(p.learning_rate));
  set(h, "min_child_weight", num(p.min_child_weight));
  set(h, "subsample", num(p.subsample));
  set(h, "colsample_bytree", num(p.colsample_bytree));
  set(h, "max_bin", std::to_string(p.max_bin));
  set(h, "base_score", num(p.base_score));
  switch (p.objective) {
    case Objective::regression:
      set(h, "objective", "reg:squarederror");
      set(h, "eval_metric", "rmse");
      break;
    case Objective::binary:
      set(h, "objective", "binary:logistic");
      set(h, "eval_metric", "logloss");
      break;
    case Objective::multiclass:
      set(h, "objective", "multi:softprob");
      set(h, "num_class", std::to_string(p.num_class));
      set(h, "eval_metric", "mlogloss");
      break;
  }
}

// Rows held out for early stopping: each row independently with probability `fraction`, from a
// stream of the booster's seed (so the split is part of the seeded fit).
std::vector<uint8_t> held_out_rows(size_t rows, double fraction, uint64_t seed) {
  std::vector<uint8_t> out(rows, 0);
  Rng rng(seed, stream_id(StreamPurpose::fit, 0x5EED0u));
  for (auto& o : out) o = rng.uniform() < fraction;
  return out;
}

}  // namespace

void Booster::train(const DenseMatrix& x, const std::vector<float>& labels, const BoosterParams& p,
                    const std::vector<float>& weights, const std::vector<float>& base_margin) {
  quiet_this_thread();
  if (x.rows == 0 || x.cols == 0)
    throw InternalError("XGBoost booster trained on an empty matrix (" + std::to_string(x.rows) +
                        " x " + std::to_string(x.cols) + ")");
  if (labels.size() != x.rows)
    throw InternalError("XGBoost labels: " + std::to_string(labels.size()) + " for " +
                        std::to_string(x.rows) + " rows");
  // Split off the validation rows when early stopping has enough of them to measure a loss on.
  std::vector<int64_t> fit_rows, valid_rows;
  if (p.early_stopping_rounds > 0 && p.validation_fraction > 0 &&
      static_cast<double>(x.rows) * p.validation_fraction >= kMinValidationRows) {
    const auto held = held_out_rows(x.rows, p.validation_fraction, p.seed);
    for (size_t r = 0; r < x.rows; ++r)
      (held[r] ? valid_rows : fit_rows).push_back(static_cast<int64_t>(r));
    if (valid_rows.size() < kMinValidationRows || fit_rows.empty()) fit_rows.clear();
  }
  const bool stop_early = !fit_rows.empty();
  std::vector<int> all_cols(x.cols);
  std::iota(all_cols.begin(), all_cols.end(), 0);
  auto pick = [](const std::vector<float>& v, const std::vector<int64_t>& rows) {
    std::vector<float> out(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) out[i] = v[static_cast<size_t>(rows[i])];
    return out;
  };
  const size_t k = p.objective == Objective::multiclass ? p.num_class : 1;
  if (!base_margin.empty() && base_margin.size() != x.rows * k)
    throw InternalError("XGBoost base margin: " + std::to_string(base_margin.size()) +
                        " values for " + std::to_string(x.rows) + " rows");
  auto pick_margin = [&](const std::vector<int64_t>& rows) {
    std::vector<float> out;
    if (base_margin.empty()) return out;
    out.reserve(rows.size() * k);
    for (int64_t r : rows)
      out.insert(out.end(), base_margin.begin() + r * k, base_margin.begin() + (r + 1) * k);
    return out;
  };
  auto make = [&](const DenseMatrix& m, const std::vector<float>& l, const std::vector<float>& w,
                  const std::vector<float>& margin) {
    auto d = std::make_unique<DMatrix>(m);
    if (!margin.empty())
      check(XGDMatrixSetFloatInfo(d->get(), "base_margin", margin.data(), margin.size()),
            "XGDMatrixSetFloatInfo(base_margin)");
    check(XGDMatrixSetFloatInfo(d->get(), "label", l.data(), l.size()),
          "XGDMatrixSetFloatInfo(label)");
    if (!w.empty())
      check(XGDMatrixSetFloatInfo(d->get(), "weight", w.data(), w.size()),
            "XGDMatrixSetFloatInfo(weight)");
    return d;
  };
  std::unique_ptr<DMatrix> train_d, valid_d;
  if (stop_early) {
    train_d = make(x.subset(fit_rows, all_cols), pick(labels, fit_rows),
                   weights.empty() ? weights : pick(weights, fit_rows), pick_margin(fit_rows));
    valid_d = make(x.subset(valid_rows, all_cols), pick(labels, valid_rows),
                   weights.empty() ? weights : pick(weights, valid_rows), pick_margin(valid_rows));
  } else {
    train_d = make(x, labels, weights, base_margin);
  }
  if (handle_) XGBoosterFree(handle_), handle_ = nullptr;
  DMatrixHandle dms[2] = {train_d->get(), valid_d ? valid_d->get() : nullptr};
  check(XGBoosterCreate(dms, stop_early ? 2 : 1, &handle_), "XGBoosterCreate");
  params_ = p;
  features_ = x.cols;
  configure(handle_, p);
  int best = p.n_estimators - 1;
  double best_loss = INFINITY;
  const char* names[1] = {"v"};
  for (int it = 0; it < p.n_estimators; ++it) {
    check(XGBoosterUpdateOneIter(handle_, it, train_d->get()), "XGBoosterUpdateOneIter");
    if (!stop_early) continue;
    const char* report = nullptr;
    DMatrixHandle v = valid_d->get();
    check(XGBoosterEvalOneIter(handle_, it, &v, names, 1, &report), "XGBoosterEvalOneIter");
    const double loss = eval_loss(report);
    if (loss < best_loss) {
      best_loss = loss, best = it;
    } else if (it - best >= p.early_stopping_rounds) {
      break;
    }
  }
  int boosted = 0;
  check(XGBoosterBoostedRounds(handle_, &boosted), "XGBoosterBoostedRounds");
  if (best + 1 < boosted) {
    // Cut back to the best round: fewer trees to store and to walk at every prediction.
    BoosterHandle cut = nullptr;
    check(XGBoosterSlice(handle_, 0, best + 1, 1, &cut), "XGBoosterSlice");
    XGBoosterFree(handle_);
    handle_ = cut;
    set(handle_, "verbosity", "0");
    set(handle_, "nthread", "1");
  }
}

int Booster::rounds() const {
  if (!handle_) return 0;
  int boosted = 0;
  check(XGBoosterBoostedRounds(handle_, &boosted), "XGBoosterBoostedRounds");
  return boosted;
}

std::vector<float> Booster::predict(const float* x, size_t rows, bool margin) const {
  if (!handle_) throw InternalError("XGBoost booster used before training");
  quiet_this_thread();
  const size_t k = outputs_per_row();
  if (rows == 0) return {};
  char values[256], config[160];
  std::snprintf(values, sizeof values,
                R"({"data": [%llu, true], "shape": [%zu, %zu], "typestr": "<f4", "version": 3})",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(x)), rows, features_);
  std::snprintf(config, sizeof config,
                R"({"type": %d, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
                R"("strict_shape": false, "cache_id": 0, "missing": NaN})",
                margin ? 1 : 0);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDense(handle_, values, config, nullptr, &shape, &dim, &out),
        "XGBoosterPredictFromDense");
  return std::vector<float>(out, out + rows * k);
}

std::string Booster::save() const {
  if (!handle_) return {};
  bst_ulong len = 0;
  const char* data = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "ubj"})", &len, &data),
        "XGBoosterSaveModelToBuffer");
  return std::string(data, len);
}

void Booster::load(const std::string& model, const BoosterParams& params, size_t features) {
  if (handle_) XGBoosterFree(handle_), handle_ = nullptr;
  if (model.empty()) return;
  check_ubjson_bounds(model);  // XGBoost sizes its vectors by the counts in the bytes
  quiet_this_thread();
  check(XGBoosterCreate(nullptr, 0, &handle_), "XGBoosterCreate");
  if (XGBoosterLoadModelFromBuffer(handle_, model.data(), model.size()) != 0) {
    const std::string why = XGBGetLastError();
    XGBoosterFree(handle_), handle_ = nullptr;
    throw DataError("corrupt XGBoost model in archive: " + why);
  }
  bst_ulong width = 0;
  check(XGBoosterGetNumFeature(handle_, &width), "XGBoosterGetNumFeature");
  if (width != features) {
    XGBoosterFree(handle_), handle_ = nullptr;
    throw DataError("XGBoost model in archive reads " + std::to_string(width) +
                    " features, expected " + std::to_string(features));
  }
  params_ = params;
  features_ = features;
  set(handle_, "verbosity", "0");
  set(handle_, "nthread", "1");
}

std::vector<double> Booster::importance(const std::string& type) const {
  if (!handle_) throw InternalError("XGBoost booster used before training");
  bst_ulong n = 0, dim = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  const std::string config = R"({"importance_type": ")" + type + R"("})";
  check(XGBoosterFeatureScore(handle_, config.c_str(), &n, &names, &dim, &shape, &scores),
        "XGBoosterFeatureScore");
  std::vector<double> gain(features_, 0.0);
  // Without feature names XGBoost names feature i "f<i>"; a multiclass model may report a score
  // per class (dim 2): those are summed.
  const size_t per = dim == 2 ? shape[1] : 1;
  for (bst_ulong i = 0; i < n; ++i) {
    if (names[i][0] != 'f') continue;
    const size_t f = std::strtoull(names[i] + 1, nullptr, 10);
    if (f >= features_) continue;
    for (size_t c = 0; c < per; ++c) gain[f] += scores[i * per + c];
  }
  return gain;
}

}  // namespace calm::xgb
