// Argument helpers every command family needs: matching an option name the way Redis
// does (strcasecmp) and reading an integer argument, replying Redis's error on failure.
#pragma once
#include <strings.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"

namespace gearsd::store {

// True when the argument is `option`, ignoring case ("ex", "EX", "Ex"...).
inline bool argIs(std::string_view arg, const char* option) {
  size_t n = std::strlen(option);
  return arg.size() == n && strncasecmp(arg.data(), option, n) == 0;
}

// A 64-bit integer argument, or "ERR value is not an integer or out of range".
inline bool parseInt64OrReply(CommandContext& c, std::string_view arg, int64_t& out) {
  if (parseInt64(arg, out)) return true;
  c.reply.error(err::kNotInteger);
  return false;
}

// An integer argument within [min, max] (Redis's getRangeLongFromObjectOrReply). `msg`,
// when given, replaces the default error for both a malformed and an out-of-range value,
// as in Redis ("ERR numkeys should be greater than 0").
inline bool parseRangeOrReply(CommandContext& c, std::string_view arg, int64_t min, int64_t max, int64_t& out,
                              const char* msg = nullptr) {
  bool parsed = parseInt64(arg, out);
  if (parsed && out >= min && out <= max) return true;
  if (msg) c.reply.error(msg);
  else if (!parsed) c.reply.error(err::kNotInteger);
  else c.reply.error("ERR value is out of range, value must between " + std::to_string(min) + " and " + std::to_string(max));
  return false;
}

// A count of 0..INT64_MAX: SPOP's count, SINTERCARD's LIMIT (getPositiveLongFromObjectOrReply).
inline bool parsePositiveOrReply(CommandContext& c, std::string_view arg, int64_t& out, const char* msg = nullptr) {
  return parseRangeOrReply(c, arg, 0, INT64_MAX, out, msg ? msg : err::kPositiveCount);
}

}  // namespace gearsd::store
