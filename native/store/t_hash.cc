// Hash commands. The value type and its encodings are in t_hash.h / t_hash_object.cc;
// here each command parses, calls HashObject and replies. Every write ends as STYLE.md
// says (hashWritten), and a hash left empty is deleted with a "del" event.
#include <algorithm>
#include <cmath>
#include <vector>

#include "store/args.h"
#include "store/collection.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"
#include "store/random_pick.h"
#include "store/scan.h"
#include "store/t_hash.h"

namespace gearsd::store {
namespace {

using Pair = std::pair<std::string_view, std::string_view>;

bool lookupHashReadOrReply(CommandContext& c, std::string_view key, HashObject*& out) {
  return lookupReadOrReply(c, key, ValueType::Hash, out);
}

bool lookupHashWriteOrReply(CommandContext& c, std::string_view key, HashObject*& out) {
  return lookupWriteOrReply(c, key, ValueType::Hash, out);
}

// The hash at key for writing, created empty when missing (Redis's
// hashTypeLookupWriteOrCreate); null after replying WRONGTYPE.
HashObject* hashForWriteOrReply(CommandContext& c, std::string_view key) {
  HashObject* h;
  if (!lookupHashWriteOrReply(c, key, h)) return nullptr;
  if (!h) {
    h = new HashObject();
    c.store.addObject(*c.db, key, ValueType::Hash, h);
  }
  return h;
}

void hashWritten(CommandContext& c, std::string_view key, const char* event, uint64_t dirty = 1) {
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyHash, event, *c.db, key);
  c.store.addDirty(dirty);
}

// ---- HSET / HSETNX / HMSET ------------------------------------------------------------

void hsetGeneric(CommandContext& c, bool hmset) {
  if (c.argc() % 2 == 1) {
    c.reply.error(std::string("ERR wrong number of arguments for '") + (hmset ? "hmset" : "hset") + "' command");
    return;
  }
  HashObject* h = hashForWriteOrReply(c, c.arg(1));
  if (!h) return;
  size_t longest = 0, total = 0;
  for (size_t j = 2; j < c.argc(); j++) {
    longest = std::max(longest, c.arg(j).size());
    total += c.arg(j).size();
  }
  h->prepareForStrings(longest, total);
  int64_t created = 0;
  for (size_t j = 2; j < c.argc(); j += 2) created += h->set(c.arg(j), c.arg(j + 1));
  hmset ? c.reply.ok() : c.reply.integer(created);
  hashWritten(c, c.arg(1), "hset", (c.argc() - 2) / 2);
}

void cmdHset(CommandContext& c) { hsetGeneric(c, false); }
void cmdHmset(CommandContext& c) { hsetGeneric(c, true); }

void cmdHsetnx(CommandContext& c) {
  HashObject* h = hashForWriteOrReply(c, c.arg(1));
  if (!h) return;
  if (h->find(c.arg(2))) return c.reply.integer(0);
  h->prepareForStrings(std::max(c.arg(2).size(), c.arg(3).size()), c.arg(2).size() + c.arg(3).size());
  h->set(c.arg(2), c.arg(3));
  c.reply.integer(1);
  hashWritten(c, c.arg(1), "hset");
}

// ---- reads of fields --------------------------------------------------------------------

void replyField(CommandContext& c, const HashObject* h, std::string_view field) {
  std::optional<std::string_view> v = h ? h->find(field) : std::nullopt;
  v ? c.reply.bulk(*v) : c.reply.nullBulk();
}

void cmdHget(CommandContext& c) {
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  replyField(c, h, c.arg(2));
}

void cmdHmget(CommandContext& c) {
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  c.reply.arrayHeader(c.argc() - 2);
  for (size_t j = 2; j < c.argc(); j++) replyField(c, h, c.arg(j));
}

void cmdHlen(CommandContext& c) {
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  c.reply.integer(h ? static_cast<int64_t>(h->size()) : 0);
}

void cmdHstrlen(CommandContext& c) {
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  std::optional<std::string_view> v = h ? h->find(c.arg(2)) : std::nullopt;
  c.reply.integer(v ? static_cast<int64_t>(v->size()) : 0);
}

void cmdHexists(CommandContext& c) {
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  c.reply.integer(h && h->find(c.arg(2)) ? 1 : 0);
}

// ---- whole-hash reads ---------------------------------------------------------------------

enum Parts { kFields = 1, kValues = 2 };

void getallGeneric(CommandContext& c, int parts) {
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  size_t n = h ? h->size() : 0;
  if (parts == (kFields | kValues))
    c.reply.mapHeader(n);
  else
    c.reply.arrayHeader(n);
  if (!h) return;
  h->forEach([&](std::string_view f, std::string_view v) {
    if (parts & kFields) c.reply.bulk(f);
    if (parts & kValues) c.reply.bulk(v);
  });
}

void cmdHkeys(CommandContext& c) { getallGeneric(c, kFields); }
void cmdHvals(CommandContext& c) { getallGeneric(c, kValues); }
void cmdHgetall(CommandContext& c) { getallGeneric(c, kFields | kValues); }

// ---- HDEL ----------------------------------------------------------------------------------

void cmdHdel(CommandContext& c) {
  HashObject* h;
  if (!lookupHashWriteOrReply(c, c.arg(1), h)) return;
  if (!h) return c.reply.integer(0);
  removeArgsAndReply(
      c, kNotifyHash, "hdel", [&](std::string_view f) { return h->erase(f); }, [&] { return h->size(); });
}

// ---- HINCRBY / HINCRBYFLOAT ------------------------------------------------------------------

void cmdHincrby(CommandContext& c) {
  int64_t incr;
  if (!parseInt64OrReply(c, c.arg(3), incr)) return;
  HashObject* h = hashForWriteOrReply(c, c.arg(1));
  if (!h) return;
  int64_t value = 0;
  if (std::optional<std::string_view> cur = h->find(c.arg(2))) {
    if (!parseInt64(*cur, value)) return c.reply.error("ERR hash value is not an integer");
  }
  if ((incr < 0 && value < 0 && incr < INT64_MIN - value) || (incr > 0 && value > 0 && incr > INT64_MAX - value))
    return c.reply.error(err::kOverflow);
  value += incr;
  h->set(c.arg(2), formatInt64(value));
  c.reply.integer(value);
  hashWritten(c, c.arg(1), "hincrby");
}

void cmdHincrbyfloat(CommandContext& c) {
  long double incr;
  if (!parseLongDouble(c.arg(3), incr)) return c.reply.error(err::kNotFloat);
  if (std::isnan(incr) || std::isinf(incr)) return c.reply.error("ERR value is NaN or Infinity");
  HashObject* h = hashForWriteOrReply(c, c.arg(1));
  if (!h) return;
  long double value = 0;
  if (std::optional<std::string_view> cur = h->find(c.arg(2))) {
    if (!parseLongDouble(*cur, value)) return c.reply.error("ERR hash value is not a float");
  }
  value += incr;
  if (std::isnan(value) || std::isinf(value)) return c.reply.error("ERR increment would produce NaN or Infinity");
  std::string s = formatLongDouble(value);
  h->set(c.arg(2), s);
  c.reply.bulk(s);
  hashWritten(c, c.arg(1), "hincrbyfloat");
}

// ---- HRANDFIELD ------------------------------------------------------------------------------

void replyPairs(CommandContext& c, const std::vector<Pair>& pairs, bool withValues) {
  c.reply.pairListHeader(pairs.size(), withValues);
  for (const Pair& p : pairs) {
    c.reply.pairStart(withValues);
    c.reply.bulk(p.first);
    if (withValues) c.reply.bulk(p.second);
  }
}

// `count` distinct fields chosen uniformly (count < size).
std::vector<Pair> distinctRandomPairs(CommandContext& c, const HashObject& h, size_t count) {
  std::vector<Pair> out;
  if (!h.packed() && drawBeatsListing(count, h.size())) {
    for (const HashNode* n : drawDistinct(h.table(), c.store.rng(), count)) out.emplace_back(n->field(), n->value());
    return out;
  }
  out.reserve(h.size());
  h.forEach([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  keepRandomPrefix(out, c.store.rng(), count);
  return out;
}

void hrandfieldWithCount(CommandContext& c, int64_t l, bool withValues) {
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  if (!h || l == 0) return c.reply.arrayHeader(0);
  uint64_t count = l < 0 ? static_cast<uint64_t>(-l) : static_cast<uint64_t>(l);
  size_t size = h->size();
  if (l < 0 || count == 1) {
    // Repeats allowed: every pick samples the whole hash.
    c.reply.pairListHeader(count, withValues);
    if (h->packed()) {
      std::vector<Pair> all;
      all.reserve(size);
      h->forEach([&](std::string_view f, std::string_view v) { all.emplace_back(f, v); });
      for (uint64_t i = 0; i < count; i++) {
        const Pair& p = all[c.store.rng()() % size];
        c.reply.pairStart(withValues);
        c.reply.bulk(p.first);
        if (withValues) c.reply.bulk(p.second);
      }
      return;
    }
    for (uint64_t i = 0; i < count; i++) {
      Pair p = h->randomPair(c.store.rng());
      c.reply.pairStart(withValues);
      c.reply.bulk(p.first);
      if (withValues) c.reply.bulk(p.second);
    }
    return;
  }
  if (count >= size) {
    c.reply.pairListHeader(size, withValues);
    h->forEach([&](std::string_view f, std::string_view v) {
      c.reply.pairStart(withValues);
      c.reply.bulk(f);
      if (withValues) c.reply.bulk(v);
    });
    return;
  }
  replyPairs(c, distinctRandomPairs(c, *h, count), withValues);
}

void cmdHrandfield(CommandContext& c) {
  if (c.argc() >= 3) {
    int64_t l;
    if (!parseRangeOrReply(c, c.arg(2), -INT64_MAX, INT64_MAX, l)) return;
    bool withValues = c.argc() == 4;
    if (c.argc() > 4 || (withValues && !argIs(c.arg(3), "withvalues"))) return c.reply.error(err::kSyntax);
    if (withValues && (l < -INT64_MAX / 2 || l > INT64_MAX / 2)) return c.reply.error("ERR value is out of range");
    return hrandfieldWithCount(c, l, withValues);
  }
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  if (!h) return c.reply.nullBulk();
  c.reply.bulk(h->randomPair(c.store.rng()).first);
}

// ---- HSCAN -------------------------------------------------------------------------------------

void cmdHscan(CommandContext& c) {
  uint64_t cursor;
  if (!parseScanCursorOrReply(c, c.arg(2), cursor)) return;
  HashObject* h;
  if (!lookupHashReadOrReply(c, c.arg(1), h)) return;
  if (!h) return replyScan(c.reply, 0, {});
  ScanArgs args;
  if (!parseScanOptionsOrReply(c, 3, false, args)) return;
  std::vector<std::string_view> items;
  auto collect = [&](std::string_view f, std::string_view v) {
    if (!args.matches(f)) return;
    items.push_back(f);
    items.push_back(v);
  };
  if (h->packed()) {
    // A small hash answers whole, with cursor 0, as Redis does for a listpack.
    h->forEach(collect);
    return replyScan(c.reply, 0, items);
  }
  // Redis counts fields and values towards COUNT (so doubles it).
  cursor = scanDict(h->table(), cursor, args.count * 2, 2, [&](const HashNode* n) { collect(n->field(), n->value()); });
  replyScan(c.reply, cursor, items);
}

}  // namespace

void registerHashFamily(CommandRegistry& r) {
  r.add("hset", cmdHset);
  r.add("hsetnx", cmdHsetnx);
  r.add("hmset", cmdHmset);
  r.add("hget", cmdHget);
  r.add("hmget", cmdHmget);
  r.add("hgetall", cmdHgetall);
  r.add("hkeys", cmdHkeys);
  r.add("hvals", cmdHvals);
  r.add("hdel", cmdHdel);
  r.add("hlen", cmdHlen);
  r.add("hexists", cmdHexists);
  r.add("hstrlen", cmdHstrlen);
  r.add("hincrby", cmdHincrby);
  r.add("hincrbyfloat", cmdHincrbyfloat);
  r.add("hrandfield", cmdHrandfield);
  r.add("hscan", cmdHscan);
}

}  // namespace gearsd::store
