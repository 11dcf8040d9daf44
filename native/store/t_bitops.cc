// Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
//
// A bitmap is an ordinary string value; bit 0 is the most significant bit of byte 0.
// Writes grow the string in place with zero bytes (KeyEntry::mutableString), which also
// makes its encoding "raw" as Redis's dbUnshareStringValue does. Offsets are bounded by
// proto-max-bulk-len, as in Redis. The bit-level work is in bits.h.
//
// Redis 7.0's order of checks is kept, because it shows in replies: BITCOUNT and BITPOS
// look the key up before reading their range arguments (a missing key answers 0 or -1
// whatever they say), BITFIELD parses every operation before touching the key.
#include <cstring>
#include <string>
#include <vector>

#include "store/args.h"
#include "store/bits.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"
#include "store/t_string.h"
#include "store/tuning.h"

namespace gearsd::store {

namespace {

constexpr const char* kBadOffset = "ERR bit offset is not an integer or out of range";
constexpr const char* kBadBitfieldType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

const unsigned char* bytesOf(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// A bit offset argument (Redis's getBitOffsetFromArgument). With `bits` > 0 a leading '#'
// counts in fields of that width: "#2" with u8 is bit 16.
bool bitOffsetOrReply(CommandContext& c, std::string_view arg, unsigned bits, uint64_t& out) {
  bool hash = bits > 0 && !arg.empty() && arg[0] == '#';
  int64_t v;
  if (!parseInt64(hash ? arg.substr(1) : arg, v)) {
    c.reply.error(kBadOffset);
    return false;
  }
  // Redis multiplies in a signed long long; it wraps on every platform it runs on.
  if (hash) v = static_cast<int64_t>(static_cast<uint64_t>(v) * bits);
  if (v < 0 || (v >> 3) >= tuning().protoMaxBulkLen) {
    c.reply.error(kBadOffset);
    return false;
  }
  out = static_cast<uint64_t>(v);
  return true;
}

// "i1".."i64" or "u1".."u63". Redis reads the width as a C string: it ends at a NUL byte.
bool bitfieldTypeOrReply(CommandContext& c, std::string_view arg, bool& isSigned, unsigned& bits) {
  if (arg.empty() || (arg[0] != 'i' && arg[0] != 'u')) {
    c.reply.error(kBadBitfieldType);
    return false;
  }
  isSigned = arg[0] == 'i';
  std::string_view width = arg.substr(1);
  width = width.substr(0, width.find('\0'));
  int64_t n;
  if (!parseInt64(width, n) || n < 1 || n > (isSigned ? 64 : 63)) {
    c.reply.error(kBadBitfieldType);
    return false;
  }
  bits = static_cast<unsigned>(n);
  return true;
}

// The string at argv[1] for a bit write, created or grown with zero bytes so that bit
// `maxbit` exists (Redis's lookupStringForBitCommand). Null after replying an error.
// *grown says whether the key was created or got longer.
StrBuf* bitmapForWriteOrReply(CommandContext& c, uint64_t maxbit, bool* grown) {
  std::string_view key = c.arg(1);
  KeyEntry* e;
  if (!lookupStringForWriteOrReply(c, key, e)) return nullptr;
  uint64_t need = (maxbit >> 3) + 1;
  if (need > UINT32_MAX - 1) {  // our strings have 32-bit lengths
    c.reply.error(err::kStringTooLong);
    return nullptr;
  }
  if (!e) e = c.store.addString(*c.db, key, {});
  size_t len = e->str().size();
  StrBuf* b = e->mutableString(std::max<size_t>(len, need));
  *grown = len < need;
  if (len < need) {
    std::memset(b->data + len, 0, need - len);
    b->len = static_cast<uint32_t>(need);
  }
  return b;
}

void bitmapWritten(CommandContext& c, uint64_t changes) {
  c.store.signalModifiedKey(*c.db, c.arg(1));
  c.store.notify(kNotifyString, "setbit", *c.db, c.arg(1));
  c.store.addDirty(changes);
}

// A range in bytes or bits, as BITCOUNT and BITPOS read it: "BYTE" (the default) or "BIT".
bool rangeUnitOrReply(CommandContext& c, std::string_view arg, bool& isBit) {
  if (argIs(arg, "bit")) isBit = true;
  else if (argIs(arg, "byte")) isBit = false;
  else {
    c.reply.error(err::kSyntax);
    return false;
  }
  return true;
}

// Clamps [start, end] (negative: from the end) to a string of `total` units, as Redis does.
void clampRange(int64_t total, int64_t& start, int64_t& end) {
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
}

// ---- SETBIT GETBIT ------------------------------------------------------------------------

void cmdSetbit(CommandContext& c) {
  uint64_t offset;
  if (!bitOffsetOrReply(c, c.arg(2), 0, offset)) return;
  int64_t on;
  if (!parseInt64(c.arg(3), on) || (on & ~int64_t{1})) return c.reply.error("ERR bit is not an integer or out of range");
  bool grown;
  StrBuf* b = bitmapForWriteOrReply(c, offset, &grown);
  if (!b) return;
  auto& byte = reinterpret_cast<unsigned char&>(b->data[offset >> 3]);
  unsigned shift = 7 - (offset & 7);
  int old = (byte >> shift) & 1;
  if (grown || old != on) {
    byte = static_cast<unsigned char>((byte & ~(1u << shift)) | (static_cast<unsigned>(on) << shift));
    bitmapWritten(c, 1);
  }
  c.reply.integer(old);
}

void cmdGetbit(CommandContext& c) {
  uint64_t offset;
  if (!bitOffsetOrReply(c, c.arg(2), 0, offset)) return;
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  if (!e) return c.reply.integer(0);
  std::string_view v = e->str();
  uint64_t byte = offset >> 3;
  c.reply.integer(byte < v.size() ? (bytesOf(v)[byte] >> (7 - (offset & 7))) & 1 : 0);
}

// ---- BITCOUNT BITPOS ----------------------------------------------------------------------

// Set bits of v between two bit positions, both inclusive.
uint64_t countBits(std::string_view v, uint64_t first, uint64_t last) {
  const unsigned char* p = bytesOf(v);
  uint64_t fb = first >> 3, lb = last >> 3;
  uint64_t n = bits::popcount(p + fb, lb - fb + 1);
  // Take away the bits of the edge bytes that lie outside the range.
  unsigned char head = p[fb] & static_cast<unsigned char>(~(0xffu >> (first & 7)));
  unsigned char tail = p[lb] & static_cast<unsigned char>((1u << (7 - (last & 7))) - 1);
  return n - static_cast<uint64_t>(__builtin_popcount(head)) - static_cast<uint64_t>(__builtin_popcount(tail));
}

void cmdBitcount(CommandContext& c) {
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  if (!e) return c.reply.integer(0);
  std::string_view v = e->str();
  auto len = static_cast<int64_t>(v.size());
  int64_t start = 0, end = len - 1;
  bool isBit = false;
  if (c.argc() == 4 || c.argc() == 5) {
    if (!parseInt64OrReply(c, c.arg(2), start) || !parseInt64OrReply(c, c.arg(3), end)) return;
    if (c.argc() == 5 && !rangeUnitOrReply(c, c.arg(4), isBit)) return;
    if (start < 0 && end < 0 && start > end) return c.reply.integer(0);
    clampRange(isBit ? len * 8 : len, start, end);
  } else if (c.argc() != 2) {
    return c.reply.error(err::kSyntax);
  }
  if (start > end) return c.reply.integer(0);
  uint64_t first = isBit ? start : start * 8, last = isBit ? end : end * 8 + 7;
  c.reply.integer(static_cast<int64_t>(countBits(v, first, last)));
}

// The first bit equal to `bit` between two bit positions (inclusive), or -1.
int64_t findBit(std::string_view v, uint64_t first, uint64_t last, int bit) {
  const unsigned char* p = bytesOf(v);
  uint64_t fb = first >> 3, lb = last >> 3;
  // Mask the edge bytes so that bits outside the range never match: as the opposite value.
  auto masked = [&](uint64_t i) {
    unsigned char outside = 0;
    if (i == fb) outside |= static_cast<unsigned char>(~(0xffu >> (first & 7)));
    if (i == lb) outside |= static_cast<unsigned char>((1u << (7 - (last & 7))) - 1);
    return bit ? static_cast<unsigned char>(p[i] & ~outside) : static_cast<unsigned char>(p[i] | outside);
  };
  unsigned char b = masked(fb);
  int64_t pos = bits::firstBit(&b, 1, bit);
  if (pos >= 0 && pos < 8) return static_cast<int64_t>(fb * 8) + pos;
  if (fb == lb) return -1;
  if (lb > fb + 1) {
    pos = bits::firstBit(p + fb + 1, lb - fb - 1, bit);
    if (pos >= 0 && static_cast<uint64_t>(pos) < (lb - fb - 1) * 8) return static_cast<int64_t>((fb + 1) * 8) + pos;
  }
  b = masked(lb);
  pos = bits::firstBit(&b, 1, bit);
  return pos >= 0 && pos < 8 ? static_cast<int64_t>(lb * 8) + pos : -1;
}

void cmdBitpos(CommandContext& c) {
  int64_t bit;
  if (!parseInt64OrReply(c, c.arg(2), bit)) return;
  if (bit != 0 && bit != 1) return c.reply.error("ERR The bit argument must be 1 or 0.");
  KeyEntry* e;
  if (!lookupStringOrReply(c, c.arg(1), e)) return;
  if (!e) return c.reply.integer(bit ? -1 : 0);
  std::string_view v = e->str();
  auto len = static_cast<int64_t>(v.size());
  int64_t start = 0, end = len - 1;
  bool isBit = false, endGiven = false;
  if (c.argc() >= 4 && c.argc() <= 6) {
    if (!parseInt64OrReply(c, c.arg(3), start)) return;
    if (c.argc() == 6 && !rangeUnitOrReply(c, c.arg(5), isBit)) return;
    if (c.argc() >= 5) {
      if (!parseInt64OrReply(c, c.arg(4), end)) return;
      endGiven = true;
    } else if (isBit) {
      end = len * 8 + 7;
    }
    clampRange(isBit ? len * 8 : len, start, end);
  } else if (c.argc() != 3) {
    return c.reply.error(err::kSyntax);
  }
  if (start > end) return c.reply.integer(-1);
  uint64_t first = isBit ? start : start * 8, last = isBit ? end : end * 8 + 7;
  int64_t pos = findBit(v, first, last, static_cast<int>(bit));
  // No clear bit in the range: without an explicit end the string counts as padded with
  // zeros, so the answer is the first bit after the range.
  if (pos < 0 && bit == 0 && !endGiven) pos = static_cast<int64_t>(last) + 1;
  c.reply.integer(pos);
}

// ---- BITOP ----------------------------------------------------------------------------------

enum class BitOp { And, Or, Xor, Not };

void cmdBitop(CommandContext& c) {
  std::string_view name = c.arg(1);
  BitOp op;
  if (argIs(name, "and")) op = BitOp::And;
  else if (argIs(name, "or")) op = BitOp::Or;
  else if (argIs(name, "xor")) op = BitOp::Xor;
  else if (argIs(name, "not")) op = BitOp::Not;
  else return c.reply.error(err::kSyntax);
  if (op == BitOp::Not && c.argc() != 4) return c.reply.error("ERR BITOP NOT must be called with a single source key.");

  // Copies: a later lookup may expire a key and run code that changes the others.
  std::vector<std::string> src;
  size_t maxLen = 0;
  for (size_t j = 3; j < c.argc(); j++) {
    KeyEntry* e;
    if (!lookupStringOrReply(c, c.arg(j), e)) return;
    src.emplace_back(e ? e->str() : std::string_view{});
    maxLen = std::max(maxLen, src.back().size());
  }

  std::string_view dst = c.arg(2);
  if (maxLen == 0) {
    if (c.store.deleteKey(*c.db, dst)) {
      c.store.signalModifiedKey(*c.db, dst);
      c.store.notify(kNotifyGeneric, "del", *c.db, dst);
      c.store.addDirty();
    }
    return c.reply.integer(0);
  }
  std::string res(maxLen, '\0');
  auto at = [&](const std::string& s, size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  for (size_t i = 0; i < maxLen; i++) {
    unsigned acc = at(src[0], i);
    if (op == BitOp::Not) acc = ~acc;
    for (size_t k = 1; k < src.size(); k++) {
      unsigned b = at(src[k], i);
      acc = op == BitOp::And ? acc & b : op == BitOp::Or ? acc | b : acc ^ b;
    }
    res[i] = static_cast<char>(acc);
  }
  KeyEntry* e = c.store.setString(*c.db, dst, res, false, c.now);
  e->strEnc = StrEncoding::Raw;  // Redis stores the result as a fresh raw string
  c.store.signalModifiedKey(*c.db, dst);
  c.store.notify(kNotifyString, "set", *c.db, dst);
  c.store.addDirty();
  c.reply.integer(static_cast<int64_t>(maxLen));
}

// ---- BITFIELD -------------------------------------------------------------------------------

struct FieldOp {
  enum Kind : uint8_t { Get, Set, Incrby } kind;
  bool isSigned;
  unsigned bits;
  bits::Overflow overflow;
  uint64_t offset;
  int64_t value;  // SET's value, INCRBY's increment
};

// Parses every operation (the first error wins, before the key is looked at).
bool parseFieldOpsOrReply(CommandContext& c, std::vector<FieldOp>& ops) {
  bits::Overflow overflow = bits::Overflow::Wrap;
  for (size_t j = 2; j < c.argc(); j++) {
    size_t rest = c.argc() - j - 1;
    std::string_view sub = c.arg(j);
    FieldOp op{};
    if (argIs(sub, "get") && rest >= 2) op.kind = FieldOp::Get;
    else if (argIs(sub, "set") && rest >= 3) op.kind = FieldOp::Set;
    else if (argIs(sub, "incrby") && rest >= 3) op.kind = FieldOp::Incrby;
    else if (argIs(sub, "overflow") && rest >= 1) {
      std::string_view how = c.arg(++j);
      if (argIs(how, "wrap")) overflow = bits::Overflow::Wrap;
      else if (argIs(how, "sat")) overflow = bits::Overflow::Sat;
      else if (argIs(how, "fail")) overflow = bits::Overflow::Fail;
      else {
        c.reply.error("ERR Invalid OVERFLOW type specified");
        return false;
      }
      continue;
    } else {
      c.reply.error(err::kSyntax);
      return false;
    }
    if (!bitfieldTypeOrReply(c, c.arg(j + 1), op.isSigned, op.bits)) return false;
    if (!bitOffsetOrReply(c, c.arg(j + 2), op.bits, op.offset)) return false;
    if (op.kind != FieldOp::Get && !parseInt64OrReply(c, c.arg(j + 3), op.value)) return false;
    op.overflow = overflow;
    ops.push_back(op);
    j += op.kind == FieldOp::Get ? 2 : 3;
  }
  return true;
}

// GET reads through a zero-padded copy of the 9 bytes a field can span, so fields past
// the end of the string (or of a missing key) read as zeros.
void replyFieldGet(CommandContext& c, std::string_view v, const FieldOp& op) {
  unsigned char buf[9] = {};
  uint64_t byte = op.offset >> 3;
  for (uint64_t i = 0; i < 9 && byte + i < v.size(); i++) buf[i] = bytesOf(v)[byte + i];
  uint64_t off = op.offset & 7;
  if (op.isSigned) c.reply.integer(bits::getSigned(buf, off, op.bits));
  else c.reply.integer(static_cast<int64_t>(bits::getUnsigned(buf, off, op.bits)));
}

enum class FieldWrite { Refused, Same, Changed };

// SET or INCRBY of one field; replies the old value (SET) or the new one (INCRBY), or a
// null when OVERFLOW FAIL refused the write.
FieldWrite applyFieldWrite(CommandContext& c, unsigned char* p, const FieldOp& op) {
  bool incr = op.kind == FieldOp::Incrby;
  if (op.isSigned) {
    int64_t old = bits::getSigned(p, op.offset, op.bits), wrapped = 0;
    int64_t next = incr ? static_cast<int64_t>(static_cast<uint64_t>(old) + static_cast<uint64_t>(op.value)) : op.value;
    int of = bits::signedOverflow(incr ? old : op.value, incr ? op.value : 0, op.bits, op.overflow, &wrapped);
    if (of && op.overflow == bits::Overflow::Fail) {
      c.reply.nullBulk();
      return FieldWrite::Refused;
    }
    if (of) next = wrapped;
    c.reply.integer(incr ? next : old);
    bits::setUnsigned(p, op.offset, op.bits, static_cast<uint64_t>(next));
    return old != next ? FieldWrite::Changed : FieldWrite::Same;
  }
  uint64_t old = bits::getUnsigned(p, op.offset, op.bits), wrapped = 0;
  uint64_t next = incr ? old + static_cast<uint64_t>(op.value) : static_cast<uint64_t>(op.value);
  int of = bits::unsignedOverflow(incr ? old : next, incr ? op.value : 0, op.bits, op.overflow, &wrapped);
  if (of && op.overflow == bits::Overflow::Fail) {
    c.reply.nullBulk();
    return FieldWrite::Refused;
  }
  if (of) next = wrapped;
  c.reply.integer(static_cast<int64_t>(incr ? next : old));
  bits::setUnsigned(p, op.offset, op.bits, next);
  return old != next ? FieldWrite::Changed : FieldWrite::Same;
}

void bitfieldGeneric(CommandContext& c, bool readonlyCommand) {
  std::vector<FieldOp> ops;
  if (!parseFieldOpsOrReply(c, ops)) return;
  uint64_t highest = 0;
  bool writes = false;
  for (const FieldOp& op : ops) {
    if (op.kind == FieldOp::Get) continue;
    writes = true;
    highest = std::max(highest, op.offset + op.bits - 1);
  }

  if (!writes) {
    KeyEntry* e;
    if (!lookupStringOrReply(c, c.arg(1), e)) return;
    std::string_view v = e ? e->str() : std::string_view{};
    c.reply.arrayHeader(ops.size());
    for (const FieldOp& op : ops) replyFieldGet(c, v, op);
    return;
  }
  if (readonlyCommand) return c.reply.error("ERR BITFIELD_RO only supports the GET subcommand");

  bool grown;
  StrBuf* b = bitmapForWriteOrReply(c, highest, &grown);
  if (!b) return;
  c.reply.arrayHeader(ops.size());
  uint64_t changes = 0;
  for (const FieldOp& op : ops) {
    if (op.kind == FieldOp::Get) {
      replyFieldGet(c, b->view(), op);
      continue;
    }
    // A write counts when it changed bits or the string grew for it; a refused one never.
    FieldWrite w = applyFieldWrite(c, reinterpret_cast<unsigned char*>(b->data), op);
    if (w == FieldWrite::Changed || (w == FieldWrite::Same && grown)) changes++;
  }
  if (changes) bitmapWritten(c, changes);
}

void cmdBitfield(CommandContext& c) { bitfieldGeneric(c, false); }
void cmdBitfieldRo(CommandContext& c) { bitfieldGeneric(c, true); }

}  // namespace

void registerBitmapFamily(CommandRegistry& r) {
  r.add("setbit", cmdSetbit);
  r.add("getbit", cmdGetbit);
  r.add("bitcount", cmdBitcount);
  r.add("bitpos", cmdBitpos);
  r.add("bitop", cmdBitop);
  r.add("bitfield", cmdBitfield);
  r.add("bitfield_ro", cmdBitfieldRo);
}

}  // namespace gearsd::store
