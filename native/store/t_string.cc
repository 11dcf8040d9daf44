// String commands. Each command is a handler that parses its arguments and replies;
// the data operations it needs are small functions above it that know nothing of replies.
//
// GET, SET and INCR are the hot path: they work on views of the arguments and of the
// stored value, and format numbers into stack buffers, so a call allocates nothing
// beyond the key entry itself. APPEND and SETRANGE grow the value in place
// (KeyEntry::mutableString), amortised like Redis's sds.
#include "store/t_string.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "store/args.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"
#include "store/tuning.h"

namespace gearsd::store {

// ---- encodings, as OBJECT sees them --------------------------------------------------------

namespace {
constexpr size_t kEmbstrSizeLimit = 44;      // Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT
constexpr int64_t kSharedIntegers = 10000;   // Redis's OBJ_SHARED_INTEGERS

// tryObjectEncoding's test: at most 20 bytes that read back as a 64-bit integer.
bool looksLikeInt(std::string_view v, int64_t& n) { return v.size() <= 20 && parseInt64(v, n); }
}  // namespace

const char* stringEncodingName(const KeyEntry& e) {
  std::string_view v = e.str();
  int64_t n;
  switch (e.strEnc) {
    case StrEncoding::Raw: return "raw";
    case StrEncoding::IntUnshared: return "int";
    case StrEncoding::EmbstrOrRaw: break;
    case StrEncoding::Auto:
      if (looksLikeInt(v, n)) return "int";
      break;
  }
  return v.size() <= kEmbstrSizeLimit ? "embstr" : "raw";
}

bool stringIsSharedInteger(const KeyEntry& e) {
  int64_t n;
  return e.strEnc == StrEncoding::Auto && looksLikeInt(e.str(), n) && n >= 0 && n < kSharedIntegers;
}

StrEncoding stringEncodingOfCopy(const KeyEntry& e) {
  return stringIsSharedInteger(e) ? StrEncoding::IntUnshared : e.strEnc;
}

// ---- shared with the other string-valued families (t_string.h) --------------------------

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

bool checkStringLengthOrReply(CommandContext& c, uint64_t size, uint64_t append) {
  uint64_t total = size + append;
  uint64_t limit = std::min<uint64_t>(static_cast<uint64_t>(tuning().protoMaxBulkLen), UINT32_MAX - 1);
  if (total > limit || total < size) {
    c.reply.error(err::kStringTooLong);
    return false;
  }
  return true;
}

namespace {

// ---- shared helpers ------------------------------------------------------------------------

// The common tail of every string write.
void stringWritten(CommandContext& c, std::string_view key, const char* event) {
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyString, event, *c.db, key);
  c.store.addDirty();
}

void replyInvalidExpire(CommandContext& c, const char* cmd) {
  c.reply.error(std::string("ERR invalid expire time in '") + cmd + "' command");
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

// Parses SET/GETEX options starting at argv[first]; replies a syntax error on failure.
// `forGetex` accepts PERSIST and refuses NX/XX/KEEPTTL/GET as Redis's GETEX does. An
// option may repeat (SET k v EX 1 EX 2: the last wins); only conflicting ones are refused.
bool parseSetOptionsOrReply(CommandContext& c, size_t first, bool forGetex, uint32_t& flags,
                            std::string_view& expireArg) {
  for (size_t j = first; j < c.argc(); j++) {
    std::string_view a = c.arg(j);
    bool hasNext = j + 1 < c.argc();
    uint32_t expireFlag = 0;
    if (argIs(a, "ex")) expireFlag = kSetEx;
    else if (argIs(a, "px")) expireFlag = kSetPx;
    else if (argIs(a, "exat")) expireFlag = kSetExat;
    else if (argIs(a, "pxat")) expireFlag = kSetPxat;
    if (!forGetex && argIs(a, "nx") && !(flags & kSetXx)) {
      flags |= kSetNx;
    } else if (!forGetex && argIs(a, "xx") && !(flags & kSetNx)) {
      flags |= kSetXx;
    } else if (!forGetex && argIs(a, "get")) {
      flags |= kSetGet;
    } else if (!forGetex && argIs(a, "keepttl") && !(flags & (kAnyExpire | kSetPersist))) {
      flags |= kSetKeepTtl;
    } else if (forGetex && argIs(a, "persist") && !(flags & (kAnyExpire | kSetKeepTtl))) {
      flags |= kSetPersist;
    } else if (expireFlag && hasNext && !(flags & ((kAnyExpire & ~expireFlag) | kSetKeepTtl | kSetPersist))) {
      flags |= expireFlag;
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
  if (!parseInt64OrReply(c, arg, v)) return false;
  bool seconds = flags & (kSetEx | kSetExat);
  bool relative = flags & (kSetEx | kSetPx);
  if (v <= 0 || (seconds && v > INT64_MAX / 1000)) {
    replyInvalidExpire(c, cmd);
    return false;
  }
  if (seconds) v *= 1000;
  if (relative) {
    if (v > INT64_MAX - c.now) {
      replyInvalidExpire(c, cmd);
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
    e ? c.reply.bulk(e->str()) : c.reply.nullBulk();
  } else {
    e = c.store.lookupWrite(*c.db, key, c.now);
  }
  if ((flags & kSetNx && e) || (flags & kSetXx && !e)) {
    if (!(flags & kSetGet)) replyOk ? c.reply.nullBulk() : c.reply.integer(0);
    return;
  }

  e = c.store.setString(*c.db, key, value, flags & kSetKeepTtl, c.now);
  stringWritten(c, key, "set");
  if (flags & kAnyExpire) {
    c.store.setExpire(*c.db, e, when);
    c.store.notify(kNotifyGeneric, "expire", *c.db, key);
  }
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

// ---- GETSET, GETDEL, GETEX ----------------------------------------------------------------

void cmdGetset(CommandContext& c) {
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  e ? c.reply.bulk(e->str()) : c.reply.nullBulk();
  c.store.setString(*c.db, c.arg(1), c.arg(2), false, c.now);
  stringWritten(c, c.arg(1), "set");
}

// Deletes a key a command has just read, as a user deletion (event "del").
void deleteAfterRead(CommandContext& c, KeyEntry* e, std::string_view key) {
  c.store.deleteEntry(*c.db, e);
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyGeneric, "del", *c.db, key);
  c.store.addDirty();
}

void cmdGetdel(CommandContext& c) {
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  if (!e) return c.reply.nullBulk();
  c.reply.bulk(e->str());
  deleteAfterRead(c, e, c.arg(1));
}

void cmdGetex(CommandContext& c) {
  uint32_t flags = 0;
  std::string_view expireArg;
  if (!parseSetOptionsOrReply(c, 2, true, flags, expireArg)) return;
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupStringOrReply(c, key, e)) return;
  if (!e) return c.reply.nullBulk();
  int64_t when = 0;
  if ((flags & kAnyExpire) && !expireFromArgOrReply(c, flags, expireArg, "getex", when)) return;

  c.reply.bulk(e->str());
  if ((flags & (kSetExat | kSetPxat)) && when <= c.now) {
    // An absolute time already past deletes the key, as EXPIREAT does.
    deleteAfterRead(c, e, key);
  } else if (flags & kAnyExpire) {
    c.store.setExpire(*c.db, e, when);
    c.store.signalModifiedKey(*c.db, key);
    c.store.notify(kNotifyGeneric, "expire", *c.db, key);
    c.store.addDirty();
  } else if ((flags & kSetPersist) && c.store.removeExpire(*c.db, e)) {
    c.store.signalModifiedKey(*c.db, key);
    c.store.notify(kNotifyGeneric, "persist", *c.db, key);
    c.store.addDirty();
  }
}

// ---- APPEND, STRLEN, GETRANGE, SETRANGE ----------------------------------------------------

void cmdAppend(CommandContext& c) {
  std::string_view key = c.arg(1), tail = c.arg(2);
  KeyEntry* e;
  if (!lookupStringForWriteOrReply(c, key, e)) return;
  size_t total;
  if (!e) {
    c.store.addString(*c.db, key, tail);
    total = tail.size();
  } else {
    size_t len = e->str().size();
    if (!checkStringLengthOrReply(c, len, tail.size())) return;
    StrBuf* b = e->mutableString(len + tail.size());
    if (!tail.empty()) std::memcpy(b->data + len, tail.data(), tail.size());
    b->len = static_cast<uint32_t>(len + tail.size());
    total = b->len;
  }
  stringWritten(c, key, "append");
  c.reply.integer(static_cast<int64_t>(total));
}

void cmdStrlen(CommandContext& c) {
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  c.reply.integer(e ? static_cast<int64_t>(e->str().size()) : 0);
}

// GETRANGE and SUBSTR: inclusive byte range with negative indexes from the end.
void cmdGetrange(CommandContext& c) {
  int64_t start, end;
  if (!parseInt64OrReply(c, c.arg(2), start) || !parseInt64OrReply(c, c.arg(3), end)) return;
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  if (!e) return c.reply.bulk({});
  std::string_view v = e->str();
  int64_t len = static_cast<int64_t>(v.size());
  if (start < 0 && end < 0 && start > end) return c.reply.bulk({});
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len == 0 || start > end) return c.reply.bulk({});
  c.reply.bulk(v.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

void cmdSetrange(CommandContext& c) {
  std::string_view key = c.arg(1), patch = c.arg(3);
  int64_t offset;
  if (!parseInt64OrReply(c, c.arg(2), offset)) return;
  if (offset < 0) return c.reply.error("ERR offset is out of range");
  KeyEntry* e;
  if (!lookupStringForWriteOrReply(c, key, e)) return;
  size_t len = 0;
  if (!e) {
    if (patch.empty()) return c.reply.integer(0);  // nothing to set: no key is created
    if (!checkStringLengthOrReply(c, static_cast<uint64_t>(offset), patch.size())) return;
    e = c.store.addString(*c.db, key, {});
  } else {
    len = e->str().size();
    if (patch.empty()) return c.reply.integer(static_cast<int64_t>(len));
    if (!checkStringLengthOrReply(c, static_cast<uint64_t>(offset), patch.size())) return;
  }
  size_t off = static_cast<size_t>(offset);
  size_t newLen = std::max(len, off + patch.size());
  StrBuf* b = e->mutableString(newLen);
  if (off > len) std::memset(b->data + len, 0, off - len);
  std::memcpy(b->data + off, patch.data(), patch.size());
  b->len = static_cast<uint32_t>(newLen);
  stringWritten(c, key, "setrange");
  c.reply.integer(static_cast<int64_t>(newLen));
}

// ---- LCS ----------------------------------------------------------------------------------

// The longest common subsequence by the textbook dynamic programme, as Redis computes it
// (same table, same walk back), so IDX reports the very same ranges.
class LcsTable {
 public:
  LcsTable(std::string_view a, std::string_view b) : a_(a), b_(b), cols_(b.size() + 1) {}
  ~LcsTable() { std::free(cells_); }
  LcsTable(const LcsTable&) = delete;
  LcsTable& operator=(const LcsTable&) = delete;

  uint64_t bytes() const { return static_cast<uint64_t>(a_.size() + 1) * cols_ * sizeof(uint32_t); }
  bool allocate() {
    cells_ = static_cast<uint32_t*>(std::malloc(bytes()));
    return cells_ != nullptr;
  }
  void fill() {
    for (size_t i = 0; i <= a_.size(); i++)
      for (size_t j = 0; j <= b_.size(); j++) {
        if (i == 0 || j == 0) at(i, j) = 0;
        else if (a_[i - 1] == b_[j - 1]) at(i, j) = at(i - 1, j - 1) + 1;
        else at(i, j) = std::max(at(i - 1, j), at(i, j - 1));
      }
  }
  uint32_t& at(size_t i, size_t j) { return cells_[i * cols_ + j]; }
  uint32_t length() { return at(a_.size(), b_.size()); }

 private:
  std::string_view a_, b_;
  size_t cols_;
  uint32_t* cells_ = nullptr;
};

void cmdLcs(CommandContext& c) {
  KeyEntry* ea = c.store.lookupRead(*c.db, c.arg(1), c.now);
  KeyEntry* eb = c.store.lookupRead(*c.db, c.arg(2), c.now);
  // The second lookup may have run registrations (an expiry event): look the first up again.
  ea = ea ? c.store.peek(*c.db, c.arg(1)) : nullptr;
  if ((ea && ea->type != ValueType::String) || (eb && eb->type != ValueType::String))
    return c.reply.error("ERR The specified keys must contain string values");
  std::string_view a = ea ? ea->str() : std::string_view{};
  std::string_view b = eb ? eb->str() : std::string_view{};

  bool getLen = false, getIdx = false, withMatchLen = false;
  int64_t minMatchLen = 0;
  for (size_t j = 3; j < c.argc(); j++) {
    std::string_view opt = c.arg(j);
    bool moreArgs = j + 1 < c.argc();
    if (argIs(opt, "idx")) {
      getIdx = true;
    } else if (argIs(opt, "len")) {
      getLen = true;
    } else if (argIs(opt, "withmatchlen")) {
      withMatchLen = true;
    } else if (argIs(opt, "minmatchlen") && moreArgs) {
      if (!parseInt64OrReply(c, c.arg(++j), minMatchLen)) return;
      if (minMatchLen < 0) minMatchLen = 0;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }
  if (getLen && getIdx) return c.reply.error("ERR If you want both the length and indexes, please just use IDX.");
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) return c.reply.error("ERR String too long for LCS");

  LcsTable t(a, b);
  if (t.bytes() > static_cast<uint64_t>(tuning().protoMaxBulkLen))
    return c.reply.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  if (!t.allocate()) return c.reply.error("ERR Insufficient memory, failed allocating transient memory for LCS");
  t.fill();
  uint32_t total = t.length();
  if (getLen) return c.reply.integer(total);

  // Walk back from the end, collecting the subsequence and (for IDX) the matching ranges,
  // last range first, as Redis emits them.
  std::string result(total, '\0');
  uint32_t idx = total;
  size_t i = a.size(), j = b.size();
  size_t aStart = a.size(), aEnd = 0, bStart = 0, bEnd = 0;  // aStart == a.size(): no open range
  size_t ranges = 0;
  if (getIdx) {
    c.reply.mapHeader(2);
    c.reply.bulk("matches");
    c.reply.beginDeferredArray();
  }
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      result[idx - 1] = a[i - 1];
      if (aStart == a.size()) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart == i && bStart == j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart == 0 || bStart == 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (t.at(i - 1, j) > t.at(i, j - 1)) i--;
      else j--;
      if (aStart != a.size()) emit = true;
    }
    if (emit) {
      uint64_t matchLen = aEnd - aStart + 1;
      if (getIdx && (minMatchLen == 0 || matchLen >= static_cast<uint64_t>(minMatchLen))) {
        c.reply.arrayHeader(withMatchLen ? 3 : 2);
        c.reply.arrayHeader(2);
        c.reply.integer(static_cast<int64_t>(aStart));
        c.reply.integer(static_cast<int64_t>(aEnd));
        c.reply.arrayHeader(2);
        c.reply.integer(static_cast<int64_t>(bStart));
        c.reply.integer(static_cast<int64_t>(bEnd));
        if (withMatchLen) c.reply.integer(static_cast<int64_t>(matchLen));
        ranges++;
      }
      aStart = a.size();
    }
  }
  if (getIdx) {
    c.reply.endDeferredArray(ranges);
    c.reply.bulk("len");
    c.reply.integer(total);
  } else {
    c.reply.bulk(result);
  }
}

// ---- INCR family -----------------------------------------------------------------------------

// INCR, DECR, INCRBY, DECRBY: all fire "incrby", as Redis does.
void incrGeneric(CommandContext& c, int64_t by) {
  KeyEntry* e;
  if (!lookupStringForWriteOrReply(c, c.arg(1), e)) return;
  int64_t cur = 0;
  if (e && !parseInt64(e->str(), cur)) return c.reply.error(err::kNotInteger);
  if ((by < 0 && cur < 0 && by < INT64_MIN - cur) || (by > 0 && cur > 0 && by > INT64_MAX - cur))
    return c.reply.error(err::kOverflow);
  int64_t v = cur + by;
  char buf[kInt64Chars];
  std::string_view s(buf, formatInt64(v, buf));
  if (e) e->setString(s);  // keeps the TTL, as Redis does
  else c.store.addString(*c.db, c.arg(1), s);
  stringWritten(c, c.arg(1), "incrby");
  c.reply.integer(v);
}

void cmdIncr(CommandContext& c) { incrGeneric(c, 1); }
void cmdDecr(CommandContext& c) { incrGeneric(c, -1); }

void cmdIncrby(CommandContext& c) {
  int64_t by;
  if (!parseInt64OrReply(c, c.arg(2), by)) return;
  incrGeneric(c, by);
}

void cmdDecrby(CommandContext& c) {
  int64_t by;
  if (!parseInt64OrReply(c, c.arg(2), by)) return;
  if (by == INT64_MIN) return c.reply.error("ERR decrement would overflow");
  incrGeneric(c, -by);
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
  else e = c.store.addString(*c.db, c.arg(1), s);
  e->strEnc = StrEncoding::EmbstrOrRaw;  // a fresh string object, never int-encoded
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
  r.add("getset", cmdGetset);
  r.add("getdel", cmdGetdel);
  r.add("getex", cmdGetex);
  r.add("append", cmdAppend);
  r.add("strlen", cmdStrlen);
  r.add("getrange", cmdGetrange);
  r.add("substr", cmdGetrange);
  r.add("setrange", cmdSetrange);
  r.add("lcs", cmdLcs);
  r.add("incr", cmdIncr);
  r.add("decr", cmdDecr);
  r.add("incrby", cmdIncrby);
  r.add("decrby", cmdDecrby);
  r.add("incrbyfloat", cmdIncrbyfloat);
}

}  // namespace gearsd::store
