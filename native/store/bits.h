// Bit-level primitives on byte strings, shared by the bitmap commands (t_bitops.cc):
// population count and first-bit search a word at a time, and BITFIELD's reads, writes
// and overflow rules. Bit 0 is the most significant bit of byte 0, as in Redis.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gearsd::store::bits {

// Set bits in p[0..n).
uint64_t popcount(const unsigned char* p, size_t n);

// The first bit equal to `bit` in p[0..n), counted from bit 0 of p. When there is none:
// -1 when looking for a 1, n*8 (the first bit past the end) when looking for a 0.
int64_t firstBit(const unsigned char* p, size_t n, int bit);

// BITFIELD's integers of 1..64 bits at any bit offset (the bytes must exist).
uint64_t getUnsigned(const unsigned char* p, uint64_t offset, unsigned width);
int64_t getSigned(const unsigned char* p, uint64_t offset, unsigned width);
void setUnsigned(unsigned char* p, uint64_t offset, unsigned width, uint64_t value);

enum class Overflow : uint8_t { Wrap, Sat, Fail };

// Does value + incr leave the range of a `width`-bit integer? 0 when it fits, otherwise
// non-zero, with *limit set to what WRAP or SAT would store instead (FAIL stores nothing).
// Redis's checkUnsignedBitfieldOverflow / checkSignedBitfieldOverflow rules exactly.
int unsignedOverflow(uint64_t value, int64_t incr, unsigned width, Overflow how, uint64_t* limit);
int signedOverflow(int64_t value, int64_t incr, unsigned width, Overflow how, int64_t* limit);

}  // namespace gearsd::store::bits
