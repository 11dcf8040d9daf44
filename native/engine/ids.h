// RedisGears' ids (GEARS_API.md §1): "<40-character shard id>-<seq>" as users see them, and
// the binary form its dicts are keyed by (the shard id, the sequence number as a
// little-endian long long, a NUL), which decides the order RG.DUMPEXECUTIONS and
// RG.DUMPREGISTRATIONS list things in.
#pragma once
#include <cstdint>
#include <string>

namespace gearsd::engine {

inline constexpr const char* kShardId = "0000000000000000000000000000000000000000";

inline std::string gearsId(uint64_t seq) { return std::string(kShardId) + "-" + std::to_string(seq); }

inline std::string binaryId(uint64_t seq) {
  std::string id(kShardId);
  for (int i = 0; i < 8; i++) id.push_back(static_cast<char>((seq >> (8 * i)) & 0xff));
  id.push_back('\0');
  return id;
}

}  // namespace gearsd::engine
