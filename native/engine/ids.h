// RedisGears' ids (GEARS_API.md §1): "<40-character shard id>-<seq>" as users see them, and
// the binary form its dicts are keyed by (the shard id, the sequence number as a
// little-endian long long, a NUL), which decides the order RG.DUMPEXECUTIONS and
// RG.DUMPREGISTRATIONS list things in.
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace gearsd::engine {

inline constexpr const char* kShardId = "0000000000000000000000000000000000000000";

inline std::string gearsId(uint64_t seq) { return std::string(kShardId) + "-" + std::to_string(seq); }

// The binary id in a buffer of its own, for lookups that need no string to keep (one per
// finished registration execution: listing it, unlisting an older one).
class BinaryId {
 public:
  explicit BinaryId(uint64_t seq) {
    std::memcpy(bytes_.data(), kShardId, 40);
    for (int i = 0; i < 8; i++) bytes_[40 + i] = static_cast<char>((seq >> (8 * i)) & 0xff);
    bytes_[48] = '\0';
  }
  std::string_view view() const { return {bytes_.data(), bytes_.size()}; }

 private:
  std::array<char, 49> bytes_;
};

inline std::string binaryId(uint64_t seq) { return std::string(BinaryId(seq).view()); }

}  // namespace gearsd::engine
