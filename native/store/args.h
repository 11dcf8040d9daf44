// Argument helpers every command family needs: matching an option name the way Redis
// does (strcasecmp) and reading an integer argument, replying Redis's error on failure.
#pragma once
#include <strings.h>

#include <cstdint>
#include <cstring>
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

}  // namespace gearsd::store
