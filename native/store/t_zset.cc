// Sorted-set commands. Each handler parses its arguments in Redis 7.0's order (so the
// same bad input gets the same error), then works on a ZSetObject (t_zset.h) and replies.
// Ranges are parsed in zset_range.*, the set algebra lives in zset_setops.*.
//
// Blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) answer like their non-blocking forms when
// a key has members. Otherwise they set ctx.wouldBlock and reply nothing, and TS keeps the
// client until one of its keys is signalled ready, then runs the command again; a caller
// that may not block (MULTI, Python's execute()) gets the null reply at once.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <vector>

#include "store/args.h"
#include "store/blocking.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/glob.h"
#include "store/numbers.h"
#include "store/t_zset.h"
#include "store/zset_setops.h"

namespace gearsd::store {
namespace {

constexpr const char* kRangeNotFloat = "ERR min or max is not a float";
constexpr const char* kRangeNotLex = "ERR min or max not valid string range item";
constexpr const char* kNanScore = "ERR resulting score is not a number (NaN)";

// ---- lookups and argument parsing ------------------------------------------------------------

// Looks up a sorted set. Replies WRONGTYPE and returns false when the key holds another
// type; `z` is null when the key does not exist.
bool zsetOrReply(CommandContext& c, KeyEntry* e, ZSetObject*& z) {
  z = nullptr;
  if (!e) return true;
  if (e->type != ValueType::ZSet) {
    c.reply.error(err::kWrongType);
    return false;
  }
  z = e->as<ZSetObject>();
  return true;
}

bool readZsetOrReply(CommandContext& c, std::string_view key, ZSetObject*& z) {
  return zsetOrReply(c, c.store.lookupRead(*c.db, key, c.now), z);
}

bool writeZsetOrReply(CommandContext& c, std::string_view key, ZSetObject*& z) {
  return zsetOrReply(c, c.store.lookupWrite(*c.db, key, c.now), z);
}

// Redis's getRangeLongFromObjectOrReply: with `msg`, one text for both failures.
bool int64InRangeOrReply(CommandContext& c, std::string_view arg, int64_t min, int64_t max, int64_t& v,
                         const char* msg = nullptr) {
  bool isInt = parseInt64(arg, v);
  if (isInt && v >= min && v <= max) return true;
  if (msg) c.reply.error(msg);
  else if (!isInt) c.reply.error(err::kNotInteger);
  else c.reply.error("ERR value is out of range, value must between " + formatInt64(min) + " and " + formatInt64(max));
  return false;
}

bool scoreRangeOrReply(CommandContext& c, std::string_view min, std::string_view max, ScoreRange& r) {
  if (parseScoreRange(min, max, r)) return true;
  c.reply.error(kRangeNotFloat);
  return false;
}

bool lexRangeOrReply(CommandContext& c, std::string_view min, std::string_view max, LexRange& r) {
  if (parseLexRange(min, max, r)) return true;
  c.reply.error(kRangeNotLex);
  return false;
}

// Clamps Redis-style (negative counts from the end) rank indexes; false when empty.
bool clampRanks(int64_t& start, int64_t& end, int64_t len) {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return false;
  if (end >= len) end = len - 1;
  return true;
}

// ---- the ends of writes ----------------------------------------------------------------------

void zsetChanged(CommandContext& c, std::string_view key, const char* event, uint64_t dirty) {
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyZset, event, *c.db, key);
  c.store.addDirty(dirty);
}

// After members were removed: an emptied set is deleted and fires "del" as well.
void zsetShrunk(CommandContext& c, std::string_view key, const ZSetObject* z, const char* event, uint64_t dirty) {
  bool emptied = z->size() == 0;
  if (emptied) c.store.deleteKey(*c.db, key);
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyZset, event, *c.db, key);
  if (emptied) c.store.notify(kNotifyGeneric, "del", *c.db, key);
  c.store.addDirty(dirty);
}

// The end of every STORE form: a non-empty result replaces dst (value and TTL, as Redis's
// setKey) and fires `event`; an empty one deletes dst. Replies the result's size.
void storeResult(CommandContext& c, std::string_view dst, std::vector<ZEntry>& entries, const char* event) {
  if (entries.empty()) {
    c.reply.integer(0);
    if (c.store.deleteKey(*c.db, dst)) {
      c.store.signalModifiedKey(*c.db, dst);
      c.store.notify(kNotifyGeneric, "del", *c.db, dst);
      c.store.addDirty();
    }
    return;
  }
  ZSetObject* z = ZSetObject::fromEntries(entries);
  KeyEntry* e = c.store.lookupWrite(*c.db, dst, c.now);
  if (e) {
    e->setObject(ValueType::ZSet, z);
    c.store.removeExpire(*c.db, e);
    c.store.signalKeyAsReady(*c.db, dst);
  } else {
    c.store.addObject(*c.db, dst, ValueType::ZSet, z);  // signals the new key ready
  }
  zsetChanged(c, dst, event, 1);
  c.reply.integer(static_cast<int64_t>(z->size()));
}

// ---- ZADD / ZINCRBY ----------------------------------------------------------------------

void zaddGeneric(CommandContext& c, int flags) {
  size_t scoreIdx = 2;
  bool ch = false;
  for (; scoreIdx < c.argc(); scoreIdx++) {
    std::string_view o = c.arg(scoreIdx);
    if (argIs(o, "nx")) flags |= ZSetObject::kNx;
    else if (argIs(o, "xx")) flags |= ZSetObject::kXx;
    else if (argIs(o, "ch")) ch = true;
    else if (argIs(o, "incr")) flags |= ZSetObject::kIncr;
    else if (argIs(o, "gt")) flags |= ZSetObject::kGt;
    else if (argIs(o, "lt")) flags |= ZSetObject::kLt;
    else break;
  }
  bool incr = flags & ZSetObject::kIncr, nx = flags & ZSetObject::kNx, xx = flags & ZSetObject::kXx;
  bool gt = flags & ZSetObject::kGt, lt = flags & ZSetObject::kLt;

  size_t elements = c.argc() - scoreIdx;
  if (elements == 0 || elements % 2) return c.reply.error(err::kSyntax);
  elements /= 2;
  if (nx && xx) return c.reply.error("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt))
    return c.reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
  if (incr && elements > 1) return c.reply.error("ERR INCR option supports a single increment-element pair");

  // Every score is checked before anything changes: the command does all or nothing.
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; j++)
    if (!parseDouble(c.arg(scoreIdx + 2 * j), scores[j])) return c.reply.error(err::kNotFloat);

  std::string_view key = c.arg(1);
  ZSetObject* z;
  if (!writeZsetOrReply(c, key, z)) return;
  int64_t added = 0, updated = 0, processed = 0;
  double score = 0;
  if (!z && !xx) {
    z = ZSetObject::createFor(c.arg(scoreIdx + 1).size());
    c.store.addObject(*c.db, key, ValueType::ZSet, z);
  }
  bool failed = false;
  for (size_t j = 0; z && j < elements; j++) {
    double newScore = 0;
    int out = z->add(c.arg(scoreIdx + 1 + 2 * j), scores[j], flags, &newScore);
    if (out & ZSetObject::kOutNan) {
      c.reply.error(kNanScore);
      failed = true;
      break;
    }
    if (out & ZSetObject::kOutAdded) added++;
    if (out & ZSetObject::kOutUpdated) updated++;
    if (!(out & ZSetObject::kOutNop)) processed++;
    score = newScore;
  }
  if (!failed) {
    if (!incr) c.reply.integer(ch ? added + updated : added);
    else if (processed) c.reply.doubleValue(score);
    else c.reply.nullBulk();
  }
  if (added || updated) {
    zsetChanged(c, key, incr ? "zincr" : "zadd", added + updated);
    if (added) c.store.signalKeyAsReady(*c.db, key);
  }
}

void cmdZadd(CommandContext& c) { zaddGeneric(c, 0); }
void cmdZincrby(CommandContext& c) { zaddGeneric(c, ZSetObject::kIncr); }

// ---- removal -----------------------------------------------------------------------------

void cmdZrem(CommandContext& c) {
  ZSetObject* z;
  if (!writeZsetOrReply(c, c.arg(1), z)) return;
  if (!z) return c.reply.integer(0);
  int64_t deleted = 0;
  for (size_t j = 2; j < c.argc() && z->size(); j++)
    if (z->remove(c.arg(j))) deleted++;
  if (deleted) zsetShrunk(c, c.arg(1), z, "zrem", deleted);
  c.reply.integer(deleted);
}

enum class RangeKind { Auto, Rank, Score, Lex };

void zremrangeGeneric(CommandContext& c, RangeKind kind) {
  int64_t start = 0, end = 0;
  ScoreRange score;
  LexRange lex;
  const char* event;
  if (kind == RangeKind::Rank) {
    event = "zremrangebyrank";
    if (!parseInt64OrReply(c, c.arg(2), start) || !parseInt64OrReply(c, c.arg(3), end)) return;
  } else if (kind == RangeKind::Score) {
    event = "zremrangebyscore";
    if (!scoreRangeOrReply(c, c.arg(2), c.arg(3), score)) return;
  } else {
    event = "zremrangebylex";
    if (!lexRangeOrReply(c, c.arg(2), c.arg(3), lex)) return;
  }
  ZSetObject* z;
  if (!writeZsetOrReply(c, c.arg(1), z)) return;
  if (!z) return c.reply.integer(0);
  size_t deleted;
  if (kind == RangeKind::Rank) {
    if (!clampRanks(start, end, static_cast<int64_t>(z->size()))) return c.reply.integer(0);
    deleted = z->removeRankRange(start, end);
  } else if (kind == RangeKind::Score) {
    deleted = z->removeRange(score);
  } else {
    deleted = z->removeRange(lex);
  }
  if (deleted) zsetShrunk(c, c.arg(1), z, event, deleted);
  c.reply.integer(static_cast<int64_t>(deleted));
}

void cmdZremrangebyrank(CommandContext& c) { zremrangeGeneric(c, RangeKind::Rank); }
void cmdZremrangebyscore(CommandContext& c) { zremrangeGeneric(c, RangeKind::Score); }
void cmdZremrangebylex(CommandContext& c) { zremrangeGeneric(c, RangeKind::Lex); }

// ---- single-member reads ---------------------------------------------------------------------

void cmdZcard(CommandContext& c) {
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  c.reply.integer(z ? static_cast<int64_t>(z->size()) : 0);
}

void cmdZscore(CommandContext& c) {
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  auto s = z ? z->score(c.arg(2)) : std::nullopt;
  s ? c.reply.doubleValue(*s) : c.reply.nullBulk();
}

void cmdZmscore(CommandContext& c) {
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  c.reply.arrayHeader(c.argc() - 2);
  for (size_t j = 2; j < c.argc(); j++) {
    auto s = z ? z->score(c.arg(j)) : std::nullopt;
    s ? c.reply.doubleValue(*s) : c.reply.nullBulk();
  }
}

void zrankGeneric(CommandContext& c, bool reverse) {
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  auto r = z ? z->rank(c.arg(2)) : std::nullopt;
  if (!r) return c.reply.nullBulk();
  c.reply.integer(static_cast<int64_t>(reverse ? z->size() - 1 - *r : *r));
}

void cmdZrank(CommandContext& c) { zrankGeneric(c, false); }
void cmdZrevrank(CommandContext& c) { zrankGeneric(c, true); }

// ZCOUNT and ZLEXCOUNT: the range is checked before the key, as in Redis.
template <class Range>
void countGeneric(CommandContext& c, bool (*rangeOrReply)(CommandContext&, std::string_view, std::string_view, Range&)) {
  Range r;
  if (!rangeOrReply(c, c.arg(2), c.arg(3), r)) return;
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  c.reply.integer(z ? static_cast<int64_t>(z->countInRange(r)) : 0);
}

void cmdZcount(CommandContext& c) { countGeneric(c, scoreRangeOrReply); }
void cmdZlexcount(CommandContext& c) { countGeneric(c, lexRangeOrReply); }

// ---- ranges ----------------------------------------------------------------------------------

// Where a range goes: to the client (members, with scores or not) or, for ZRANGESTORE,
// into a list of entries.
class RangeSink {
 public:
  RangeSink(ReplyBuilder* reply, bool withScores, std::vector<ZEntry>* store)
      : reply_(reply), withScores_(withScores), store_(store) {}

  // `length` < 0: not known in advance.
  void begin(int64_t length) {
    if (store_) return;
    deferred_ = length < 0;
    if (deferred_) reply_->beginDeferredArray();
    else reply_->pairListHeader(length, withScores_);
  }
  void emit(const ZCursor& c) {
    count_++;
    if (store_) return store_->push_back({c.member(), c.score()});
    reply_->pairStart(withScores_);
    reply_->bulk(c.member());
    if (withScores_) reply_->doubleValue(c.score());
  }
  void end() {
    if (deferred_) reply_->endDeferredArray(withScores_ && !reply_->resp3() ? 2 * count_ : count_);
  }

 private:
  ReplyBuilder* reply_;
  bool withScores_;
  std::vector<ZEntry>* store_;
  bool deferred_ = false;
  size_t count_ = 0;
};

void rangeByRank(const ZSetObject* z, int64_t start, int64_t end, bool reverse, RangeSink& out) {
  int64_t len = static_cast<int64_t>(z->size());
  if (!clampRanks(start, end, len)) {
    out.begin(0);
    return out.end();
  }
  int64_t n = end - start + 1;
  out.begin(n);
  ZCursor cur = z->atRank(reverse ? len - 1 - start : start);
  for (; n > 0 && cur.valid(); n--, cur.step(reverse)) out.emit(cur);
  out.end();
}

// BYSCORE and BYLEX: from the first member inside the range (the last with REV), skip
// `offset`, then emit up to `limit` (negative: all) while still inside.
template <class Range, class Key>
void rangeByValue(const ZSetObject* z, const Range& r, Key key, int64_t offset, int64_t limit, bool reverse,
                  RangeSink& out) {
  out.begin(-1);
  // A negative offset walks past the end in Redis: nothing is returned.
  if (offset < 0 || (offset > 0 && offset >= static_cast<int64_t>(z->size()))) return out.end();
  ZCursor cur = reverse ? z->lastInRange(r) : z->firstInRange(r);
  while (cur.valid() && offset-- > 0) cur.step(reverse);
  for (; cur.valid() && limit != 0; cur.step(reverse)) {
    if (reverse ? !r.gteMin(key(cur)) : !r.lteMax(key(cur))) break;
    out.emit(cur);
    if (limit > 0) limit--;
  }
  out.end();
}

enum class Direction { Auto, Forward, Reverse };

// ZRANGE and ZRANGESTORE, and the older forms they subsume (ZREVRANGE, ZRANGEBYSCORE...).
// argv[src] is the source key, followed by min, max and the options.
void rangeGeneric(CommandContext& c, size_t src, bool store, RangeKind kind, Direction dir) {
  bool withScores = false;
  int64_t offset = 0, limit = -1;
  bool hasLimit = false;
  for (size_t j = src + 3; j < c.argc(); j++) {
    size_t left = c.argc() - j - 1;
    std::string_view a = c.arg(j);
    if (!store && argIs(a, "withscores")) {
      withScores = true;
    } else if (argIs(a, "limit") && left >= 2) {
      if (!parseInt64OrReply(c, c.arg(j + 1), offset) || !parseInt64OrReply(c, c.arg(j + 2), limit)) return;
      hasLimit = limit != -1;
      j += 2;
    } else if (dir == Direction::Auto && argIs(a, "rev")) {
      dir = Direction::Reverse;
    } else if (kind == RangeKind::Auto && argIs(a, "bylex")) {
      kind = RangeKind::Lex;
    } else if (kind == RangeKind::Auto && argIs(a, "byscore")) {
      kind = RangeKind::Score;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }
  bool reverse = dir == Direction::Reverse;
  if (kind == RangeKind::Auto) kind = RangeKind::Rank;
  // Redis tells a LIMIT apart by its count: "LIMIT 0 -1" passes with a rank range.
  if (hasLimit && kind == RangeKind::Rank)
    return c.reply.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  if (withScores && kind == RangeKind::Lex)
    return c.reply.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");

  // Score and lex ranges are written max first when reversed.
  std::string_view minArg = c.arg(src + 1), maxArg = c.arg(src + 2);
  if (reverse && kind != RangeKind::Rank) std::swap(minArg, maxArg);
  int64_t start = 0, end = 0;
  ScoreRange score;
  LexRange lex;
  if (kind == RangeKind::Rank) {
    if (!parseInt64OrReply(c, minArg, start) || !parseInt64OrReply(c, maxArg, end)) return;
  } else if (kind == RangeKind::Score) {
    if (!scoreRangeOrReply(c, minArg, maxArg, score)) return;
  } else if (!lexRangeOrReply(c, minArg, maxArg, lex)) {
    return;
  }

  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(src), z)) return;
  std::vector<ZEntry> stored;
  RangeSink out(&c.reply, withScores, store ? &stored : nullptr);
  if (z) {
    if (kind == RangeKind::Rank) rangeByRank(z, start, end, reverse, out);
    else if (kind == RangeKind::Score) rangeByValue(z, score, [](const ZCursor& x) { return x.score(); }, offset, limit, reverse, out);
    else rangeByValue(z, lex, [](const ZCursor& x) { return x.member(); }, offset, limit, reverse, out);
  } else if (!store) {
    c.reply.arrayHeader(0);
  }
  if (store) storeResult(c, c.arg(1), stored, "zrangestore");
}

void cmdZrange(CommandContext& c) { rangeGeneric(c, 1, false, RangeKind::Auto, Direction::Auto); }
void cmdZrangestore(CommandContext& c) { rangeGeneric(c, 2, true, RangeKind::Auto, Direction::Auto); }
void cmdZrevrange(CommandContext& c) { rangeGeneric(c, 1, false, RangeKind::Rank, Direction::Reverse); }
void cmdZrangebyscore(CommandContext& c) { rangeGeneric(c, 1, false, RangeKind::Score, Direction::Forward); }
void cmdZrevrangebyscore(CommandContext& c) { rangeGeneric(c, 1, false, RangeKind::Score, Direction::Reverse); }
void cmdZrangebylex(CommandContext& c) { rangeGeneric(c, 1, false, RangeKind::Lex, Direction::Forward); }
void cmdZrevrangebylex(CommandContext& c) { rangeGeneric(c, 1, false, RangeKind::Lex, Direction::Reverse); }

// ---- pops ------------------------------------------------------------------------------------

enum class PopReply {
  Flat,       // ZPOPMIN/ZPOPMAX: member, score, member, score... (RESP3 with a count: pairs)
  KeyFlat,    // BZPOPMIN/BZPOPMAX: key, member, score
  KeyNested,  // ZMPOP/BZMPOP: key, [[member, score]...]; null when nothing
};

// Pops from the first of `keys` that exists (a WRONGTYPE there is an error, later keys are
// not looked at). `count` < 0: one member, the plain form. Returns false when no key had
// members (and replied the empty answer).
bool popGeneric(CommandContext& c, size_t firstKey, size_t numKeys, bool max, int64_t count, PopReply shape) {
  std::string_view key;
  ZSetObject* z = nullptr;
  for (size_t j = firstKey; j < firstKey + numKeys && !z; j++) {
    key = c.arg(j);
    if (!writeZsetOrReply(c, key, z)) return true;
  }
  if (!z) {
    shape == PopReply::KeyNested ? c.reply.nullArray() : c.reply.arrayHeader(0);
    return false;
  }
  if (count == 0) {
    c.reply.arrayHeader(0);
    return true;
  }
  // Redis's use_nested_array: ZPOPMIN with a count answers [member, score] pairs in RESP3.
  bool nested = shape == PopReply::KeyNested || (shape == PopReply::Flat && count >= 0 && c.reply.resp3());
  if (count < 0) count = 1;
  int64_t n = std::min<int64_t>(count, static_cast<int64_t>(z->size()));
  if (shape == PopReply::Flat) {
    c.reply.arrayHeader(nested ? n : n * 2);
  } else if (shape == PopReply::KeyFlat) {
    c.reply.arrayHeader(n * 2 + 1);
    c.reply.bulk(key);
  } else {
    c.reply.arrayHeader(2);
    c.reply.bulk(key);
    c.reply.arrayHeader(n);
  }
  std::string member;
  double score;
  for (int64_t i = 0; i < n; i++) {
    z->pop(max, member, score);
    if (nested) c.reply.arrayHeader(2);
    c.reply.bulk(member);
    c.reply.doubleValue(score);
  }
  zsetShrunk(c, key, z, max ? "zpopmax" : "zpopmin", n);
  return true;
}

void zpopMinMax(CommandContext& c, bool max) {
  if (c.argc() > 3) return c.reply.error(err::kSyntax);
  int64_t count = -1;
  if (c.argc() == 3 && !int64InRangeOrReply(c, c.arg(2), 0, INT64_MAX, count, err::kPositiveCount)) return;
  popGeneric(c, 1, 1, max, count, PopReply::Flat);
}

void cmdZpopmin(CommandContext& c) { zpopMinMax(c, false); }
void cmdZpopmax(CommandContext& c) { zpopMinMax(c, true); }

// A blocking pop that found nothing: park the client, or answer nil where it may not block.
void blockOrNull(CommandContext& c) {
  if (!blockIfAllowed(c)) c.reply.nullArray();
}

void bzpopGeneric(CommandContext& c, bool max) {
  int64_t timeoutMs;
  if (!blockTimeoutOrReply(c, c.arg(c.argc() - 1), TimeoutUnit::kSeconds, timeoutMs)) return;
  // Only keys holding members count; popGeneric stops at the first existing key, which
  // is always non-empty because emptied sets are deleted.
  ZSetObject* z = nullptr;
  for (size_t j = 1; j + 1 < c.argc() && !z; j++)
    if (!writeZsetOrReply(c, c.arg(j), z)) return;
  if (!z) return blockOrNull(c);
  popGeneric(c, 1, c.argc() - 2, max, -1, PopReply::KeyFlat);
}

void cmdBzpopmin(CommandContext& c) { bzpopGeneric(c, false); }
void cmdBzpopmax(CommandContext& c) { bzpopGeneric(c, true); }

// ZMPOP numkeys key... MIN|MAX [COUNT n] and BZMPOP timeout numkeys key... MIN|MAX [COUNT n].
void zmpopGeneric(CommandContext& c, size_t numkeysIdx, bool blocking) {
  int64_t numKeys;
  if (!int64InRangeOrReply(c, c.arg(numkeysIdx), 1, INT64_MAX, numKeys, "ERR numkeys should be greater than 0")) return;
  if (numKeys >= static_cast<int64_t>(c.argc() - numkeysIdx - 1)) return c.reply.error(err::kSyntax);
  size_t whereIdx = numkeysIdx + numKeys + 1;
  bool max;
  if (argIs(c.arg(whereIdx), "min")) max = false;
  else if (argIs(c.arg(whereIdx), "max")) max = true;
  else return c.reply.error(err::kSyntax);
  int64_t count = -1;
  for (size_t j = whereIdx + 1; j < c.argc(); j++) {
    if (count == -1 && argIs(c.arg(j), "count") && j + 1 < c.argc()) {
      if (!int64InRangeOrReply(c, c.arg(++j), 1, INT64_MAX, count, "ERR count should be greater than 0")) return;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }
  if (count == -1) count = 1;
  if (blocking) {
    int64_t timeoutMs;
    if (!blockTimeoutOrReply(c, c.arg(1), TimeoutUnit::kSeconds, timeoutMs)) return;
    ZSetObject* z = nullptr;
    for (size_t j = numkeysIdx + 1; j < whereIdx && !z; j++)
      if (!writeZsetOrReply(c, c.arg(j), z)) return;
    if (!z) return blockOrNull(c);
  }
  popGeneric(c, numkeysIdx + 1, numKeys, max, count, PopReply::KeyNested);
}

void cmdZmpop(CommandContext& c) { zmpopGeneric(c, 1, false); }
void cmdBzmpop(CommandContext& c) { zmpopGeneric(c, 2, true); }

// ---- union, intersection, difference --------------------------------------------------------


enum class SetOp { Union, Inter, Diff };

// ZUNION, ZINTER, ZDIFF, their STORE forms (`store`: argv[1] is the destination) and
// ZINTERCARD (`cardOnly`). `name` is the command's name for the numkeys error.
void setOpGeneric(CommandContext& c, const char* name, SetOp op, bool store, bool cardOnly) {
  size_t numkeysIdx = store ? 2 : 1;
  int64_t numKeys;
  if (!parseInt64OrReply(c, c.arg(numkeysIdx), numKeys)) return;
  if (numKeys < 1) return c.reply.error(std::string("ERR at least 1 input key is needed for '") + name + "' command");
  if (numKeys > static_cast<int64_t>(c.argc() - numkeysIdx - 1)) return c.reply.error(err::kSyntax);

  // Keys first, options after: a WRONGTYPE wins over a bad option, as in Redis.
  std::vector<SetOpInput> inputs(numKeys);
  size_t j = numkeysIdx + 1;
  for (SetOpInput& in : inputs) {
    KeyEntry* e = c.store.lookupRead(*c.db, c.arg(j++), c.now);
    if (e && !in.assign(e)) return c.reply.error(err::kWrongType);
  }

  Aggregate agg = Aggregate::Sum;
  bool withScores = false;
  int64_t limit = 0;
  bool weighable = op != SetOp::Diff && !cardOnly;
  while (j < c.argc()) {
    size_t remaining = c.argc() - j;
    std::string_view a = c.arg(j);
    if (weighable && remaining > static_cast<size_t>(numKeys) && argIs(a, "weights")) {
      j++;
      for (SetOpInput& in : inputs)
        if (!parseDouble(c.arg(j++), in.weight)) return c.reply.error("ERR weight value is not a float");
    } else if (weighable && remaining >= 2 && argIs(a, "aggregate")) {
      std::string_view v = c.arg(j + 1);
      if (argIs(v, "sum")) agg = Aggregate::Sum;
      else if (argIs(v, "min")) agg = Aggregate::Min;
      else if (argIs(v, "max")) agg = Aggregate::Max;
      else return c.reply.error(err::kSyntax);
      j += 2;
    } else if (!store && !cardOnly && argIs(a, "withscores")) {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && argIs(a, "limit")) {
      if (!int64InRangeOrReply(c, c.arg(j + 1), 0, INT64_MAX, limit, "ERR LIMIT can't be negative")) return;
      j += 2;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }

  if (cardOnly) return c.reply.integer(static_cast<int64_t>(zsetInterCard(std::move(inputs), limit)));
  SetOpResult r = op == SetOp::Union   ? zsetUnion(std::move(inputs), agg)
                  : op == SetOp::Inter ? zsetInter(std::move(inputs), agg)
                                       : zsetDiff(inputs);
  if (store) {
    const char* event = op == SetOp::Union ? "zunionstore" : op == SetOp::Inter ? "zinterstore" : "zdiffstore";
    return storeResult(c, c.arg(1), r.entries, event);
  }
  sortInRankOrder(r.entries);
  c.reply.pairListHeader(r.entries.size(), withScores);
  for (const ZEntry& e : r.entries) {
    c.reply.pairStart(withScores);
    c.reply.bulk(e.member);
    if (withScores) c.reply.doubleValue(e.score);
  }
}

void cmdZunion(CommandContext& c) { setOpGeneric(c, "zunion", SetOp::Union, false, false); }
void cmdZinter(CommandContext& c) { setOpGeneric(c, "zinter", SetOp::Inter, false, false); }
void cmdZdiff(CommandContext& c) { setOpGeneric(c, "zdiff", SetOp::Diff, false, false); }
void cmdZunionstore(CommandContext& c) { setOpGeneric(c, "zunionstore", SetOp::Union, true, false); }
void cmdZinterstore(CommandContext& c) { setOpGeneric(c, "zinterstore", SetOp::Inter, true, false); }
void cmdZdiffstore(CommandContext& c) { setOpGeneric(c, "zdiffstore", SetOp::Diff, true, false); }
void cmdZintercard(CommandContext& c) { setOpGeneric(c, "zintercard", SetOp::Inter, false, true); }

// ---- ZRANDMEMBER -----------------------------------------------------------------------------

// Redis's four cases: a negative count samples with repetition; a count covering the set
// returns it all (highest score first); a count close to the size removes random members from a
// full copy; a small count picks distinct random members.
void zrandmemberWithCount(CommandContext& c, int64_t l, bool withScores) {
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  if (!z) return c.reply.arrayHeader(0);
  uint64_t count = l >= 0 ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-(l + 1)) + 1;
  if (count == 0) return c.reply.arrayHeader(0);
  auto& rng = c.store.rng();
  size_t size = z->size();
  auto emit = [&](const ZCursor& cur) {
    c.reply.pairStart(withScores);
    c.reply.bulk(cur.member());
    if (withScores) c.reply.doubleValue(cur.score());
  };
  // A packed set is walked once into positions, so each random pick costs O(1).
  auto positions = [&] {
    std::vector<ZCursor> all;
    all.reserve(size);
    for (ZCursor cur = z->first(); cur.valid(); cur.next()) all.push_back(cur);
    return all;
  };

  if (l < 0 || count == 1) {
    c.reply.pairListHeader(count, withScores);
    if (z->isPacked()) {
      std::vector<ZCursor> all = positions();
      while (count--) emit(all[rng() % size]);
    } else {
      while (count--) emit(z->randomMember(rng));
    }
    return;
  }
  if (count >= size) {
    // Redis walks a sorted set from its highest score down here (zuiNext's order).
    c.reply.pairListHeader(size, withScores);
    for (ZCursor cur = z->last(); cur.valid(); cur.prev()) emit(cur);
    return;
  }
  c.reply.pairListHeader(count, withScores);
  if (count * 3 > size || z->isPacked()) {
    std::vector<ZCursor> all = positions();
    // Partial Fisher-Yates: the first `count` slots end up a uniform sample.
    for (size_t i = 0; i < count; i++) {
      std::swap(all[i], all[i + rng() % (size - i)]);
      emit(all[i]);
    }
    return;
  }
  std::unordered_set<std::string_view> picked;
  picked.reserve(count);
  while (picked.size() < count) {
    ZCursor cur = z->randomMember(rng);
    if (picked.insert(cur.member()).second) emit(cur);
  }
}

void cmdZrandmember(CommandContext& c) {
  if (c.argc() >= 3) {
    int64_t l;
    if (!int64InRangeOrReply(c, c.arg(2), -INT64_MAX, INT64_MAX, l)) return;
    if (c.argc() > 4 || (c.argc() == 4 && !argIs(c.arg(3), "withscores"))) return c.reply.error(err::kSyntax);
    if (c.argc() == 4 && (l < -INT64_MAX / 2 || l > INT64_MAX / 2)) return c.reply.error("ERR value is out of range");
    return zrandmemberWithCount(c, l, c.argc() == 4);
  }
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  if (!z) return c.reply.nullBulk();
  c.reply.bulk(z->randomMember(c.store.rng()).member());
}

// ---- ZSCAN -------------------------------------------------------------------------------------

// Redis parses the cursor with strtoul: leading '-' wraps, trailing junk or a leading
// space is refused.
bool scanCursorOrReply(CommandContext& c, std::string_view arg, uint64_t& cursor) {
  std::string buf(arg);
  char* end;
  errno = 0;
  cursor = std::strtoul(buf.c_str(), &end, 10);
  if (std::isspace(static_cast<unsigned char>(buf[0])) || *end != '\0' || errno == ERANGE) {
    c.reply.error("ERR invalid cursor");
    return false;
  }
  return true;
}

void cmdZscan(CommandContext& c) {
  uint64_t cursor;
  if (!scanCursorOrReply(c, c.arg(2), cursor)) return;
  ZSetObject* z;
  if (!readZsetOrReply(c, c.arg(1), z)) return;
  if (!z) {
    c.reply.arrayHeader(2);
    c.reply.bulk("0");
    return c.reply.arrayHeader(0);
  }
  int64_t count = 10;
  std::string_view pattern;
  bool usePattern = false;
  for (size_t j = 3; j < c.argc(); j += 2) {
    bool hasValue = j + 1 < c.argc();
    if (hasValue && argIs(c.arg(j), "count")) {
      if (!parseInt64OrReply(c, c.arg(j + 1), count)) return;
      if (count < 1) return c.reply.error(err::kSyntax);
    } else if (hasValue && argIs(c.arg(j), "match")) {
      pattern = c.arg(j + 1);
      usePattern = pattern != "*";
    } else {
      return c.reply.error(err::kSyntax);
    }
  }

  // Scores as Redis shows them: a small set hands out its listpack as stored, a large one
  // formats each score.
  std::vector<std::pair<std::string_view, std::string>> found;
  if (const SkipZSet* sk = z->skiplist()) {
    int64_t maxSteps = count * 20;
    do {
      cursor = sk->scan(cursor, [&](const ZNode* n) { found.emplace_back(n->member(), formatDouble(n->score)); });
    } while (cursor && maxSteps-- && found.size() < static_cast<uint64_t>(count));
  } else {
    z->forEach([&](std::string_view m, double s) { found.emplace_back(m, formatDoubleAsStored(s)); });
    cursor = 0;
  }
  if (usePattern)
    std::erase_if(found, [&](const auto& item) { return !globMatch(pattern, item.first); });

  c.reply.arrayHeader(2);
  c.reply.bulk(std::to_string(cursor));
  c.reply.arrayHeader(found.size() * 2);
  for (auto& [member, score] : found) {
    c.reply.bulk(member);
    c.reply.bulk(score);
  }
}

}  // namespace

void registerZsetFamily(CommandRegistry& r) {
  r.add("zadd", cmdZadd);
  r.add("zincrby", cmdZincrby);
  r.add("zrem", cmdZrem);
  r.add("zremrangebyrank", cmdZremrangebyrank);
  r.add("zremrangebyscore", cmdZremrangebyscore);
  r.add("zremrangebylex", cmdZremrangebylex);
  r.add("zcard", cmdZcard);
  r.add("zscore", cmdZscore);
  r.add("zmscore", cmdZmscore);
  r.add("zrank", cmdZrank);
  r.add("zrevrank", cmdZrevrank);
  r.add("zcount", cmdZcount);
  r.add("zlexcount", cmdZlexcount);
  r.add("zrange", cmdZrange);
  r.add("zrangestore", cmdZrangestore);
  r.add("zrevrange", cmdZrevrange);
  r.add("zrangebyscore", cmdZrangebyscore);
  r.add("zrevrangebyscore", cmdZrevrangebyscore);
  r.add("zrangebylex", cmdZrangebylex);
  r.add("zrevrangebylex", cmdZrevrangebylex);
  r.add("zpopmin", cmdZpopmin);
  r.add("zpopmax", cmdZpopmax);
  r.add("bzpopmin", cmdBzpopmin);
  r.add("bzpopmax", cmdBzpopmax);
  r.add("zmpop", cmdZmpop);
  r.add("bzmpop", cmdBzmpop);
  r.add("zunion", cmdZunion);
  r.add("zinter", cmdZinter);
  r.add("zdiff", cmdZdiff);
  r.add("zunionstore", cmdZunionstore);
  r.add("zinterstore", cmdZinterstore);
  r.add("zdiffstore", cmdZdiffstore);
  r.add("zintercard", cmdZintercard);
  r.add("zrandmember", cmdZrandmember);
  r.add("zscan", cmdZscan);
}

}  // namespace gearsd::store
