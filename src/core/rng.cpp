// Philox4x32-10 streams via Random123 (librandom123-dev), plus the few distributions we need.
#include "calm/core/rng.hpp"

#include <Random123/philox.h>

#include <cmath>
#include <random>
#include <string>

#include "calm/core/log.hpp"

namespace calm {

Rng::Rng(uint64_t seed, uint64_t stream) {
  key_[0] = static_cast<uint32_t>(seed);
  key_[1] = static_cast<uint32_t>(seed >> 32);
  ctr_[0] = 0;
  ctr_[1] = 0;
  ctr_[2] = static_cast<uint32_t>(stream);
  ctr_[3] = static_cast<uint32_t>(stream >> 32);
}

void Rng::refill() {
  r123::Philox4x32 gen;
  r123::Philox4x32::ctr_type c = {{ctr_[0], ctr_[1], ctr_[2], ctr_[3]}};
  r123::Philox4x32::key_type k = {{key_[0], key_[1]}};
  auto r = gen(c, k);
  for (int i = 0; i < 4; ++i) out_[i] = r[i];
  if (++ctr_[0] == 0) ++ctr_[1];
  pos_ = 0;
}

uint32_t Rng::next_u32() {
  if (pos_ == 4) refill();
  return out_[pos_++];
}

uint64_t Rng::next_u64() {
  uint64_t hi = next_u32();
  return (hi << 32) | next_u32();
}

double Rng::uniform() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double Rng::uniform_open() {
  return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1.0p-52;
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = uniform_open(), u2 = uniform();
  double r = std::sqrt(-2.0 * std::log(u1));
  double t = 2.0 * M_PI * u2;
  spare_ = r * std::sin(t);
  has_spare_ = true;
  return r * std::cos(t);
}

uint64_t Rng::below(uint64_t n) {
  if (n <= 1) return 0;
  // Lemire's nearly-divisionless method on 64 bits.
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double Rng::gamma(double shape) {
  if (shape < 1.0) return gamma(shape + 1.0) * std::pow(uniform_open(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    double u = uniform_open();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
  }
}

double Rng::beta(double a, double b) {
  double x = gamma(a), y = gamma(b);
  return x / (x + y);
}

size_t Rng::categorical(const double* cumulative, size_t k) {
  double u = uniform() * cumulative[k - 1];
  size_t lo = 0, hi = k - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cumulative[mid] > u)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

uint64_t entropy_seed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

uint64_t seed_or_draw(const std::optional<uint64_t>& given, const Logger* log) {
  if (given) return *given;
  const uint64_t seed = entropy_seed();
  if (log)
    log->info("no random_state given; using seed " + std::to_string(seed) +
              " (pass it as random_state to repeat this run)");
  return seed;
}

}  // namespace calm
