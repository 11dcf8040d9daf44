// Bit-level primitives on byte strings (bits.h). The counting loops read 8 bytes at a
// time; popcount is compiled twice, with and without the POPCNT instruction, and the
// loader picks the one the CPU supports.
#include "store/bits.h"

#include <cstring>

namespace gearsd::store::bits {

namespace {
uint64_t load64(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
}  // namespace

__attribute__((target_clones("popcnt", "default"))) uint64_t popcount(const unsigned char* p, size_t n) {
  uint64_t a = 0, b = 0, c = 0, d = 0;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a += static_cast<uint64_t>(__builtin_popcountll(load64(p + i)));
    b += static_cast<uint64_t>(__builtin_popcountll(load64(p + i + 8)));
    c += static_cast<uint64_t>(__builtin_popcountll(load64(p + i + 16)));
    d += static_cast<uint64_t>(__builtin_popcountll(load64(p + i + 24)));
  }
  for (; i + 8 <= n; i += 8) a += static_cast<uint64_t>(__builtin_popcountll(load64(p + i)));
  for (; i < n; i++) a += static_cast<uint64_t>(__builtin_popcount(p[i]));
  return a + b + c + d;
}

int64_t firstBit(const unsigned char* p, size_t n, int bit) {
  // A byte or word with nothing of interest is all 0x00 (looking for 1) or all 0xff.
  const unsigned char skipByte = bit ? 0x00 : 0xff;
  const uint64_t skipWord = bit ? 0 : ~uint64_t{0};
  size_t i = 0;
  while (i < n && p[i] == skipByte && ((reinterpret_cast<uintptr_t>(p + i) & 7) != 0)) i++;
  while (i + 8 <= n && load64(p + i) == skipWord) i += 8;
  while (i < n && p[i] == skipByte) i++;
  if (i == n) return bit ? -1 : static_cast<int64_t>(n) * 8;
  unsigned char v = bit ? p[i] : static_cast<unsigned char>(~p[i]);
  int lead = __builtin_clz(static_cast<unsigned>(v)) - 24;  // leading zeros within the byte
  return static_cast<int64_t>(i) * 8 + lead;
}

uint64_t getUnsigned(const unsigned char* p, uint64_t offset, unsigned width) {
  uint64_t value = 0;
  for (unsigned j = 0; j < width; j++, offset++) {
    uint64_t bitval = (p[offset >> 3] >> (7 - (offset & 7))) & 1;
    value = (value << 1) | bitval;
  }
  return value;
}

int64_t getSigned(const unsigned char* p, uint64_t offset, unsigned width) {
  uint64_t u = getUnsigned(p, offset, width);
  // Sign-extend from the field's top bit.
  if (width < 64 && (u & (uint64_t{1} << (width - 1)))) u |= ~uint64_t{0} << width;
  return static_cast<int64_t>(u);
}

void setUnsigned(unsigned char* p, uint64_t offset, unsigned width, uint64_t value) {
  for (unsigned j = 0; j < width; j++, offset++) {
    unsigned bitval = (value >> (width - 1 - j)) & 1;
    unsigned shift = 7 - (offset & 7);
    unsigned char& byte = p[offset >> 3];
    byte = static_cast<unsigned char>((byte & ~(1u << shift)) | (bitval << shift));
  }
}

int unsignedOverflow(uint64_t value, int64_t incr, unsigned width, Overflow how, uint64_t* limit) {
  uint64_t max = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  // As Redis computes them: differences taken as signed 64-bit numbers.
  auto maxincr = static_cast<int64_t>(max - value);
  auto minincr = static_cast<int64_t>(uint64_t{0} - value);
  auto wrap = [&] {
    uint64_t mask = ~uint64_t{0} << width;
    *limit = (value + static_cast<uint64_t>(incr)) & ~mask;
  };
  if (value > max || (incr > 0 && incr > maxincr)) {
    if (how == Overflow::Wrap) wrap();
    else if (how == Overflow::Sat) *limit = max;
    return 1;
  }
  if (incr < 0 && incr < minincr) {
    if (how == Overflow::Wrap) {
      wrap();
      return 1;
    }
    if (how == Overflow::Sat) *limit = 0;
    return -1;
  }
  return 0;
}

int signedOverflow(int64_t value, int64_t incr, unsigned width, Overflow how, int64_t* limit) {
  int64_t max = width == 64 ? INT64_MAX : (int64_t{1} << (width - 1)) - 1;
  int64_t min = -max - 1;
  // Only used once `value` is known to be in range, where they cannot overflow.
  auto maxincr = static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
  auto minincr = static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
  auto wrap = [&] {
    uint64_t msb = uint64_t{1} << (width - 1);
    uint64_t c = static_cast<uint64_t>(value) + static_cast<uint64_t>(incr);
    if (width < 64) {
      uint64_t mask = ~uint64_t{0} << width;
      c = (c & msb) ? (c | mask) : (c & ~mask);
    }
    *limit = static_cast<int64_t>(c);
  };
  if (value > max || (width != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
    if (how == Overflow::Wrap) wrap();
    else if (how == Overflow::Sat) *limit = max;
    return 1;
  }
  if (value < min || (width != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
    if (how == Overflow::Wrap) {
      wrap();
      return 1;
    }
    if (how == Overflow::Sat) *limit = min;
    return -1;
  }
  return 0;
}

}  // namespace gearsd::store::bits
