// The generic keyspace commands: existence and deletion, names (KEYS, SCAN, RANDOMKEY,
// RENAME, COPY, MOVE), time to live (EXPIRE..., TTL..., PERSIST), introspection (TYPE,
// OBJECT, MEMORY USAGE) and whole databases (DBSIZE, FLUSHDB, FLUSHALL, SWAPDB).
//
// Every rule about lookups, lazy expiry and events lives in Store (keyspace.h); these
// handlers decide, as Redis's db.c and expire.c do, which lookup each command makes
// (read or write, touching the access time or not) and which events it fires.
#include <malloc.h>

#include <cerrno>
#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "store/args.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/glob.h"
#include "store/numbers.h"
#include "store/scan.h"
#include "store/t_string.h"

namespace gearsd::store {
namespace {

// The common tail of a generic write on one key.
void keyWritten(CommandContext& c, Db& db, std::string_view key, const char* event) {
  c.store.signalModifiedKey(db, key);
  c.store.notify(kNotifyGeneric, event, db, key);
  c.store.addDirty();
}

// Redis's getIntFromObjectOrReply: an integer that fits an int, with `msg` (when given)
// replacing both error texts.
bool parseIntOrReply(CommandContext& c, std::string_view arg, int& out, const char* msg = nullptr) {
  int64_t v;
  if (!parseInt64(arg, v)) {
    c.reply.error(msg ? msg : err::kNotInteger);
    return false;
  }
  if (v < INT_MIN || v > INT_MAX) {
    c.reply.error(msg ? msg : "ERR value is out of range, value must between -2147483648 and 2147483647");
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

// A database number argument (MOVE, COPY DB, SWAPDB).
Db* dbFromArgOrReply(CommandContext& c, std::string_view arg) {
  int id;
  if (!parseIntOrReply(c, arg, id)) return nullptr;
  if (id < 0 || id >= c.store.dbCount()) {
    c.reply.error(err::kDbIndexOutOfRange);
    return nullptr;
  }
  return &c.store.db(id);
}

// The command name as typed, upper-cased, for help and error texts ("OBJECT HELP").
std::string commandNameUpper(CommandContext& c) {
  std::string name(c.arg(0));
  for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return name;
}

// "OBJECT <subcommand> ... Subcommands are:" followed by the lines and the HELP footer,
// each a status line, as Redis's addReplyHelp.
void replyHelp(CommandContext& c, std::initializer_list<const char*> lines) {
  c.reply.arrayHeader(lines.size() + 3);
  c.reply.simple(commandNameUpper(c) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* l : lines) c.reply.simple(l);
  c.reply.simple("HELP");
  c.reply.simple("    Prints this help.");
}

// For callers that bypass the table's subcommand checks (Python's execute()).
void replySubcommandSyntaxError(CommandContext& c) {
  std::string sub(c.arg(1).substr(0, 128));
  c.reply.error("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try " + commandNameUpper(c) + " HELP.");
}

// ---- DEL, UNLINK, EXISTS, TOUCH, TYPE -----------------------------------------------------

void delGeneric(CommandContext& c, bool lazy) {
  int64_t deleted = 0;
  for (size_t j = 1; j < c.argc(); j++) {
    std::string_view key = c.arg(j);
    KeyEntry* e = c.store.lookupWrite(*c.db, key, c.now);  // an expired key is not counted
    if (!e) continue;
    lazy ? c.store.deleteEntryLazy(*c.db, e) : c.store.deleteEntry(*c.db, e);
    keyWritten(c, *c.db, key, "del");
    deleted++;
  }
  c.reply.integer(deleted);
}

void cmdDel(CommandContext& c) { delGeneric(c, false); }
void cmdUnlink(CommandContext& c) { delGeneric(c, true); }

void cmdExists(CommandContext& c) {
  int64_t n = 0;
  for (size_t j = 1; j < c.argc(); j++)
    if (c.store.lookup(*c.db, c.arg(j), c.now, kLookupNoTouch)) n++;
  c.reply.integer(n);
}

void cmdTouch(CommandContext& c) {
  int64_t n = 0;
  for (size_t j = 1; j < c.argc(); j++)
    if (c.store.lookupRead(*c.db, c.arg(j), c.now)) n++;
  c.reply.integer(n);
}

void cmdType(CommandContext& c) {
  KeyEntry* e = c.store.lookup(*c.db, c.arg(1), c.now, kLookupNoTouch);
  c.reply.simple(e ? valueTypeName(e->type) : "none");
}

// ---- KEYS, SCAN, RANDOMKEY ------------------------------------------------------------------

void cmdKeys(CommandContext& c) {
  std::string_view pattern = c.arg(1);
  bool all = pattern == "*";
  size_t n = 0;
  c.reply.beginDeferredArray();
  // Expired keys are skipped but left for expiry to remove: KEYS changes nothing.
  c.db->keys.forEach([&](KeyEntry* e) {
    if ((all || globMatch(pattern, e->key())) && !c.store.isExpired(*c.db, e, c.now)) {
      c.reply.bulk(e->key());
      n++;
    }
  });
  c.reply.endDeferredArray(n);
}

void cmdScan(CommandContext& c) {
  uint64_t cursor;
  if (!parseScanCursorOrReply(c, c.arg(1), cursor)) return;
  ScanArgs args;
  if (!parseScanOptionsOrReply(c, 2, true, args)) return;

  // Collect names first (copies: filtering may expire keys and run registrations).
  std::vector<std::string> names;
  cursor = scanDict(c.db->keys, cursor, args.count, 1, [&](const KeyEntry* e) { names.emplace_back(e->key()); });

  size_t kept = 0;
  for (size_t i = 0; i < names.size(); i++) {
    std::string& name = names[i];
    if (!args.matches(name)) continue;
    if (args.useType) {
      KeyEntry* e = c.store.lookup(*c.db, name, c.now, kLookupNoTouch);
      if (!argIs(args.type, e ? valueTypeName(e->type) : "none")) continue;
    }
    KeyEntry* e = c.store.peek(*c.db, name);
    if (e && c.store.isExpired(*c.db, e, c.now)) {
      c.store.expireEntry(*c.db, e);
      continue;
    }
    if (kept != i) names[kept] = std::move(name);
    kept++;
  }
  names.resize(kept);
  replyScan(c.reply, cursor, std::vector<std::string_view>(names.begin(), names.end()));
}

void cmdRandomkey(CommandContext& c) {
  for (;;) {
    KeyEntry* e = c.db->keys.random(c.store.rng());
    if (!e) return c.reply.nullBulk();
    // An expired pick is deleted and another one drawn, as Redis's dbRandomKey.
    if (c.store.isExpired(*c.db, e, c.now)) {
      c.store.expireEntry(*c.db, e);
      continue;
    }
    return c.reply.bulk(e->key());
  }
}

// ---- RENAME, RENAMENX, MOVE, COPY -----------------------------------------------------------

void renameGeneric(CommandContext& c, bool nx) {
  std::string_view from = c.arg(1), to = c.arg(2);
  KeyEntry* e = c.store.lookupWrite(*c.db, from, c.now);
  if (!e) return c.reply.error(err::kNoSuchKey);
  if (from == to) return nx ? c.reply.integer(0) : c.reply.ok();
  if (KeyEntry* old = c.store.lookupWrite(*c.db, to, c.now)) {
    if (nx) return c.reply.integer(0);
    c.store.deleteEntry(*c.db, old);  // overwritten silently: no "del" event, as Redis
  }
  // The lookups above may have expired keys and run registrations: find the source again.
  e = c.store.peek(*c.db, from);
  if (!e) return c.reply.error(err::kNoSuchKey);
  c.store.renameEntry(*c.db, e, to);
  c.store.signalModifiedKey(*c.db, from);
  c.store.signalModifiedKey(*c.db, to);
  c.store.notify(kNotifyGeneric, "rename_from", *c.db, from);
  c.store.notify(kNotifyGeneric, "rename_to", *c.db, to);
  c.store.addDirty();
  nx ? c.reply.integer(1) : c.reply.ok();
}

void cmdRename(CommandContext& c) { renameGeneric(c, false); }
void cmdRenamenx(CommandContext& c) { renameGeneric(c, true); }

void cmdMove(CommandContext& c) {
  std::string_view key = c.arg(1);
  Db* dst = dbFromArgOrReply(c, c.arg(2));
  if (!dst) return;
  Db* src = c.db;
  if (src == dst) return c.reply.error(err::kSameObject);
  if (!c.store.lookupWrite(*src, key, c.now)) return c.reply.integer(0);
  if (c.store.lookupWrite(*dst, key, c.now)) return c.reply.integer(0);
  KeyEntry* e = c.store.peek(*src, key);
  if (!e) return c.reply.integer(0);
  c.store.moveEntry(*src, e, *dst);
  c.store.signalModifiedKey(*src, key);
  c.store.signalModifiedKey(*dst, key);
  c.store.notify(kNotifyGeneric, "move_from", *src, key);
  c.store.notify(kNotifyGeneric, "move_to", *dst, key);
  c.store.addDirty();
  c.reply.integer(1);
}

void cmdCopy(CommandContext& c) {
  std::string_view key = c.arg(1), newKey = c.arg(2);
  Db* src = c.db;
  Db* dst = c.db;
  bool replace = false;
  for (size_t j = 3; j < c.argc(); j++) {
    if (argIs(c.arg(j), "replace")) {
      replace = true;
    } else if (argIs(c.arg(j), "db") && j + 1 < c.argc()) {
      dst = dbFromArgOrReply(c, c.arg(++j));
      if (!dst) return;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }
  if (src == dst && key == newKey) return c.reply.error(err::kSameObject);
  if (!c.store.lookupRead(*src, key, c.now)) return c.reply.integer(0);
  KeyEntry* existing = c.store.lookupWrite(*dst, newKey, c.now);
  if (existing && !replace) return c.reply.integer(0);
  KeyEntry* e = c.store.peek(*src, key);  // again: the lookup of newKey may have run registrations
  if (!e) return c.reply.integer(0);

  // Duplicate first: for a collection, clone() is the part that can fail.
  std::unique_ptr<Object> clone;
  if (e->type != ValueType::String) {
    clone = e->obj()->clone();
    if (!clone) return c.reply.error("ERR unknown type object");
  }
  bool hadExpire = e->hasExpire();
  int64_t when = c.store.getExpire(*src, e);
  if (existing)
    if (KeyEntry* old = c.store.peek(*dst, newKey)) c.store.deleteEntry(*dst, old);
  KeyEntry* n;
  if (e->type != ValueType::String) {
    n = c.store.addObject(*dst, newKey, e->type, clone.release());  // signals waiters on the key
  } else {
    StrEncoding enc = stringEncodingOfCopy(*e);
    n = c.store.addString(*dst, newKey, e->str());
    n->strEnc = enc;
  }
  if (hadExpire) c.store.setExpire(*dst, n, when);
  keyWritten(c, *dst, newKey, "copy_to");
  c.reply.integer(1);
}

// ---- EXPIRE family, TTL family, PERSIST -----------------------------------------------------

enum ExpireFlags : uint32_t { kExpireNx = 1, kExpireXx = 2, kExpireGt = 4, kExpireLt = 8 };

bool parseExpireFlagsOrReply(CommandContext& c, uint32_t& flags) {
  for (size_t j = 3; j < c.argc(); j++) {
    std::string_view opt = c.arg(j);
    if (argIs(opt, "nx")) flags |= kExpireNx;
    else if (argIs(opt, "xx")) flags |= kExpireXx;
    else if (argIs(opt, "gt")) flags |= kExpireGt;
    else if (argIs(opt, "lt")) flags |= kExpireLt;
    else {
      c.reply.error("ERR Unsupported option " + std::string(opt));
      return false;
    }
  }
  if ((flags & kExpireNx) && (flags & (kExpireXx | kExpireGt | kExpireLt))) {
    c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if ((flags & kExpireGt) && (flags & kExpireLt)) {
    c.reply.error("ERR GT and LT options at the same time are not compatible");
    return false;
  }
  return true;
}

// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: `basetime` is now for the relative forms, 0 for
// the absolute ones. A time not in the future deletes the key (event "del", not "expired").
void expireGeneric(CommandContext& c, int64_t basetime, bool seconds, const char* cmd) {
  uint32_t flags = 0;
  if (!parseExpireFlagsOrReply(c, flags)) return;
  int64_t when;
  if (!parseInt64OrReply(c, c.arg(2), when)) return;
  auto invalid = [&] { c.reply.error(std::string("ERR invalid expire time in '") + cmd + "' command"); };
  if (seconds) {
    if (when > INT64_MAX / 1000 || when < INT64_MIN / 1000) return invalid();
    when *= 1000;
  }
  if (when > INT64_MAX - basetime) return invalid();
  when += basetime;

  std::string_view key = c.arg(1);
  KeyEntry* e = c.store.lookupWrite(*c.db, key, c.now);
  if (!e) return c.reply.integer(0);
  if (flags) {
    int64_t current = c.store.getExpire(*c.db, e);
    if ((flags & kExpireNx) && current != -1) return c.reply.integer(0);
    if ((flags & kExpireXx) && current == -1) return c.reply.integer(0);
    // No TTL counts as an infinite one: never smaller, always larger.
    if ((flags & kExpireGt) && (current == -1 || when <= current)) return c.reply.integer(0);
    if ((flags & kExpireLt) && current != -1 && when >= current) return c.reply.integer(0);
  }
  if (when <= c.now) {
    c.store.deleteEntry(*c.db, e);
    keyWritten(c, *c.db, key, "del");
    return c.reply.integer(1);
  }
  c.store.setExpire(*c.db, e, when);
  c.reply.integer(1);
  keyWritten(c, *c.db, key, "expire");
}

void cmdExpire(CommandContext& c) { expireGeneric(c, c.now, true, "expire"); }
void cmdPexpire(CommandContext& c) { expireGeneric(c, c.now, false, "pexpire"); }
void cmdExpireat(CommandContext& c) { expireGeneric(c, 0, true, "expireat"); }
void cmdPexpireat(CommandContext& c) { expireGeneric(c, 0, false, "pexpireat"); }

// TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for no key, -1 for no TTL; seconds round to nearest.
void ttlGeneric(CommandContext& c, bool ms, bool absolute) {
  KeyEntry* e = c.store.lookup(*c.db, c.arg(1), c.now, kLookupNoTouch);
  if (!e) return c.reply.integer(-2);
  int64_t expire = c.store.getExpire(*c.db, e);
  if (expire == -1) return c.reply.integer(-1);
  int64_t ttl = absolute ? expire : expire - c.now;
  if (ttl < 0) ttl = 0;
  c.reply.integer(ms ? ttl : (ttl + 500) / 1000);
}

void cmdTtl(CommandContext& c) { ttlGeneric(c, false, false); }
void cmdPttl(CommandContext& c) { ttlGeneric(c, true, false); }
void cmdExpiretime(CommandContext& c) { ttlGeneric(c, false, true); }
void cmdPexpiretime(CommandContext& c) { ttlGeneric(c, true, true); }

void cmdPersist(CommandContext& c) {
  std::string_view key = c.arg(1);
  KeyEntry* e = c.store.lookupWrite(*c.db, key, c.now);
  if (!e || !c.store.removeExpire(*c.db, e)) return c.reply.integer(0);
  c.reply.integer(1);
  keyWritten(c, *c.db, key, "persist");
}

// ---- OBJECT, MEMORY ---------------------------------------------------------------------------

void cmdObject(CommandContext& c) {
  std::string_view sub = c.arg(1);
  if (c.argc() == 2 && argIs(sub, "help")) {
    return replyHelp(c, {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
    });
  }
  bool known = argIs(sub, "refcount") || argIs(sub, "encoding") || argIs(sub, "idletime") || argIs(sub, "freq");
  if (!known || c.argc() != 3) return replySubcommandSyntaxError(c);
  KeyEntry* e = c.store.lookup(*c.db, c.arg(2), c.now, kLookupNoTouch | kLookupNoNotify);
  if (!e) return c.reply.nullBulk();
  if (argIs(sub, "refcount")) {
    bool shared = e->type == ValueType::String && stringIsSharedInteger(*e);
    c.reply.integer(shared ? INT_MAX : 1);
  } else if (argIs(sub, "encoding")) {
    c.reply.bulk(e->type == ValueType::String ? stringEncodingName(*e) : e->obj()->encodingName());
  } else if (argIs(sub, "idletime")) {
    uint32_t clock = static_cast<uint32_t>(c.now / 1000);
    c.reply.integer(static_cast<uint32_t>(clock - e->lru));
  } else {
    // gearsd keeps LRU access times; there is no LFU maxmemory policy to select.
    c.reply.error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.");
  }
}

void cmdMemory(CommandContext& c) {
  std::string_view sub = c.arg(1);
  if (argIs(sub, "help") && c.argc() == 2) {
    return replyHelp(c, {
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
    });
  }
  if (argIs(sub, "usage") && c.argc() >= 3) {
    for (size_t j = 3; j < c.argc(); j++) {
      int64_t samples;
      if (!argIs(c.arg(j), "samples") || j + 1 >= c.argc()) return c.reply.error(err::kSyntax);
      if (!parseInt64OrReply(c, c.arg(++j), samples)) return;
      if (samples < 0) return c.reply.error(err::kSyntax);
    }
    // Like Redis, a plain table lookup: no expiry, no stats.
    KeyEntry* e = c.store.peek(*c.db, c.arg(2));
    if (!e) return c.reply.nullBulk();
    c.reply.integer(static_cast<int64_t>(e->memoryUsage() + sizeof(void*)));  // + its bucket slot
    return;
  }
  if (argIs(sub, "malloc-stats") && c.argc() == 2) {
    // What Redis answers when it is not built with jemalloc.
    return c.reply.bulk("Stats not supported for the current allocator");
  }
  if (argIs(sub, "purge") && c.argc() == 2) {
    malloc_trim(0);
    return c.reply.ok();
  }
  replySubcommandSyntaxError(c);
}

// ---- DBSIZE, FLUSHDB, FLUSHALL, SWAPDB --------------------------------------------------------

void cmdDbsize(CommandContext& c) { c.reply.integer(static_cast<int64_t>(c.db->keys.size())); }

// FLUSHDB/FLUSHALL [ASYNC|SYNC]; without an option they are synchronous (gearsd's
// lazyfree-lazy-user-flush is "no", Redis's default).
bool parseFlushOrReply(CommandContext& c, bool& async) {
  async = false;
  if (c.argc() == 1) return true;
  if (c.argc() == 2 && argIs(c.arg(1), "sync")) return true;
  if (c.argc() == 2 && argIs(c.arg(1), "async")) {
    async = true;
    return true;
  }
  c.reply.error(err::kSyntax);
  return false;
}

void cmdFlushdb(CommandContext& c) {
  bool async;
  if (!parseFlushOrReply(c, async)) return;
  c.store.addDirty(c.store.flushDb(*c.db, async));
  c.reply.ok();
}

void cmdFlushall(CommandContext& c) {
  bool async;
  if (!parseFlushOrReply(c, async)) return;
  c.store.addDirty(c.store.flushAll(async));
  c.reply.ok();
}

void cmdSwapdb(CommandContext& c) {
  int a, b;
  if (!parseIntOrReply(c, c.arg(1), a, "ERR invalid first DB index")) return;
  if (!parseIntOrReply(c, c.arg(2), b, "ERR invalid second DB index")) return;
  if (a < 0 || a >= c.store.dbCount() || b < 0 || b >= c.store.dbCount()) return c.reply.error(err::kDbIndexOutOfRange);
  c.store.swapDbs(c.store.db(a), c.store.db(b));
  c.store.addDirty();
  c.reply.ok();
}

}  // namespace

void registerKeysFamily(CommandRegistry& r) {
  r.add("del", cmdDel);
  r.add("unlink", cmdUnlink);
  r.add("exists", cmdExists);
  r.add("touch", cmdTouch);
  r.add("type", cmdType);
  r.add("keys", cmdKeys);
  r.add("scan", cmdScan);
  r.add("randomkey", cmdRandomkey);
  r.add("rename", cmdRename);
  r.add("renamenx", cmdRenamenx);
  r.add("move", cmdMove);
  r.add("copy", cmdCopy);
  r.add("expire", cmdExpire);
  r.add("pexpire", cmdPexpire);
  r.add("expireat", cmdExpireat);
  r.add("pexpireat", cmdPexpireat);
  r.add("ttl", cmdTtl);
  r.add("pttl", cmdPttl);
  r.add("expiretime", cmdExpiretime);
  r.add("pexpiretime", cmdPexpiretime);
  r.add("persist", cmdPersist);
  r.add("object", cmdObject);
  r.add("memory", cmdMemory);
  r.add("dbsize", cmdDbsize);
  r.add("flushdb", cmdFlushdb);
  r.add("flushall", cmdFlushall);
  r.add("swapdb", cmdSwapdb);
}

}  // namespace gearsd::store
