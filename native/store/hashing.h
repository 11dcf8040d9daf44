// Hashing for every table in the store: a seeded 64-bit multiply-mix hash over bytes.
// The seed is random per process, like Redis's SipHash seed, so iteration order is not
// something clients can rely on (or attack).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace gearsd::store {

extern uint64_t gHashSeed;
void initHashSeed();

namespace detail {
inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
inline uint64_t load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
}  // namespace detail

inline uint64_t hashBytes(const void* data, size_t n, uint64_t seed = gHashSeed) {
  constexpr uint64_t k0 = 0x9e3779b97f4a7c15ULL, k1 = 0xbf58476d1ce4e5b9ULL,
                     k2 = 0x94d049bb133111ebULL, k3 = 0xd6e8feb86659fd93ULL;
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = seed ^ (n * k0);
  while (n >= 16) {
    h = detail::mix(detail::load64(p) ^ k1, detail::load64(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  if (n >= 8) {
    h = detail::mix(detail::load64(p) ^ k2, h ^ k1);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = detail::mix(tail ^ k3 ^ n, h ^ k2);
  return detail::mix(h, k0);
}

inline uint64_t hashBytes(std::string_view s) { return hashBytes(s.data(), s.size()); }

}  // namespace gearsd::store
