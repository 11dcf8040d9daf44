// Set commands. The value type and its encodings are in t_set.h / t_set_object.cc; here
// each command parses, calls SetObject and replies. Every write ends as STYLE.md says
// (setWritten), and a set left empty is deleted with a "del" event.
//
// Results of SUNION/SDIFF/SINTERSTORE... are built as a fresh SetObject by adding members
// one by one, as Redis builds them, so a result of few integers is an intset and comes
// out in ascending order exactly as Redis sends it.
#include <algorithm>
#include <memory>
#include <vector>

#include "store/args.h"
#include "store/collection.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"
#include "store/random_pick.h"
#include "store/scan.h"
#include "store/t_set.h"

namespace gearsd::store {
namespace {

bool checkSetOrReply(CommandContext& c, KeyEntry* e, SetObject*& out) {
  return valueOfTypeOrReply(c, e, ValueType::Set, out);
}

bool lookupSetReadOrReply(CommandContext& c, std::string_view key, SetObject*& out) {
  return lookupReadOrReply(c, key, ValueType::Set, out);
}

bool lookupSetWriteOrReply(CommandContext& c, std::string_view key, SetObject*& out) {
  return lookupWriteOrReply(c, key, ValueType::Set, out);
}

void setWritten(CommandContext& c, std::string_view key, const char* event, uint64_t dirty = 1) {
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifySet, event, *c.db, key);
  c.store.addDirty(dirty);
}

// Deletes an emptied set's key and fires "del" (after the command's own event).
void deleteEmptied(CommandContext& c, std::string_view key) {
  c.store.deleteKey(*c.db, key);
  c.store.notify(kNotifyGeneric, "del", *c.db, key);
}

// asSet: Redis replies a set (RESP3 `~`) for SMEMBERS-like results, an array for SRANDMEMBER.
void replyMembers(CommandContext& c, const SetObject& s, bool asSet) {
  if (asSet)
    c.reply.setHeader(s.size());
  else
    c.reply.arrayHeader(s.size());
  s.forEach([&](std::string_view m) { c.reply.bulk(m); });
}

// ---- SADD / SREM / SMOVE ---------------------------------------------------------------------

void cmdSadd(CommandContext& c) {
  SetObject* s;
  if (!lookupSetWriteOrReply(c, c.arg(1), s)) return;
  if (!s) {
    s = new SetObject();
    c.store.addObject(*c.db, c.arg(1), ValueType::Set, s);
  }
  int64_t added = 0;
  for (size_t j = 2; j < c.argc(); j++) added += s->add(c.arg(j));
  if (added) setWritten(c, c.arg(1), "sadd", added);
  c.reply.integer(added);
}

void cmdSrem(CommandContext& c) {
  SetObject* s;
  if (!lookupSetWriteOrReply(c, c.arg(1), s)) return;
  if (!s) return c.reply.integer(0);
  removeArgsAndReply(
      c, kNotifySet, "srem", [&](std::string_view m) { return s->remove(m); }, [&] { return s->size(); });
}

void cmdSmove(CommandContext& c) {
  std::string_view srcKey = c.arg(1), dstKey = c.arg(2), member = c.arg(3);
  KeyEntry* srcEntry = c.store.lookupWrite(*c.db, srcKey, c.now);
  KeyEntry* dstEntry = c.store.lookupWrite(*c.db, dstKey, c.now);
  if (!srcEntry) return c.reply.integer(0);
  SetObject *src, *dst;
  if (!checkSetOrReply(c, srcEntry, src) || !checkSetOrReply(c, dstEntry, dst)) return;
  if (src == dst) return c.reply.integer(src->contains(member) ? 1 : 0);
  if (!src->remove(member)) return c.reply.integer(0);
  c.store.notify(kNotifySet, "srem", *c.db, srcKey);
  if (src->size() == 0) deleteEmptied(c, srcKey);
  if (!dst) {
    dst = new SetObject();
    c.store.addObject(*c.db, dstKey, ValueType::Set, dst);
  }
  c.store.signalModifiedKey(*c.db, srcKey);
  c.store.addDirty();
  if (dst->add(member)) setWritten(c, dstKey, "sadd");
  c.reply.integer(1);
}

// ---- membership and size -------------------------------------------------------------------------

void cmdSismember(CommandContext& c) {
  SetObject* s;
  if (!lookupSetReadOrReply(c, c.arg(1), s)) return;
  c.reply.integer(s && s->contains(c.arg(2)) ? 1 : 0);
}

void cmdSmismember(CommandContext& c) {
  SetObject* s;
  if (!lookupSetReadOrReply(c, c.arg(1), s)) return;
  c.reply.arrayHeader(c.argc() - 2);
  for (size_t j = 2; j < c.argc(); j++) c.reply.integer(s && s->contains(c.arg(j)) ? 1 : 0);
}

void cmdScard(CommandContext& c) {
  SetObject* s;
  if (!lookupSetReadOrReply(c, c.arg(1), s)) return;
  c.reply.integer(s ? static_cast<int64_t>(s->size()) : 0);
}

// ---- set algebra ----------------------------------------------------------------------------------

// Looks up every key as a set for reading (a missing key is null); false after replying
// WRONGTYPE, which any key of the wrong type causes even after a missing one.
bool lookupSetsOrReply(CommandContext& c, size_t first, size_t n, std::vector<SetObject*>& sets) {
  sets.assign(n, nullptr);
  for (size_t j = 0; j < n; j++)
    if (!lookupSetReadOrReply(c, c.arg(first + j), sets[j])) return false;
  return true;
}

// Stores a computed set at dst, replacing any value and TTL, or deletes dst when the
// result is empty; replies the result's size.
void storeResult(CommandContext& c, std::string_view dst, std::unique_ptr<SetObject> result, const char* event) {
  if (result->size() == 0) {
    c.reply.integer(0);
    if (c.store.deleteKey(*c.db, dst)) {
      c.store.addDirty();
      c.store.signalModifiedKey(*c.db, dst);
      c.store.notify(kNotifyGeneric, "del", *c.db, dst);
    }
    return;
  }
  int64_t size = static_cast<int64_t>(result->size());
  if (KeyEntry* e = c.store.lookupWrite(*c.db, dst, c.now)) {
    e->setObject(ValueType::Set, result.release());
    c.store.removeExpire(*c.db, e);
  } else {
    c.store.addObject(*c.db, dst, ValueType::Set, result.release());
  }
  c.store.signalModifiedKey(*c.db, dst);
  c.reply.integer(size);
  c.store.notify(kNotifySet, event, *c.db, dst);
  c.store.addDirty();
}

enum class InterMode { Reply, Cardinality, Store };

// SINTER, SMEMBERS, SINTERCARD, SINTERSTORE: walks the smallest set and keeps the members
// every other set has. `limit` (SINTERCARD) stops counting early; 0 is no limit.
void interGeneric(CommandContext& c, size_t first, size_t n, InterMode mode, std::string_view dst = {},
                  uint64_t limit = 0) {
  std::vector<SetObject*> sets;
  if (!lookupSetsOrReply(c, first, n, sets)) return;
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) {
    if (mode == InterMode::Store) storeResult(c, dst, std::make_unique<SetObject>(), "sinterstore");
    else if (mode == InterMode::Cardinality) c.reply.integer(0);
    else c.reply.setHeader(0);
    return;
  }
  std::stable_sort(sets.begin(), sets.end(), [](SetObject* a, SetObject* b) { return a->size() < b->size(); });
  auto inAll = [&](std::string_view m) {
    for (size_t j = 1; j < sets.size(); j++)
      if (sets[j] != sets[0] && !sets[j]->contains(m)) return false;
    return true;
  };
  if (mode == InterMode::Cardinality) {
    uint64_t count = 0;
    sets[0]->forEach([&](std::string_view m) {
      if ((limit && count >= limit) || !inAll(m)) return;
      count++;
    });
    return c.reply.integer(static_cast<int64_t>(count));
  }
  if (mode == InterMode::Store) {
    auto result = std::make_unique<SetObject>();
    sets[0]->forEach([&](std::string_view m) {
      if (inAll(m)) result->add(m);
    });
    return storeResult(c, dst, std::move(result), "sinterstore");
  }
  std::vector<std::string> members;
  sets[0]->forEach([&](std::string_view m) {
    if (inAll(m)) members.emplace_back(m);
  });
  c.reply.setHeader(members.size());
  for (const std::string& m : members) c.reply.bulk(m);
}

void cmdSmembers(CommandContext& c) { interGeneric(c, 1, 1, InterMode::Reply); }
void cmdSinter(CommandContext& c) { interGeneric(c, 1, c.argc() - 1, InterMode::Reply); }
void cmdSinterstore(CommandContext& c) { interGeneric(c, 2, c.argc() - 2, InterMode::Store, c.arg(1)); }

void cmdSintercard(CommandContext& c) {
  int64_t numkeys, limit = 0;
  if (!parseRangeOrReply(c, c.arg(1), 1, INT64_MAX, numkeys, "ERR numkeys should be greater than 0")) return;
  if (numkeys > static_cast<int64_t>(c.argc()) - 2)
    return c.reply.error("ERR Number of keys can't be greater than number of args");
  for (size_t j = 2 + numkeys; j < c.argc(); j++) {
    if (argIs(c.arg(j), "limit") && j + 1 < c.argc()) {
      if (!parsePositiveOrReply(c, c.arg(++j), limit, "ERR LIMIT can't be negative")) return;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }
  interGeneric(c, 2, numkeys, InterMode::Cardinality, {}, static_cast<uint64_t>(limit));
}

// The union, or the members of the first set that no other set has.
std::unique_ptr<SetObject> unionOrDiff(const std::vector<SetObject*>& sets, bool diff) {
  auto result = std::make_unique<SetObject>();
  if (!diff) {
    for (SetObject* s : sets)
      if (s) s->forEach([&](std::string_view m) { result->add(m); });
    return result;
  }
  if (!sets[0]) return result;
  for (size_t j = 1; j < sets.size(); j++)
    if (sets[j] == sets[0]) return result;  // minus itself: nothing is left
  sets[0]->forEach([&](std::string_view m) {
    for (size_t j = 1; j < sets.size(); j++)
      if (sets[j] && sets[j]->contains(m)) return;
    result->add(m);
  });
  return result;
}

// SUNION/SDIFF (keys from argv[1]) and their STORE forms (destination argv[1], keys after).
void unionDiffGeneric(CommandContext& c, bool diff, bool store) {
  size_t first = store ? 2 : 1;
  std::vector<SetObject*> sets;
  if (!lookupSetsOrReply(c, first, c.argc() - first, sets)) return;
  std::unique_ptr<SetObject> result = unionOrDiff(sets, diff);
  if (store) return storeResult(c, c.arg(1), std::move(result), diff ? "sdiffstore" : "sunionstore");
  replyMembers(c, *result, true);
}

void cmdSunion(CommandContext& c) { unionDiffGeneric(c, false, false); }
void cmdSdiff(CommandContext& c) { unionDiffGeneric(c, true, false); }
void cmdSunionstore(CommandContext& c) { unionDiffGeneric(c, false, true); }
void cmdSdiffstore(CommandContext& c) { unionDiffGeneric(c, true, true); }

// ---- random members: SPOP / SRANDMEMBER --------------------------------------------------------

// `count` distinct members chosen uniformly (count < size).
std::vector<std::string> distinctRandomMembers(CommandContext& c, const SetObject& s, size_t count) {
  std::vector<std::string> out;
  if (!s.isIntset() && drawBeatsListing(count, s.size())) {
    for (const SetNode* n : drawDistinct(s.table(), c.store.rng(), count)) out.emplace_back(n->member());
    return out;
  }
  out.reserve(s.size());
  s.forEach([&](std::string_view m) { out.emplace_back(m); });
  keepRandomPrefix(out, c.store.rng(), count);
  return out;
}

void spopWithCount(CommandContext& c) {
  int64_t l;
  if (!parsePositiveOrReply(c, c.arg(2), l)) return;
  SetObject* s;
  if (!lookupSetWriteOrReply(c, c.arg(1), s)) return;
  if (!s || l == 0) return c.reply.setHeader(0);
  std::string_view key = c.arg(1);
  uint64_t count = static_cast<uint64_t>(l);
  size_t size = s->size();
  // Redis fires "spop" before removing anything.
  c.store.notify(kNotifySet, "spop", *c.db, key);
  c.store.addDirty(std::min<uint64_t>(count, size));
  if (count >= size) {
    replyMembers(c, *unionOrDiff({s}, false), true);
    deleteEmptied(c, key);
    c.store.signalModifiedKey(*c.db, key);
    return;
  }
  c.reply.setHeader(count);
  size_t remaining = size - count;
  if (remaining * 5 > count) {
    // Few to take: pop them one by one.
    for (uint64_t i = 0; i < count; i++) {
      std::string m = s->randomMember(c.store.rng());
      c.reply.bulk(m);
      s->remove(m);
    }
  } else {
    // Most of the set goes: move the few that stay into a fresh set, reply the rest.
    auto kept = std::make_unique<SetObject>();
    for (size_t i = 0; i < remaining; i++) {
      std::string m = s->randomMember(c.store.rng());
      kept->add(m);
      s->remove(m);
    }
    s->forEach([&](std::string_view m) { c.reply.bulk(m); });
    c.store.peek(*c.db, key)->setObject(ValueType::Set, kept.release());
  }
  c.store.signalModifiedKey(*c.db, key);
}

void cmdSpop(CommandContext& c) {
  if (c.argc() == 3) return spopWithCount(c);
  if (c.argc() > 3) return c.reply.error(err::kSyntax);
  SetObject* s;
  if (!lookupSetWriteOrReply(c, c.arg(1), s)) return;
  if (!s) return c.reply.nullBulk();
  std::string_view key = c.arg(1);
  std::string m = s->randomMember(c.store.rng());
  s->remove(m);
  c.store.notify(kNotifySet, "spop", *c.db, key);
  c.reply.bulk(m);
  if (s->size() == 0) deleteEmptied(c, key);
  c.store.signalModifiedKey(*c.db, key);
  c.store.addDirty();
}

void srandmemberWithCount(CommandContext& c) {
  int64_t l;
  if (!parseRangeOrReply(c, c.arg(2), -INT64_MAX, INT64_MAX, l)) return;
  SetObject* s;
  if (!lookupSetReadOrReply(c, c.arg(1), s)) return;
  if (!s || l == 0) return c.reply.arrayHeader(0);
  uint64_t count = l < 0 ? static_cast<uint64_t>(-l) : static_cast<uint64_t>(l);
  size_t size = s->size();
  if (l < 0 || count == 1) {
    // Repeats allowed: every pick samples the whole set.
    c.reply.arrayHeader(count);
    if (s->isIntset()) {
      for (uint64_t i = 0; i < count; i++) c.reply.bulk(formatInt64(s->intAt(static_cast<uint32_t>(c.store.rng()() % size))));
    } else {
      for (uint64_t i = 0; i < count; i++) c.reply.bulk(s->table().fairRandom(c.store.rng())->member());
    }
    return;
  }
  if (count >= size) return replyMembers(c, *s, false);
  std::vector<std::string> picked = distinctRandomMembers(c, *s, count);
  c.reply.arrayHeader(picked.size());
  for (const std::string& m : picked) c.reply.bulk(m);
}

void cmdSrandmember(CommandContext& c) {
  if (c.argc() == 3) return srandmemberWithCount(c);
  if (c.argc() > 3) return c.reply.error(err::kSyntax);
  SetObject* s;
  if (!lookupSetReadOrReply(c, c.arg(1), s)) return;
  if (!s) return c.reply.nullBulk();
  c.reply.bulk(s->randomMember(c.store.rng()));
}

// ---- SSCAN -----------------------------------------------------------------------------------------

void cmdSscan(CommandContext& c) {
  uint64_t cursor;
  if (!parseScanCursorOrReply(c, c.arg(2), cursor)) return;
  SetObject* s;
  if (!lookupSetReadOrReply(c, c.arg(1), s)) return;
  if (!s) return replyScan(c.reply, 0, {});
  ScanArgs args;
  if (!parseScanOptionsOrReply(c, 3, false, args)) return;
  if (s->isIntset()) {
    // An intset answers whole, with cursor 0, as in Redis.
    std::vector<std::string> members;
    s->forEach([&](std::string_view m) {
      if (args.matches(m)) members.emplace_back(m);
    });
    return replyScan(c.reply, 0, std::vector<std::string_view>(members.begin(), members.end()));
  }
  std::vector<std::string_view> items;
  cursor = scanDict(s->table(), cursor, args.count, 1, [&](const SetNode* n) {
    if (args.matches(n->member())) items.push_back(n->member());
  });
  replyScan(c.reply, cursor, items);
}

}  // namespace

void registerSetFamily(CommandRegistry& r) {
  r.add("sadd", cmdSadd);
  r.add("srem", cmdSrem);
  r.add("smove", cmdSmove);
  r.add("smembers", cmdSmembers);
  r.add("sismember", cmdSismember);
  r.add("smismember", cmdSmismember);
  r.add("scard", cmdScard);
  r.add("spop", cmdSpop);
  r.add("srandmember", cmdSrandmember);
  r.add("sinter", cmdSinter);
  r.add("sintercard", cmdSintercard);
  r.add("sinterstore", cmdSinterstore);
  r.add("sunion", cmdSunion);
  r.add("sunionstore", cmdSunionstore);
  r.add("sdiff", cmdSdiff);
  r.add("sdiffstore", cmdSdiffstore);
  r.add("sscan", cmdSscan);
}

}  // namespace gearsd::store
