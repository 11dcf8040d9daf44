#include "store/scan.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "store/args.h"
#include "store/errors.h"
#include "store/glob.h"
#include "store/numbers.h"

namespace gearsd::store {
bool ScanArgs::matches(std::string_view s) const { return !usePattern || globMatch(pattern, s); }

bool parseScanCursorOrReply(CommandContext& c, std::string_view arg, uint64_t& cursor) {
  std::string s(arg);
  char* end;
  errno = 0;
  unsigned long v = std::strtoul(s.c_str(), &end, 10);
  if ((!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) || *end != '\0' || errno == ERANGE) {
    c.reply.error("ERR invalid cursor");
    return false;
  }
  cursor = v;
  return true;
}

bool parseScanOptionsOrReply(CommandContext& c, size_t first, bool allowType, ScanArgs& out) {
  for (size_t i = first; i < c.argc(); i += 2) {
    std::string_view opt = c.arg(i);
    bool hasValue = i + 1 < c.argc();
    if (hasValue && argIs(opt, "count")) {
      if (!parseInt64OrReply(c, c.arg(i + 1), out.count)) return false;
      if (out.count < 1) {
        c.reply.error(err::kSyntax);
        return false;
      }
      // Beyond any table's size anyway; keeps count * 2 * 10 from overflowing.
      out.count = std::min<int64_t>(out.count, INT64_MAX / 32);
    } else if (hasValue && argIs(opt, "match")) {
      out.pattern = c.arg(i + 1);
      out.usePattern = out.pattern != "*";
    } else if (hasValue && allowType && argIs(opt, "type")) {
      out.type = c.arg(i + 1);
      out.useType = true;
    } else {
      c.reply.error(err::kSyntax);
      return false;
    }
  }
  return true;
}

void replyScan(ReplyBuilder& r, uint64_t cursor, const std::vector<std::string_view>& items) {
  r.arrayHeader(2);
  r.bulk(formatInt64(static_cast<int64_t>(cursor)));
  r.arrayHeader(items.size());
  for (std::string_view s : items) r.bulk(s);
}

}  // namespace gearsd::store
