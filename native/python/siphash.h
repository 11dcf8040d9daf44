// SipHash-1-2 (one compression round, two finalisation rounds), the variant Redis and
// RedisGears use for their dicts. RedisGears never seeds its dicts, so its key order is
// SipHash-1-2 with a zero key; gears_dict.h reproduces that order.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gearsd::python {

uint64_t siphash12(const void* data, size_t len, const uint8_t key[16]);

inline uint64_t siphash12ZeroKey(std::string_view s) {
  static constexpr uint8_t kZero[16] = {};
  return siphash12(s.data(), s.size(), kZero);
}

}  // namespace gearsd::python
