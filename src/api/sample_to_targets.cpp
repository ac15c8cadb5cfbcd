// Rejection sampling by joint cell with a per-cell model fallback (see sample_to_targets.hpp).
#include "api/sample_to_targets.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/text.hpp"

namespace calm {
namespace {

constexpr int kMaxRounds = 50;
constexpr size_t kMaxCells = 100000;
constexpr size_t kProbeRows = 1000;         // first round when shares are requested
constexpr double kMinCellRate = 1.0 / 200;  // below this the cell gets its own model
constexpr double kMaxCostFactor = 20;       // ... or when rejection would need > 20 n draws

std::string percent(double x) {
  return format_double(std::round(x * 10000.0) / 100.0) + "%";
}

// The joint cells of the requested columns (one cell when no shares are requested).
class Cells {
 public:
  Cells(const std::vector<ColumnShares>& shares, const Table& real) : shares_(shares), real_(real) {
    size_t count = 1;
    for (const auto& s : shares_) {
      stride_.push_back(count);
      count *= s.values.size();
      if (count > kMaxCells)
        throw InvalidArgument("custom_distributions on " + std::to_string(shares_.size()) +
                              " columns make over " + std::to_string(kMaxCells) +
                              " value combinations; request fewer columns");
    }
    size_ = count;
  }
  size_t size() const { return size_; }
  size_t value_index(size_t cell, size_t j) const {
    return (cell / stride_[j]) % shares_[j].values.size();
  }
  std::vector<double> weights() const {
    std::vector<double> w(size_, 1.0);
    for (size_t c = 0; c < size_; ++c)
      for (size_t j = 0; j < shares_.size(); ++j) w[c] *= shares_[j].shares[value_index(c, j)];
    return w;
  }
  // Cell of each row of t; -1 when a forced column holds a value that was not requested.
  std::vector<int64_t> assign(const Table& t) const {
    std::vector<int64_t> cell(t.num_rows(), 0);
    for (size_t j = 0; j < shares_.size(); ++j) {
      const Column& c = t.column(shares_[j].column);
      std::map<double, size_t> index;
      for (size_t k = 0; k < shares_[j].values.size(); ++k) index[local_value(c, j, k)] = k;
      for (size_t i = 0; i < cell.size(); ++i) {
        if (cell[i] < 0) continue;
        auto it = c.is_missing(i) ? index.end() : index.find(c.numeric(i));
        cell[i] = it == index.end() ? -1 : cell[i] + static_cast<int64_t>(it->second * stride_[j]);
      }
    }
    return cell;
  }
  std::string describe(size_t cell) const {
    std::string out;
    for (size_t j = 0; j < shares_.size(); ++j) {
      const Column& c = real_.column(shares_[j].column);
      const double v = shares_[j].values[value_index(cell, j)];
      std::string label = c.type == StorageType::categorical ? c.dict[static_cast<size_t>(v)]
                          : c.type == StorageType::boolean
                              ? (v ? c.format.true_token : c.format.false_token)
                              : format_double(v);
      out += (j ? ", " : "") + shares_[j].column + "=" + label;
    }
    return out;
  }
  std::vector<int64_t> real_rows(size_t cell) const {
    std::vector<int64_t> rows;
    for (size_t i = 0; i < real_.num_rows(); ++i) {
      bool in = true;
      for (size_t j = 0; j < shares_.size() && in; ++j)
        in = real_.column(shares_[j].column).numeric(i) == shares_[j].values[value_index(cell, j)];
      if (in) rows.push_back(static_cast<int64_t>(i));
    }
    return rows;
  }

 private:
  // Requested value k of column j in t's encoding (categorical codes are per dictionary).
  double local_value(const Column& c, size_t j, size_t k) const {
    const double v = shares_[j].values[k];
    if (c.type != StorageType::categorical) return v;
    const std::string& label = real_.column(shares_[j].column).dict[static_cast<size_t>(v)];
    auto it = std::find(c.dict.begin(), c.dict.end(), label);
    return it == c.dict.end() ? -1.0 : static_cast<double>(it - c.dict.begin());
  }

  const std::vector<ColumnShares>& shares_;
  const Table& real_;
  std::vector<size_t> stride_;
  size_t size_ = 1;
};

struct Stats {
  size_t draws = 0, valid = 0;
  int rounds = 0;
  std::vector<size_t> hits, valid_hits;  // per cell
};

class Filler {
 public:
  explicit Filler(const TargetRequest& r)
      : req_(r), cells_(r.shares, r.real), guard_(r.constraints) {
    target_ = largest_remainder(r.n, cells_.weights());
    kept_.assign(cells_.size(), 0);
    budget_ = std::max<size_t>(100 * r.n, 10000);
  }

  Table run(const RowSource& main) {
    std::vector<uint8_t> active(cells_.size(), 1);
    Stats st;
    const bool forced = !req_.shares.empty();
    fill(main, active, req_.seed, req_.conditioned, 1, st);
    if (forced) {
      std::vector<uint8_t> own = rare_cells(st);
      for (size_t c = 0; c < own.size(); ++c) active[c] = !own[c];
    }
    fill(main, active, req_.seed, req_.conditioned, kMaxRounds, st);
    total_draws_ += st.draws;
    total_valid_ += st.valid;
    if (forced)
      for (size_t c = 0; c < cells_.size(); ++c)
        if (kept_[c] < target_[c]) per_cell_model(c);
    for (size_t c = 0; c < cells_.size(); ++c)
      if (kept_[c] < target_[c]) fail(c);
    req_.log.debug("sampled to targets: kept " + std::to_string(req_.n) + " rows of " +
                   std::to_string(total_draws_) + " drawn (acceptance " +
                   percent(static_cast<double>(req_.n) / static_cast<double>(total_draws_)) + ")");
    Table out = concat_rows(parts_);
    if (cells_.size() > 1) out = shuffled(out);
    return out;
  }

 private:
  size_t deficit(size_t c) const { return target_[c] - kept_[c]; }

  // Cells the main model produces too rarely for rejection to be affordable.
  std::vector<uint8_t> rare_cells(const Stats& st) const {
    std::vector<uint8_t> own(cells_.size(), 0);
    const double draws = static_cast<double>(st.draws);
    for (size_t c = 0; c < cells_.size(); ++c) {
      if (deficit(c) == 0) continue;
      const double rate = static_cast<double>(st.hits[c]) / draws;
      const double affordable =
          static_cast<double>(target_[c]) / (kMaxCostFactor * static_cast<double>(req_.n));
      own[c] = rate < std::max(kMinCellRate, affordable);
    }
    return own;
  }

  size_t next_batch(const Stats& st, const std::vector<uint8_t>& active, bool conditioned) const {
    size_t short_total = 0;
    for (size_t c = 0; c < cells_.size(); ++c) short_total += active[c] ? deficit(c) : 0;
    if (st.rounds == 0)  // shares: probe enough rows to see a cell's rate of 1/200
      return req_.shares.empty() ? short_total
                                 : std::max(short_total, std::min(kProbeRows, 10 * short_total));
    const double draws = static_cast<double>(st.draws);
    const double total = static_cast<double>(short_total);
    double need = 0;
    for (size_t c = 0; c < cells_.size(); ++c) {
      if (!active[c] || deficit(c) == 0) continue;
      const double rate = std::max(static_cast<double>(st.valid_hits[c]), 0.5) / draws;
      if (!conditioned) need = std::max(need, static_cast<double>(deficit(c)) / rate);
    }
    need = std::max(need, total / (std::max(static_cast<double>(st.valid), 0.5) / draws));
    const double cap = static_cast<double>(
        std::min(std::max<size_t>(4 * req_.n, 4096), budget_ - std::min(budget_, st.draws)));
    return static_cast<size_t>(std::clamp(1.2 * need + 64, 1.0, std::max(cap, 1.0)));
  }

  // Draws rounds from `source` until the active cells are full, the round limit or the draw
  // budget is reached, or nothing at all has passed after a large number of draws.
  void fill(const RowSource& source, const std::vector<uint8_t>& active, uint64_t seed,
            int conditioned, int max_rounds, Stats& st) {
    st.hits.resize(cells_.size(), 0);
    st.valid_hits.resize(cells_.size(), 0);
    const size_t hopeless = std::max<size_t>(10 * req_.n, 5000);
    for (int r = 0; r < max_rounds; ++r) {
      size_t short_total = 0;
      for (size_t c = 0; c < cells_.size(); ++c) short_total += active[c] ? deficit(c) : 0;
      if (short_total == 0 || st.rounds >= kMaxRounds || st.draws >= budget_) return;
      if (st.valid == 0 && st.draws >= hopeless) return;
      ColumnShares retarget;
      if (conditioned >= 0) retarget = deficit_shares(static_cast<size_t>(conditioned), active);
      const size_t batch = next_batch(st, active, conditioned >= 0);
      Table t = source(batch, st.rounds == 0 ? seed : derive_seed(seed, st.rounds),
                       conditioned >= 0 ? &retarget : nullptr);
      st.draws += batch;
      ++st.rounds;
      t = req_.constraints.transform(t);
      const auto valid = req_.constraints.check(t, violations_);
      const auto cell = cells_.assign(t);
      std::vector<int64_t> keep;
      for (size_t i = 0; i < t.num_rows(); ++i) {
        if (cell[i] < 0) continue;
        const auto c = static_cast<size_t>(cell[i]);
        ++st.hits[c];
        if (!valid[i]) continue;
        ++st.valid_hits[c];
        ++st.valid;
        if (!active[c] || kept_[c] >= target_[c]) continue;
        if (!guard_.admit(t, i)) {
          ++duplicates_;
          continue;
        }
        keep.push_back(static_cast<int64_t>(i));
        ++kept_[c];
      }
      if (!keep.empty()) parts_.push_back(t.take_rows(keep));
    }
  }

  // The conditioned column's shares for the next round: the rows each of its values still needs.
  ColumnShares deficit_shares(size_t j, const std::vector<uint8_t>& active) const {
    ColumnShares s = req_.shares[j];
    std::fill(s.shares.begin(), s.shares.end(), 0.0);
    double total = 0;
    for (size_t c = 0; c < cells_.size(); ++c)
      if (active[c]) {
        s.shares[cells_.value_index(c, j)] += static_cast<double>(deficit(c));
        total += static_cast<double>(deficit(c));
      }
    if (total == 0) return req_.shares[j];
    for (double& x : s.shares) x /= total;
    return s;
  }

  void per_cell_model(size_t c) {
    const auto rows = cells_.real_rows(c);
    if (rows.size() < 2)
      throw DataError("custom_distributions: the model produces '" + cells_.describe(c) +
                      "' too rarely and only " + std::to_string(rows.size()) +
                      " real row has it, too few to fit a model for it; lower its share");
    req_.log.info("custom_distributions: the fitted model produces '" + cells_.describe(c) +
                  "' too rarely; sampling its rows from a model fitted on its " +
                  std::to_string(rows.size()) + " real rows");
    const uint64_t seed = derive_seed(req_.seed, 1000000 + c);
    RowSource own;
    try {
      own = req_.fit_subset(rows, seed);
    } catch (const Error& e) {
      throw DataError("custom_distributions: fitting a model on the " +
                      std::to_string(rows.size()) + " real rows with '" + cells_.describe(c) +
                      "' failed: " + e.what());
    }
    std::vector<uint8_t> only(cells_.size(), 0);
    only[c] = 1;
    Stats st;
    fill(own, only, seed, -1, kMaxRounds, st);
    total_draws_ += st.draws;
    total_valid_ += st.valid;
  }

  [[noreturn]] void fail(size_t c) const {
    const double draws = static_cast<double>(std::max<size_t>(total_draws_, 1));
    size_t have = 0;
    for (size_t k : kept_) have += k;
    std::string msg = "could not generate " + std::to_string(req_.n) + " rows";
    msg += req_.shares.empty() ? " satisfying the constraints"
                               : " meeting custom_distributions (cell '" + cells_.describe(c) +
                                     "': " + std::to_string(kept_[c]) + " of " +
                                     std::to_string(target_[c]) + " rows)";
    msg += ": after " + std::to_string(total_draws_) + " draws from the fitted model, " +
           std::to_string(total_valid_) + " passed (acceptance rate " +
           percent(static_cast<double>(total_valid_) / draws) + ") and " + std::to_string(have) +
           " were kept";
    if (!req_.constraints.empty()) {
      std::vector<std::string> parts;
      for (size_t k = 0; k < violations_.size(); ++k)
        if (violations_[k] > 0)
          parts.push_back(req_.constraints.describe(k) + " failed " +
                          percent(static_cast<double>(violations_[k]) / draws));
      if (duplicates_ > 0)
        parts.push_back("unique: " + std::to_string(duplicates_) + " repeated values");
      if (!parts.empty()) msg += "; " + join_names(parts, "; ");
      msg += ". Relax the constraints or use a method whose output can satisfy them";
    }
    throw DataError(msg);
  }

  Table shuffled(const Table& t) const {
    std::vector<int64_t> order(t.num_rows());
    std::iota(order.begin(), order.end(), 0);
    Rng rng(req_.seed, stream_id(StreamPurpose::post, 0x5A3F));
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    return t.take_rows(order);
  }

  const TargetRequest& req_;
  Cells cells_;
  ConstraintSet::UniqueGuard guard_;
  std::vector<size_t> target_, kept_, violations_;
  std::vector<Table> parts_;
  size_t budget_ = 0, total_draws_ = 0, total_valid_ = 0, duplicates_ = 0;
};

}  // namespace

Table sample_to_targets(const TargetRequest& request, const RowSource& source) {
  return Filler(request).run(source);
}

}  // namespace calm
