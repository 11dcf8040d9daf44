// What SCAN, HSCAN, SSCAN and ZSCAN share: the cursor and option rules, the bound on the
// work one call does over a Dict, and the reply shape. Each command supplies the walk.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "store/command.h"

namespace gearsd::store {

struct ScanArgs {
  int64_t count = 10;
  std::string_view pattern;
  bool usePattern = false;  // MATCH given and not "*"
  std::string_view type;    // SCAN's TYPE, empty when absent
  bool matches(std::string_view s) const;
};

// Redis accepts any unsigned long strtoul takes (so "-1" wraps around).
bool parseScanCursorOrReply(CommandContext& c, std::string_view arg, uint64_t& cursor);
// Options start at argv[first]; TYPE only when allowType (SCAN itself).
bool parseScanOptionsOrReply(CommandContext& c, size_t first, bool allowType, ScanArgs& out);

// Runs step(cursor) -> next cursor until the walk ends, `collected()` reaches `count`,
// or 10 x count steps were taken (a sparse table must not make one call slow).
template <class Step, class Collected>
uint64_t scanBounded(uint64_t cursor, int64_t count, Step&& step, Collected&& collected) {
  int64_t maxIterations = count * 10;
  do {
    cursor = step(cursor);
  } while (cursor && maxIterations-- && static_cast<int64_t>(collected()) < count);
  return cursor;
}

// [cursor, [items...]]; the cursor goes out as Redis prints it (a signed number).
void replyScan(ReplyBuilder& r, uint64_t cursor, const std::vector<std::string_view>& items);

}  // namespace gearsd::store
