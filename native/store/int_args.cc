#include "store/int_args.h"

#include <string>

#include "store/errors.h"
#include "store/numbers.h"

namespace gearsd::store {

bool getLongOrReply(CommandContext& c, std::string_view arg, int64_t& out, const char* msg) {
  if (parseInt64(arg, out)) return true;
  c.reply.error(msg ? msg : err::kNotInteger);
  return false;
}

bool getRangeLongOrReply(CommandContext& c, std::string_view arg, int64_t min, int64_t max, int64_t& out,
                         const char* msg) {
  if (!getLongOrReply(c, arg, out, msg)) return false;
  if (out >= min && out <= max) return true;
  if (msg) c.reply.error(msg);
  else c.reply.error("ERR value is out of range, value must between " + std::to_string(min) + " and " + std::to_string(max));
  return false;
}

bool getPositiveLongOrReply(CommandContext& c, std::string_view arg, int64_t& out, const char* msg) {
  return getRangeLongOrReply(c, arg, 0, INT64_MAX, out, msg ? msg : err::kPositiveCount);
}

}  // namespace gearsd::store
