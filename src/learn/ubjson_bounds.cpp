// UBJSON (Draft 12, big-endian, as XGBoost writes it) walked with every length checked against
// the bytes left (see learn/ubjson_bounds.hpp).
#include "learn/ubjson_bounds.hpp"

#include <cstdint>
#include <string>

#include "calm/core/error.hpp"

namespace calm::xgb {
namespace {

constexpr int kMaxDepth = 64;

class Walker {
 public:
  explicit Walker(std::string_view b) : b_(b) {}

  void value(char marker, int depth) {
    if (depth > kMaxDepth) bad("nested deeper than " + std::to_string(kMaxDepth));
    if (const int s = fixed_size(marker); s >= 0) return skip(static_cast<uint64_t>(s));
    switch (marker) {
      case 'S':
      case 'H':
        return skip(count());
      case '[':
        return container(false, depth);
      case '{':
        return container(true, depth);
      default:
        bad("unknown UBJSON marker");
    }
  }
  char next() {
    if (pos_ >= b_.size()) bad("unexpected end");
    return b_[pos_++];
  }

 private:
  [[noreturn]] void bad(const std::string& why) const {
    throw DataError("corrupt XGBoost model in archive: " + why + " at byte " +
                    std::to_string(pos_));
  }
  char peek() const {
    if (pos_ >= b_.size()) bad("unexpected end");
    return b_[pos_];
  }
  void skip(uint64_t n) {
    if (n > b_.size() - pos_) bad("a length past the end of the model");
    pos_ += n;
  }
  // Bytes of a value of fixed size after its marker; -1 for strings and containers.
  static int fixed_size(char m) {
    switch (m) {
      case 'Z':
      case 'N':
      case 'T':
      case 'F':
        return 0;
      case 'i':
      case 'U':
      case 'C':
        return 1;
      case 'I':
        return 2;
      case 'l':
      case 'd':
        return 4;
      case 'L':
      case 'D':
        return 8;
      default:
        return -1;
    }
  }
  // A length: an integer value with its own marker, big-endian, not negative.
  uint64_t count() {
    const char m = next();
    const int size = m == 'i' || m == 'U' ? 1 : m == 'I' ? 2 : m == 'l' ? 4 : m == 'L' ? 8 : 0;
    if (size == 0) bad("a length that is not an integer");
    if (static_cast<uint64_t>(size) > b_.size() - pos_) bad("unexpected end");
    uint64_t v = 0;
    for (int i = 0; i < size; ++i) v = v << 8 | static_cast<uint8_t>(b_[pos_ + i]);
    const bool negative = m != 'U' && (static_cast<uint8_t>(b_[pos_]) & 0x80);
    pos_ += static_cast<size_t>(size);
    if (negative) bad("a negative length");
    return v;
  }
  void container(bool object, int depth) {
    int type = -2;  // -2: untyped
    if (peek() == '$') {
      ++pos_;
      type = static_cast<unsigned char>(next());
    }
    const bool counted = peek() == '#';
    if (!counted && type != -2) bad("a typed container without a count");
    auto element = [&] {
      if (object) skip(count());  // a key: a length and its bytes, no marker
      value(type != -2 ? static_cast<char>(type) : next(), depth + 1);
    };
    if (counted) {
      ++pos_;
      const uint64_t n = count();
      // Each element takes at least one byte (its marker, or its fixed size when typed).
      const int s = type != -2 ? fixed_size(static_cast<char>(type)) : -1;
      const uint64_t least = static_cast<uint64_t>(s > 0 ? s : 1) + (object ? 1 : 0);
      if (n > (b_.size() - pos_) / least) bad("a container longer than the model");
      for (uint64_t i = 0; i < n; ++i) element();
      return;
    }
    const char end = object ? '}' : ']';
    while (peek() != end) element();
    ++pos_;
  }

  std::string_view b_;
  size_t pos_ = 0;
};

}  // namespace

void check_ubjson_bounds(std::string_view bytes) {
  Walker w(bytes);
  w.value(w.next(), 0);
}

}  // namespace calm::xgb
