// HyperLogLog values, in Redis's own format, so that a value written by redis-server
// (GET there, SET here) counts the same in gearsd and the other way round.
//
// A value is a string: a 16-byte header ("HYLL", encoding byte, 3 zero bytes, the cached
// cardinality as 8 little-endian bytes whose top bit set means "stale"), then registers.
//  - dense: 16384 registers of 6 bits packed LSB first, 12288 bytes;
//  - sparse: run-length opcodes (ZERO 00xxxxxx: 1..64 zero registers; XZERO 01xxxxxx
//    yyyyyyyy: 1..16384 zero registers; VAL 1vvvvvxx: 1..4 registers of value 1..32).
// New values start sparse and turn dense for good when a register needs more than 32, or
// when the sparse form would outgrow hll-sparse-max-bytes.
// Elements are hashed with MurmurHash64A (seed 0xadc83b19), 14 bits pick the register and
// the run of zeros in the other 50 gives its value; the count is Ertl's improved estimator,
// as Redis computes it (same operations, same rounding).
//
// Nothing here knows keys or replies: t_hyperloglog.cc does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gearsd::store::hll {

inline constexpr int kRegisters = 16384;  // 2^14
inline constexpr size_t kHeaderSize = 16;
inline constexpr size_t kDenseSize = kHeaderSize + (kRegisters * 6 + 7) / 8;
inline constexpr uint8_t kDense = 0;
inline constexpr uint8_t kSparse = 1;

uint64_t murmurHash64A(const void* key, size_t len, uint64_t seed);

// The register an element goes to and the value it proposes for it (1..51).
int patternLength(std::string_view element, long* index);

// The value of an empty HLL (sparse, every register zero).
std::string emptyValue();

// The header checks Redis makes before using a string as an HLL: magic, a known
// encoding, and the exact length of a dense value. Sparse opcodes are checked as they
// are read.
bool looksValid(std::string_view v);
inline uint8_t encodingOf(std::string_view v) { return static_cast<uint8_t>(v[4]); }

bool cacheValid(std::string_view v);
uint64_t cachedCount(std::string_view v);
void setCachedCount(char* v, uint64_t n);
inline void invalidateCache(char* v) { v[15] = static_cast<char>(static_cast<uint8_t>(v[15]) | 0x80); }

// Dense registers (the bytes after the header).
uint8_t getRegister(const unsigned char* regs, long i);
void setRegister(unsigned char* regs, long i, uint8_t value);
// Raises register i to `value` if it is lower; 1 when it changed.
int denseSet(unsigned char* regs, long i, uint8_t value);

// Raises register i of v (sparse or dense) to `value` if it is lower, in place; a sparse
// v may turn dense. 1 when a register changed, 0 when not, -1 when v is corrupt. A sparse
// change leaves the cached count stale; a dense one does not touch it (callers do).
int set(std::string& v, long i, uint8_t value, size_t sparseMaxBytes);
// set() for the register and value an element hashes to.
int add(std::string& v, std::string_view element, size_t sparseMaxBytes);
// In place on a dense value's registers (no copy of the 12 KB value).
int denseAdd(unsigned char* regs, std::string_view element);

// Rewrites a sparse v as dense (a dense one is left alone); false when v is corrupt.
bool toDense(std::string& v);

// The estimated cardinality. *invalid is set when a sparse v does not describe exactly
// 16384 registers.
uint64_t count(std::string_view v, bool* invalid);
// The same for 16384 plain byte registers (the union PFCOUNT builds for several keys).
uint64_t countRaw(const uint8_t* regs);
// max[i] = max(max[i], register i of v) for 16384 byte registers; false when v is corrupt.
bool mergeInto(uint8_t* max, std::string_view v);

// PFDEBUG DECODE's text for a sparse value: "z:3 Z:200 v:5,1 ...".
std::string describeSparse(std::string_view v);

}  // namespace gearsd::store::hll
