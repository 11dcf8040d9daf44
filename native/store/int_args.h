// Integer arguments with Redis's range rules and error texts (getLongFromObjectOrReply
// and friends): counts of SPOP/SRANDMEMBER/HRANDFIELD, SINTERCARD's numkeys and LIMIT...
// Each helper replies on failure; `msg`, when given, replaces the default error text
// for both a malformed and an out-of-range argument, as in Redis.
#pragma once
#include <cstdint>
#include <string_view>

#include "store/command.h"

namespace gearsd::store {

bool getLongOrReply(CommandContext& c, std::string_view arg, int64_t& out, const char* msg = nullptr);
bool getRangeLongOrReply(CommandContext& c, std::string_view arg, int64_t min, int64_t max, int64_t& out,
                         const char* msg = nullptr);
// 0..LONG_MAX, "ERR value is out of range, must be positive" by default.
bool getPositiveLongOrReply(CommandContext& c, std::string_view arg, int64_t& out, const char* msg = nullptr);

}  // namespace gearsd::store
