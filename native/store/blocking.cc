#include "store/blocking.h"

#include <cmath>

#include "store/numbers.h"

namespace gearsd::store {

bool blockTimeoutOrReply(CommandContext& c, std::string_view arg, TimeoutUnit unit, int64_t& ms) {
  int64_t v;
  if (unit == TimeoutUnit::kSeconds) {
    long double seconds;
    if (!parseLongDouble(arg, seconds)) {
      c.reply.error("ERR timeout is not a float or out of range");
      return false;
    }
    // Redis converts with a plain cast; x86 turns every out-of-range value (inf, 1e300...)
    // into INT64_MIN, so those are "negative" there and here alike.
    long double scaled = std::ceil(seconds * 1000.0L);
    v = scaled >= -9223372036854775808.0L && scaled < 9223372036854775808.0L ? static_cast<int64_t>(scaled) : INT64_MIN;
  } else if (!parseInt64(arg, v)) {
    c.reply.error("ERR timeout is not an integer or out of range");
    return false;
  }
  if (v < 0) {
    c.reply.error("ERR timeout is negative");
    return false;
  }
  ms = v;
  return true;
}

}  // namespace gearsd::store
