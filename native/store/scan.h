// What SCAN, HSCAN, SSCAN and ZSCAN share: the cursor and option rules, the bound on the
// work one call does over a Dict, and the reply shape. Each command supplies the walk.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "store/command.h"
#include "store/dict.h"

namespace gearsd::store {

struct ScanArgs {
  int64_t count = 10;
  std::string_view pattern;
  bool usePattern = false;  // MATCH given and not "*"
  std::string_view type;    // SCAN's TYPE
  bool useType = false;
  bool matches(std::string_view s) const;
};

// Redis accepts any unsigned long strtoul takes (so "-1" wraps around).
bool parseScanCursorOrReply(CommandContext& c, std::string_view arg, uint64_t& cursor);
// Options start at argv[first]; TYPE only when allowType (SCAN itself).
bool parseScanOptionsOrReply(CommandContext& c, size_t first, bool allowType, ScanArgs& out);

// One call's walk over a Dict-backed collection, bounded as Redis bounds it: buckets are
// visited until `count` reply elements were gathered (a node gives `perNode` of them: 2
// for a field and its value), the walk ends, or 10 x count buckets were visited, so a
// sparse table cannot make one call slow. Filtering happens after, as in Redis. Returns
// the next cursor.
template <class Node, class Traits, class Visit>
uint64_t scanDict(const Dict<Node, Traits>& d, uint64_t cursor, int64_t count, int perNode, Visit&& visit) {
  int64_t maxIterations = count * 10;
  int64_t gathered = 0;
  do {
    cursor = d.scan(cursor, [&](const Node* n) {
      gathered += perNode;
      visit(n);
    });
  } while (cursor && maxIterations-- && gathered < count);
  return cursor;
}

// [cursor, [items...]]; the cursor goes out as Redis prints it (a signed number).
void replyScan(ReplyBuilder& r, uint64_t cursor, const std::vector<std::string_view>& items);

}  // namespace gearsd::store
