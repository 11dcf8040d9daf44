// String commands. Each command is a handler that parses its arguments and replies;
// the data operations it needs are small functions above it that know nothing of replies.
#include <cmath>
#include <cstring>
#include <optional>

#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"
#include "store/tuning.h"

namespace gearsd::store {
namespace {

// Looks up a key for reading a string. Replies WRONGTYPE and returns false when the key
// holds another type; `out` is null when the key does not exist.
bool lookupStringOrReply(CommandContext& c, std::string_view key, KeyEntry*& out) {
  out = c.store.lookupRead(*c.db, key, c.now);
  if (out && out->type != ValueType::String) {
    c.reply.error(err::kWrongType);
    return false;
  }
  return true;
}

bool lookupStringForWriteOrReply(CommandContext& c, std::string_view key, KeyEntry*& out) {
  out = c.store.lookupWrite(*c.db, key, c.now);
  if (out && out->type != ValueType::String) {
    c.reply.error(err::kWrongType);
    return false;
  }
  return true;
}

// The common tail of every string write.
void stringWritten(CommandContext& c, std::string_view key, const char* event) {
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyString, event, *c.db, key);
  c.store.addDirty();
}

bool checkStringLengthOrReply(CommandContext& c, uint64_t size) {
  if (size > static_cast<uint64_t>(tuning().protoMaxBulkLen)) {
    c.reply.error(err::kStringTooLong);
    return false;
  }
  return true;
}

// ---- SET and its variants -----------------------------------------------------------------

enum SetFlags : uint32_t {
  kSetNx = 1 << 0,
  kSetXx = 1 << 1,
  kSetKeepTtl = 1 << 2,
  kSetGet = 1 << 3,
  kSetEx = 1 << 4,
  kSetPx = 1 << 5,
  kSetExat = 1 << 6,
  kSetPxat = 1 << 7,
  kSetPersist = 1 << 8,  // GETEX PERSIST
};
constexpr uint32_t kAnyExpire = kSetEx | kSetPx | kSetExat | kSetPxat;

bool ieq(std::string_view a, const char* b) { return a.size() == std::strlen(b) && strncasecmp(a.data(), b, a.size()) == 0; }

// Parses SET/GETEX options starting at argv[first]; replies a syntax error on failure.
// `forGetex` accepts PERSIST and refuses NX/XX/KEEPTTL/GET as Redis's GETEX does.
bool parseSetOptionsOrReply(CommandContext& c, size_t first, bool forGetex, uint32_t& flags,
                            std::string_view& expireArg) {
  for (size_t j = first; j < c.argc(); j++) {
    std::string_view a = c.arg(j);
    bool hasNext = j + 1 < c.argc();
    if (!forGetex && ieq(a, "nx") && !(flags & kSetXx)) flags |= kSetNx;
    else if (!forGetex && ieq(a, "xx") && !(flags & kSetNx)) flags |= kSetXx;
    else if (!forGetex && ieq(a, "get")) flags |= kSetGet;
    else if (!forGetex && ieq(a, "keepttl") && !(flags & kAnyExpire)) flags |= kSetKeepTtl;
    else if (forGetex && ieq(a, "persist") && !(flags & kAnyExpire)) flags |= kSetPersist;
    else if (hasNext && !(flags & (kAnyExpire | kSetKeepTtl | kSetPersist)) &&
             (ieq(a, "ex") || ieq(a, "px") || ieq(a, "exat") || ieq(a, "pxat"))) {
      flags |= ieq(a, "ex") ? kSetEx : ieq(a, "px") ? kSetPx : ieq(a, "exat") ? kSetExat : kSetPxat;
      expireArg = c.arg(++j);
    } else {
      c.reply.error(err::kSyntax);
      return false;
    }
  }
  return true;
}

// Turns an EX/PX/EXAT/PXAT argument into an absolute ms time, replying on error.
bool expireFromArgOrReply(CommandContext& c, uint32_t flags, std::string_view arg, const char* cmd, int64_t& whenMs) {
  int64_t v;
  if (!parseInt64(arg, v)) {
    c.reply.error(err::kNotInteger);
    return false;
  }
  bool seconds = flags & (kSetEx | kSetExat);
  bool relative = flags & (kSetEx | kSetPx);
  if (v <= 0 || (seconds && v > INT64_MAX / 1000)) {
    c.reply.error(std::string("ERR invalid expire time in '") + cmd + "' command");
    return false;
  }
  if (seconds) v *= 1000;
  if (relative) {
    if (v > INT64_MAX - c.now) {
      c.reply.error(std::string("ERR invalid expire time in '") + cmd + "' command");
      return false;
    }
    v += c.now;
  }
  whenMs = v;
  return true;
}

// The shared body of SET, SETNX, SETEX, PSETEX.
void setGeneric(CommandContext& c, uint32_t flags, std::string_view key, std::string_view value,
                std::string_view expireArg, const char* cmd, bool replyOk) {
  int64_t when = 0;
  if ((flags & kAnyExpire) && !expireFromArgOrReply(c, flags, expireArg, cmd, when)) return;

  KeyEntry* e;
  if (flags & kSetGet) {
    if (!lookupStringOrReply(c, key, e)) return;
  } else {
    e = c.store.lookupWrite(*c.db, key, c.now);
  }
  if ((flags & kSetNx && e) || (flags & kSetXx && !e)) {
    if (flags & kSetGet) e ? c.reply.bulk(e->str()) : c.reply.nullBulk();
    else if (replyOk) c.reply.nullBulk();
    else c.reply.integer(0);
    return;
  }
  if (flags & kSetGet) e ? c.reply.bulk(e->str()) : c.reply.nullBulk();

  e = c.store.setString(*c.db, key, value, flags & kSetKeepTtl, c.now);
  if (flags & kAnyExpire) c.store.setExpire(*c.db, e, when);
  stringWritten(c, key, "set");
  if (flags & kAnyExpire) c.store.notify(kNotifyGeneric, "expire", *c.db, key);

  if (!(flags & kSetGet)) replyOk ? c.reply.ok() : c.reply.integer(1);
}

void cmdSet(CommandContext& c) {
  uint32_t flags = 0;
  std::string_view expireArg;
  if (!parseSetOptionsOrReply(c, 3, false, flags, expireArg)) return;
  setGeneric(c, flags, c.arg(1), c.arg(2), expireArg, "set", true);
}

void cmdSetnx(CommandContext& c) { setGeneric(c, kSetNx, c.arg(1), c.arg(2), {}, "setnx", false); }
void cmdSetex(CommandContext& c) { setGeneric(c, kSetEx, c.arg(1), c.arg(3), c.arg(2), "setex", true); }
void cmdPsetex(CommandContext& c) { setGeneric(c, kSetPx, c.arg(1), c.arg(3), c.arg(2), "psetex", true); }

void cmdGet(CommandContext& c) {
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  e ? c.reply.bulk(e->str()) : c.reply.nullBulk();
}

void cmdMget(CommandContext& c) {
  c.reply.arrayHeader(c.argc() - 1);
  for (size_t j = 1; j < c.argc(); j++) {
    KeyEntry* e = c.store.lookupRead(*c.db, c.arg(j), c.now);
    if (e && e->type == ValueType::String) c.reply.bulk(e->str());
    else c.reply.nullBulk();
  }
}

void msetGeneric(CommandContext& c, bool nx) {
  if (c.argc() % 2 == 0) {
    c.reply.error(std::string("ERR wrong number of arguments for '") + (nx ? "msetnx" : "mset") + "' command");
    return;
  }
  if (nx) {
    for (size_t j = 1; j < c.argc(); j += 2)
      if (c.store.lookupWrite(*c.db, c.arg(j), c.now)) {
        c.reply.integer(0);
        return;
      }
  }
  c.db->keys.reserve((c.argc() - 1) / 2);
  for (size_t j = 1; j < c.argc(); j += 2) {
    c.store.setString(*c.db, c.arg(j), c.arg(j + 1), false, c.now);
    stringWritten(c, c.arg(j), "set");
  }
  nx ? c.reply.integer(1) : c.reply.ok();
}

void cmdMset(CommandContext& c) { msetGeneric(c, false); }
void cmdMsetnx(CommandContext& c) { msetGeneric(c, true); }

// ---- INCR family -----------------------------------------------------------------------------

void incrGeneric(CommandContext& c, int64_t by, const char* event) {
  KeyEntry* e;
  if (!lookupStringForWriteOrReply(c, c.arg(1), e)) return;
  int64_t cur = 0;
  if (e && !parseInt64(e->str(), cur)) {
    c.reply.error(err::kNotInteger);
    return;
  }
  if ((by < 0 && cur < 0 && by < INT64_MIN - cur) || (by > 0 && cur > 0 && by > INT64_MAX - cur)) {
    c.reply.error(err::kOverflow);
    return;
  }
  int64_t v = cur + by;
  std::string s = formatInt64(v);
  if (e) e->setString(s);
  else c.store.addString(*c.db, c.arg(1), s);
  stringWritten(c, c.arg(1), event);
  c.reply.integer(v);
}

void cmdIncr(CommandContext& c) { incrGeneric(c, 1, "incrby"); }
void cmdDecr(CommandContext& c) { incrGeneric(c, -1, "decrby"); }

void cmdIncrby(CommandContext& c) {
  int64_t by;
  if (!parseInt64(c.arg(2), by)) return c.reply.error(err::kNotInteger);
  incrGeneric(c, by, "incrby");
}

void cmdDecrby(CommandContext& c) {
  int64_t by;
  if (!parseInt64(c.arg(2), by)) return c.reply.error(err::kNotInteger);
  if (by == INT64_MIN) return c.reply.error("ERR decrement would overflow");
  incrGeneric(c, -by, "decrby");
}

void cmdIncrbyfloat(CommandContext& c) {
  KeyEntry* e;
  if (!lookupStringForWriteOrReply(c, c.arg(1), e)) return;
  long double cur = 0, by;
  if (e && !parseLongDouble(e->str(), cur)) return c.reply.error(err::kNotFloat);
  if (!parseLongDouble(c.arg(2), by)) return c.reply.error(err::kNotFloat);
  long double v = cur + by;
  if (std::isnan(v) || std::isinf(v)) return c.reply.error("ERR increment would produce NaN or Infinity");
  std::string s = formatLongDouble(v);
  if (e) e->setString(s);
  else c.store.addString(*c.db, c.arg(1), s);
  stringWritten(c, c.arg(1), "incrbyfloat");
  c.reply.bulk(s);
}

}  // namespace

void registerStringFamily(CommandRegistry& r) {
  r.add("get", cmdGet);
  r.add("set", cmdSet);
  r.add("setnx", cmdSetnx);
  r.add("setex", cmdSetex);
  r.add("psetex", cmdPsetex);
  r.add("mget", cmdMget);
  r.add("mset", cmdMset);
  r.add("msetnx", cmdMsetnx);
  r.add("incr", cmdIncr);
  r.add("decr", cmdDecr);
  r.add("incrby", cmdIncrby);
  r.add("decrby", cmdDecrby);
  r.add("incrbyfloat", cmdIncrbyfloat);
}

}  // namespace gearsd::store
