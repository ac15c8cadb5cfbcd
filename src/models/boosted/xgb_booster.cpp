// The XGBoost C API wrapper (see xgb_booster.hpp).
#include "models/boosted/xgb_booster.hpp"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdio>

#include "calm/core/error.hpp"

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

void Booster::train(const DenseMatrix& x, const std::vector<float>& labels, const BoosterParams& p,
                    const std::vector<float>& weights) {
  quiet_this_thread();
  if (x.rows == 0 || x.cols == 0)
    throw InternalError("XGBoost booster trained on an empty matrix (" + std::to_string(x.rows) +
                        " x " + std::to_string(x.cols) + ")");
  if (labels.size() != x.rows)
    throw InternalError("XGBoost labels: " + std::to_string(labels.size()) + " for " +
                        std::to_string(x.rows) + " rows");
  DMatrix d(x);
  check(XGDMatrixSetFloatInfo(d.get(), "label", labels.data(), labels.size()),
        "XGDMatrixSetFloatInfo(label)");
  if (!weights.empty())
    check(XGDMatrixSetFloatInfo(d.get(), "weight", weights.data(), weights.size()),
          "XGDMatrixSetFloatInfo(weight)");
  if (handle_) XGBoosterFree(handle_), handle_ = nullptr;
  DMatrixHandle dm = d.get();
  check(XGBoosterCreate(&dm, 1, &handle_), "XGBoosterCreate");
  params_ = p;
  features_ = x.cols;
  set(handle_, "verbosity", "0");
  set(handle_, "nthread", "1");
  set(handle_, "seed", std::to_string(p.seed & 0x7fffffffu));
  set(handle_, "tree_method", "hist");
  set(handle_, "grow_policy", "lossguide");
  set(handle_, "max_leaves", std::to_string(p.max_leaves));
  set(handle_, "max_depth", std::to_string(p.max_depth));
  set(handle_, "eta", num(p.learning_rate));
  set(handle_, "min_child_weight", num(p.min_child_weight));
  set(handle_, "subsample", num(p.subsample));
  set(handle_, "colsample_bytree", num(p.colsample_bytree));
  switch (p.objective) {
    case Objective::regression:
      set(handle_, "objective", "reg:squarederror");
      break;
    case Objective::binary:
      set(handle_, "objective", "binary:logistic");
      break;
    case Objective::multiclass:
      set(handle_, "objective", "multi:softprob");
      set(handle_, "num_class", std::to_string(p.num_class));
      break;
  }
  for (int it = 0; it < p.n_estimators; ++it)
    check(XGBoosterUpdateOneIter(handle_, it, d.get()), "XGBoosterUpdateOneIter");
}

std::vector<float> Booster::predict(const float* x, size_t rows) const {
  if (!handle_) throw InternalError("XGBoost booster used before training");
  quiet_this_thread();
  const size_t k = outputs_per_row();
  if (rows == 0) return {};
  char values[256], config[160];
  std::snprintf(values, sizeof values,
                R"({"data": [%llu, true], "shape": [%zu, %zu], "typestr": "<f4", "version": 3})",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(x)), rows, features_);
  std::snprintf(config, sizeof config,
                R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
                R"("strict_shape": false, "cache_id": 0, "missing": NaN})");
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDense(handle_, values, config, nullptr, &shape, &dim, &out),
        "XGBoosterPredictFromDense");
  return std::vector<float>(out, out + rows * k);
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
