// What every blocking command (BLPOP..., BZPOPMIN..., XREAD BLOCK) shares on the native
// side: reading its timeout argument and deciding whether it may block.
//
// A blocking command that finds nothing to serve calls blockIfAllowed(): for a client it
// sets ctx.wouldBlock and replies nothing; TS then parks the client on its keys
// (src/blocking-keys.ts) and re-runs the command when one of them is signalled ready. When
// the caller may not block (MULTI/EXEC, Python's execute()) it returns false and the
// command answers what it answers on timeout, as Redis does inside MULTI.
#pragma once
#include <cstdint>
#include <string_view>

#include "store/command.h"

namespace gearsd::store {

enum class TimeoutUnit { kSeconds, kMilliseconds };

// Redis's getTimeoutFromObjectOrReply: seconds as a float (rounded up to whole ms) or an
// integer of milliseconds; 0 means forever. Replies the error and returns false when bad.
bool blockTimeoutOrReply(CommandContext& c, std::string_view arg, TimeoutUnit unit, int64_t& ms);

inline bool blockIfAllowed(CommandContext& c) {
  if (c.caller & kCallerDenyBlocking) return false;
  c.wouldBlock = true;
  return true;
}

}  // namespace gearsd::store
