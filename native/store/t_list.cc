// List commands, blocking ones included. The value type is ListObject (t_list.h); every
// handler parses its arguments in Redis's order (which decides which error wins), does
// the operation, then ends the way every write ends: signal the key, fire Redis's event,
// count the change. A list that becomes empty is deleted and fires "del".
//
// The blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) behave as their
// non-blocking forms when there is something to pop; otherwise they block through
// blockIfAllowed() (blocking.h) and are re-run by TS, for one ready key, when data comes.
#include <string>

#include "store/args.h"
#include "store/blocking.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"
#include "store/t_list.h"
#include "store/tuning.h"

namespace gearsd::store {
namespace {

using End = ListObject::End;

ListObject* listOf(KeyEntry* e) { return e->as<ListObject>(); }

// Looks a key up for a list command. Replies WRONGTYPE and returns false when it holds
// another type; `out` is null when the key does not exist.
bool lookupListOrReply(CommandContext& c, std::string_view key, bool forWrite, KeyEntry*& out) {
  out = forWrite ? c.store.lookupWrite(*c.db, key, c.now) : c.store.lookupRead(*c.db, key, c.now);
  if (out && out->type != ValueType::List) {
    c.reply.error(err::kWrongType);
    return false;
  }
  return true;
}

bool elementSizeOkOrReply(CommandContext& c, std::string_view v) {
  if (v.size() <= ListObject::kMaxElement) return true;
  c.reply.error("ERR element too large for a list");
  return false;
}

KeyEntry* createList(CommandContext& c, std::string_view key) {
  return c.store.addObject(*c.db, key, ValueType::List, new ListObject(static_cast<int>(tuning().listMaxListpackSize)));
}

// Deletes the key when its list became empty, as Redis does, firing "del". Keys passed
// around here are views of argv, which outlive the entry.
void deleteIfEmpty(CommandContext& c, KeyEntry* e, std::string_view key) {
  if (listOf(e)->size() > 0) return;
  c.store.deleteEntry(*c.db, e);
  c.store.notify(kNotifyGeneric, "del", *c.db, key);
}

const char* popEvent(End where) { return where == End::kHead ? "lpop" : "rpop"; }
const char* pushEvent(End where) { return where == End::kHead ? "lpush" : "rpush"; }

// The tail of every pop (Redis's listElementsRemoved).
void elementsRemoved(CommandContext& c, KeyEntry* e, std::string_view key, End where, size_t n) {
  c.store.notify(kNotifyList, popEvent(where), *c.db, key);
  deleteIfEmpty(c, e, key);
  c.store.signalModifiedKey(*c.db, key);
  c.store.addDirty(n);
}

// Redis's getRangeLongFromObjectOrReply with a message: the same text for "not a number"
// and "out of range".
bool parseRangeOrReply(CommandContext& c, std::string_view arg, int64_t min, const char* msg, int64_t& out) {
  if (parseInt64(arg, out) && out >= min) return true;
  c.reply.error(msg);
  return false;
}

bool parseEndOrReply(CommandContext& c, std::string_view arg, End& out) {
  if (argIs(arg, "left")) out = End::kHead;
  else if (argIs(arg, "right")) out = End::kTail;
  else {
    c.reply.error(err::kSyntax);
    return false;
  }
  return true;
}

// Replies the elements [start, end] (inclusive, LRANGE's index rules), towards the head
// when `reverse`.
void replyRange(CommandContext& c, const ListObject* l, int64_t start, int64_t end, bool reverse) {
  int64_t len = static_cast<int64_t>(l->size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.reply.arrayHeader(0);
    return;
  }
  if (end >= len) end = len - 1;
  int64_t n = end - start + 1;
  c.reply.arrayHeader(static_cast<size_t>(n));
  ListPos p = l->seek(static_cast<size_t>(reverse ? end : start));
  for (; n > 0; n--) {
    c.reply.bulk(ListObject::at(p));
    p = reverse ? ListObject::prev(p) : ListObject::next(p);
  }
}

// Pops up to `count` elements from one end, replying them as an array (LPOP with a count).
size_t popRangeReplying(CommandContext& c, ListObject* l, End where, int64_t count) {
  size_t len = l->size();
  size_t n = static_cast<uint64_t>(count) > len ? len : static_cast<size_t>(count);
  int64_t sn = static_cast<int64_t>(n);
  if (where == End::kHead) replyRange(c, l, 0, sn - 1, false);
  else replyRange(c, l, -sn, -1, true);
  l->eraseRange(where == End::kHead ? 0 : len - n, n);
  return n;
}

// [key, [elements...]]: the reply of LMPOP and BLMPOP.
void popRangeWithKey(CommandContext& c, KeyEntry* e, std::string_view key, End where, int64_t count) {
  c.reply.arrayHeader(2);
  c.reply.bulk(key);
  size_t n = popRangeReplying(c, listOf(e), where, count);
  elementsRemoved(c, e, key, where, n);
}

// ---- pushes -------------------------------------------------------------------------------

void pushGeneric(CommandContext& c, End where, bool onlyIfExists) {
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupListOrReply(c, key, true, e)) return;
  for (size_t j = 2; j < c.argc(); j++)
    if (!elementSizeOkOrReply(c, c.arg(j))) return;
  bool created = !e;  // a new key is signalled ready by addObject (createList)
  if (created) {
    if (onlyIfExists) return c.reply.integer(0);
    e = createList(c, key);
  }
  ListObject* l = listOf(e);
  uint64_t coming = 0;
  for (size_t j = 3; j < c.argc(); j++) coming += listentry::encodedSize(c.arg(j).size());
  for (size_t j = 2; j < c.argc(); j++) {
    l->push(where, c.arg(j), coming);
    if (j + 1 < c.argc()) coming -= listentry::encodedSize(c.arg(j + 1).size());
  }
  c.reply.integer(static_cast<int64_t>(l->size()));
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyList, pushEvent(where), *c.db, key);
  c.store.addDirty(c.argc() - 2);
  if (!created) c.store.signalKeyAsReady(*c.db, key);
}

void cmdLpush(CommandContext& c) { pushGeneric(c, End::kHead, false); }
void cmdRpush(CommandContext& c) { pushGeneric(c, End::kTail, false); }
void cmdLpushx(CommandContext& c) { pushGeneric(c, End::kHead, true); }
void cmdRpushx(CommandContext& c) { pushGeneric(c, End::kTail, true); }

// ---- pops ---------------------------------------------------------------------------------

void popGeneric(CommandContext& c, End where) {
  if (c.argc() > 3) return c.reply.error(std::string("ERR wrong number of arguments for '") + (where == End::kHead ? "lpop" : "rpop") + "' command");
  bool hasCount = c.argc() == 3;
  int64_t count = 0;
  if (hasCount && !parseRangeOrReply(c, c.arg(2), 0, err::kPositiveCount, count)) return;
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupListOrReply(c, key, true, e)) return;
  if (!e) return hasCount ? c.reply.nullArray() : c.reply.nullBulk();
  ListObject* l = listOf(e);
  if (hasCount && count == 0) return c.reply.arrayHeader(0);
  if (!hasCount) {
    c.reply.bulk(l->peek(where));
    l->pop(where);
    elementsRemoved(c, e, key, where, 1);
    return;
  }
  size_t n = popRangeReplying(c, l, where, count);
  elementsRemoved(c, e, key, where, n);
}

void cmdLpop(CommandContext& c) { popGeneric(c, End::kHead); }
void cmdRpop(CommandContext& c) { popGeneric(c, End::kTail); }

// ---- reads --------------------------------------------------------------------------------

void cmdLlen(CommandContext& c) {
  KeyEntry* e;
  if (!lookupListOrReply(c, c.arg(1), false, e)) return;
  c.reply.integer(e ? static_cast<int64_t>(listOf(e)->size()) : 0);
}

void cmdLindex(CommandContext& c) {
  KeyEntry* e;
  if (!lookupListOrReply(c, c.arg(1), false, e)) return;
  if (!e) return c.reply.nullBulk();
  int64_t index;
  if (!parseInt64OrReply(c, c.arg(2), index)) return;
  auto v = listOf(e)->index(index);
  v ? c.reply.bulk(*v) : c.reply.nullBulk();
}

void cmdLrange(CommandContext& c) {
  int64_t start, end;
  if (!parseInt64OrReply(c, c.arg(2), start) || !parseInt64OrReply(c, c.arg(3), end)) return;
  KeyEntry* e;
  if (!lookupListOrReply(c, c.arg(1), false, e)) return;
  if (!e) return c.reply.arrayHeader(0);
  replyRange(c, listOf(e), start, end, false);
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
void cmdLpos(CommandContext& c) {
  std::string_view wanted = c.arg(2);
  int64_t rank = 1, count = -1, maxlen = 0;  // count -1: no COUNT option
  for (size_t j = 3; j < c.argc(); j++) {
    std::string_view opt = c.arg(j);
    bool more = j + 1 < c.argc();
    if (argIs(opt, "rank") && more) {
      if (!parseInt64OrReply(c, c.arg(++j), rank)) return;
      if (rank == 0)
        return c.reply.error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to "
            "start from the end of the list");
    } else if (argIs(opt, "count") && more) {
      if (!parseRangeOrReply(c, c.arg(++j), 0, "ERR COUNT can't be negative", count)) return;
    } else if (argIs(opt, "maxlen") && more) {
      if (!parseRangeOrReply(c, c.arg(++j), 0, "ERR MAXLEN can't be negative", maxlen)) return;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }
  bool fromTail = rank < 0;
  // Redis negates with wrap-around: RANK INT64_MIN stays negative and matches at once.
  if (fromTail) rank = static_cast<int64_t>(0 - static_cast<uint64_t>(rank));

  KeyEntry* e;
  if (!lookupListOrReply(c, c.arg(1), false, e)) return;
  if (!e) return count != -1 ? c.reply.arrayHeader(0) : c.reply.nullBulk();
  const ListObject* l = listOf(e);
  int64_t len = static_cast<int64_t>(l->size());
  if (count != -1) c.reply.beginDeferredArray();
  int64_t index = 0, matches = 0, found = -1, emitted = 0;
  for (ListPos p = fromTail ? l->last() : l->first(); p && (maxlen == 0 || index < maxlen);
       p = fromTail ? ListObject::prev(p) : ListObject::next(p), index++) {
    if (ListObject::at(p) != wanted) continue;
    matches++;
    if (matches < rank) continue;
    int64_t at = fromTail ? len - index - 1 : index;
    if (count == -1) {
      found = at;
      break;
    }
    c.reply.integer(at);
    emitted++;
    // Unsigned, so RANK INT64_MIN wraps as it does in Redis instead of being undefined.
    if (count && static_cast<int64_t>(static_cast<uint64_t>(matches) - static_cast<uint64_t>(rank) + 1) >= count) break;
  }
  if (count != -1) c.reply.endDeferredArray(static_cast<size_t>(emitted));
  else if (found != -1) c.reply.integer(found);
  else c.reply.nullBulk();
}

// ---- changes in the middle -------------------------------------------------------------------

void cmdLinsert(CommandContext& c) {
  bool after;
  if (argIs(c.arg(2), "after")) after = true;
  else if (argIs(c.arg(2), "before")) after = false;
  else return c.reply.error(err::kSyntax);
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupListOrReply(c, key, true, e)) return;
  if (!e) return c.reply.integer(0);
  if (!elementSizeOkOrReply(c, c.arg(4))) return;
  ListObject* l = listOf(e);
  ListPos p = l->first();
  while (p && ListObject::at(p) != c.arg(3)) p = ListObject::next(p);
  if (!p) return c.reply.integer(-1);
  l->insert(p, after, c.arg(4));
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyList, "linsert", *c.db, key);
  c.store.addDirty();
  c.reply.integer(static_cast<int64_t>(l->size()));
}

void cmdLset(CommandContext& c) {
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupListOrReply(c, key, true, e)) return;
  if (!e) return c.reply.error(err::kNoSuchKey);
  int64_t index;
  if (!parseInt64OrReply(c, c.arg(2), index)) return;
  if (!elementSizeOkOrReply(c, c.arg(3))) return;
  ListObject* l = listOf(e);
  int64_t len = static_cast<int64_t>(l->size());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return c.reply.error(err::kOutOfRange);
  l->replace(l->seek(static_cast<size_t>(index)), c.arg(3));
  c.reply.ok();
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyList, "lset", *c.db, key);
  c.store.addDirty();
}

void cmdLtrim(CommandContext& c) {
  int64_t start, end;
  if (!parseInt64OrReply(c, c.arg(2), start) || !parseInt64OrReply(c, c.arg(3), end)) return;
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupListOrReply(c, key, true, e)) return;
  if (!e) return c.reply.ok();
  ListObject* l = listOf(e);
  int64_t len = static_cast<int64_t>(l->size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  int64_t fromHead, fromTail;
  if (start > end || start >= len) {
    fromHead = len;
    fromTail = 0;
  } else {
    if (end >= len) end = len - 1;
    fromHead = start;
    fromTail = len - end - 1;
  }
  l->eraseRange(0, static_cast<size_t>(fromHead));
  l->eraseRange(l->size() - static_cast<size_t>(fromTail), static_cast<size_t>(fromTail));
  c.store.notify(kNotifyList, "ltrim", *c.db, key);
  deleteIfEmpty(c, e, key);
  c.store.signalModifiedKey(*c.db, key);
  c.store.addDirty(static_cast<uint64_t>(fromHead + fromTail));
  c.reply.ok();
}

void cmdLrem(CommandContext& c) {
  int64_t toRemove;
  if (!parseInt64OrReply(c, c.arg(2), toRemove)) return;
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupListOrReply(c, key, true, e)) return;
  if (!e) return c.reply.integer(0);
  ListObject* l = listOf(e);
  bool forward = toRemove >= 0;
  uint64_t limit = forward ? static_cast<uint64_t>(toRemove) : 0 - static_cast<uint64_t>(toRemove);
  uint64_t removed = 0;
  std::string_view wanted = c.arg(3);
  for (ListPos p = forward ? l->first() : l->last(); p;) {
    if (ListObject::at(p) == wanted) {
      p = l->erase(p, forward);
      removed++;
      if (limit && removed == limit) break;
    } else {
      p = forward ? ListObject::next(p) : ListObject::prev(p);
    }
  }
  if (removed) {
    c.store.signalModifiedKey(*c.db, key);
    c.store.notify(kNotifyList, "lrem", *c.db, key);
    c.store.addDirty(removed);
  }
  deleteIfEmpty(c, e, key);
  c.reply.integer(static_cast<int64_t>(removed));
}

// ---- moves --------------------------------------------------------------------------------

// LMOVE's body, also RPOPLPUSH's and the non-blocking path of BLMOVE/BRPOPLPUSH.
void lmoveGeneric(CommandContext& c, End from, End to) {
  std::string_view srcKey = c.arg(1), dstKey = c.arg(2);
  KeyEntry* src;
  if (!lookupListOrReply(c, srcKey, true, src)) return;
  if (!src) return c.reply.nullBulk();
  KeyEntry* dst;
  if (!lookupListOrReply(c, dstKey, true, dst)) return;
  // A copy: source and destination may be the same list.
  std::string value(listOf(src)->peek(from));
  listOf(src)->pop(from);
  bool created = !dst;  // a new key is signalled ready by addObject (createList)
  if (created) dst = createList(c, dstKey);
  c.store.signalModifiedKey(*c.db, dstKey);
  listOf(dst)->push(to, value);
  c.store.notify(kNotifyList, pushEvent(to), *c.db, dstKey);
  if (!created) c.store.signalKeyAsReady(*c.db, dstKey);
  c.reply.bulk(value);
  c.store.notify(kNotifyList, popEvent(from), *c.db, srcKey);
  deleteIfEmpty(c, src, srcKey);
  c.store.signalModifiedKey(*c.db, srcKey);
  c.store.addDirty();
}

void cmdLmove(CommandContext& c) {
  End from, to;
  if (!parseEndOrReply(c, c.arg(3), from) || !parseEndOrReply(c, c.arg(4), to)) return;
  lmoveGeneric(c, from, to);
}

void cmdRpoplpush(CommandContext& c) { lmoveGeneric(c, End::kTail, End::kHead); }

// ---- LMPOP --------------------------------------------------------------------------------

struct MpopArgs {
  size_t firstKey = 0;
  size_t numKeys = 0;
  End where = End::kHead;
  int64_t count = 1;
};

// numkeys key [key ...] LEFT|RIGHT [COUNT count], starting at argv[numkeysIdx].
bool parseMpopOrReply(CommandContext& c, size_t numkeysIdx, MpopArgs& out) {
  int64_t numKeys;
  if (!parseRangeOrReply(c, c.arg(numkeysIdx), 1, "ERR numkeys should be greater than 0", numKeys)) return false;
  if (static_cast<uint64_t>(numKeys) >= c.argc() - numkeysIdx - 1) {
    c.reply.error(err::kSyntax);
    return false;
  }
  size_t whereIdx = numkeysIdx + static_cast<size_t>(numKeys) + 1;
  if (!parseEndOrReply(c, c.arg(whereIdx), out.where)) return false;
  bool sawCount = false;
  for (size_t j = whereIdx + 1; j < c.argc(); j++) {
    if (!sawCount && argIs(c.arg(j), "count") && j + 1 < c.argc()) {
      sawCount = true;
      if (!parseRangeOrReply(c, c.arg(++j), 1, "ERR count should be greater than 0", out.count)) return false;
    } else {
      c.reply.error(err::kSyntax);
      return false;
    }
  }
  out.firstKey = numkeysIdx + 1;
  out.numKeys = static_cast<size_t>(numKeys);
  return true;
}

void cmdLmpop(CommandContext& c) {
  MpopArgs a;
  if (!parseMpopOrReply(c, 1, a)) return;
  for (size_t j = 0; j < a.numKeys; j++) {
    std::string_view key = c.arg(a.firstKey + j);
    KeyEntry* e;
    if (!lookupListOrReply(c, key, true, e)) return;
    if (!e) continue;
    return popRangeWithKey(c, e, key, a.where, a.count);
  }
  c.reply.nullArray();
}

// ---- blocking -----------------------------------------------------------------------------

// BLPOP, BRPOP and BLMPOP: pop from the first non-empty key, else block. `count` < 0 is
// the single-element form ([key, element]); otherwise BLMPOP's [key, [elements]].
void blockingPop(CommandContext& c, size_t firstKey, size_t numKeys, End where, size_t timeoutIdx, int64_t count) {
  int64_t timeout;
  if (!blockTimeoutOrReply(c, c.arg(timeoutIdx), TimeoutUnit::kSeconds, timeout)) return;
  for (size_t j = 0; j < numKeys; j++) {
    std::string_view key = c.arg(firstKey + j);
    KeyEntry* e;
    if (!lookupListOrReply(c, key, true, e)) return;
    if (!e) continue;
    if (count >= 0) return popRangeWithKey(c, e, key, where, count);
    ListObject* l = listOf(e);
    c.reply.arrayHeader(2);
    c.reply.bulk(key);
    c.reply.bulk(l->peek(where));
    l->pop(where);
    elementsRemoved(c, e, key, where, 1);
    return;
  }
  if (!blockIfAllowed(c)) c.reply.nullArray();
}

void cmdBlpop(CommandContext& c) { blockingPop(c, 1, c.argc() - 2, End::kHead, c.argc() - 1, -1); }
void cmdBrpop(CommandContext& c) { blockingPop(c, 1, c.argc() - 2, End::kTail, c.argc() - 1, -1); }

void cmdBlmpop(CommandContext& c) {
  MpopArgs a;
  if (!parseMpopOrReply(c, 2, a)) return;
  blockingPop(c, a.firstKey, a.numKeys, a.where, 1, a.count);
}

void blmoveGeneric(CommandContext& c, End from, End to) {
  KeyEntry* src;
  if (!lookupListOrReply(c, c.arg(1), true, src)) return;
  if (src) return lmoveGeneric(c, from, to);
  // Redis answers a null bulk here, where a timeout answers a null array.
  if (!blockIfAllowed(c)) c.reply.nullBulk();
}

void cmdBlmove(CommandContext& c) {
  End from, to;
  int64_t timeout;
  if (!parseEndOrReply(c, c.arg(3), from) || !parseEndOrReply(c, c.arg(4), to)) return;
  if (!blockTimeoutOrReply(c, c.arg(5), TimeoutUnit::kSeconds, timeout)) return;
  blmoveGeneric(c, from, to);
}

void cmdBrpoplpush(CommandContext& c) {
  int64_t timeout;
  if (!blockTimeoutOrReply(c, c.arg(3), TimeoutUnit::kSeconds, timeout)) return;
  blmoveGeneric(c, End::kTail, End::kHead);
}

}  // namespace

void registerListFamily(CommandRegistry& r) {
  r.add("lpush", cmdLpush);
  r.add("rpush", cmdRpush);
  r.add("lpushx", cmdLpushx);
  r.add("rpushx", cmdRpushx);
  r.add("lpop", cmdLpop);
  r.add("rpop", cmdRpop);
  r.add("llen", cmdLlen);
  r.add("lindex", cmdLindex);
  r.add("lrange", cmdLrange);
  r.add("lpos", cmdLpos);
  r.add("linsert", cmdLinsert);
  r.add("lset", cmdLset);
  r.add("ltrim", cmdLtrim);
  r.add("lrem", cmdLrem);
  r.add("lmove", cmdLmove);
  r.add("rpoplpush", cmdRpoplpush);
  r.add("lmpop", cmdLmpop);
  r.add("blpop", cmdBlpop);
  r.add("brpop", cmdBrpop);
  r.add("blmove", cmdBlmove);
  r.add("brpoplpush", cmdBrpoplpush);
  r.add("blmpop", cmdBlmpop);
}

}  // namespace gearsd::store
