// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, and the debugging PFDEBUG and
// PFSELFTEST. The value format and the estimator are in hyperloglog.h.
//
// An HLL is a string value: a dense one is changed in place (its 12 KB are never copied
// on PFADD); a sparse one (at most hll-sparse-max-bytes) is edited in a copy that is
// written back. A string that is not an HLL answers Redis's WRONGTYPE text, a corrupt
// one "INVALIDOBJ Corrupted HLL object detected"; neither can make a command read or
// write outside the value.
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "store/args.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/hyperloglog.h"
#include "store/t_string.h"
#include "store/tuning.h"

namespace gearsd::store {

namespace {

constexpr const char* kInvalidHll = "INVALIDOBJ Corrupted HLL object detected";
constexpr const char* kNotHll = "WRONGTYPE Key is not a valid HyperLogLog string value.";

size_t sparseMaxBytes() { return static_cast<size_t>(std::max<int64_t>(tuning().hllSparseMaxBytes, 0)); }

// Redis's isHLLObjectOrReply: a string whose header makes it an HLL.
bool hllOrReply(CommandContext& c, KeyEntry* e) {
  if (e->type != ValueType::String) {
    c.reply.error(err::kWrongType);
    return false;
  }
  if (!hll::looksValid(e->str())) {
    c.reply.error(kNotHll);
    return false;
  }
  return true;
}

// The value as a writable buffer; like Redis's dbUnshareStringValue this makes the
// string's encoding "raw".
char* writable(KeyEntry* e) { return e->mutableString(e->str().size())->data; }

// Replaces the bytes of e's value, keeping the key, its TTL and encoding "raw".
void writeBack(KeyEntry* e, const std::string& v) {
  StrBuf* b = e->mutableString(v.size());
  std::memcpy(b->data, v.data(), v.size());
  b->len = static_cast<uint32_t>(v.size());
}

KeyEntry* addEmptyHll(CommandContext& c, std::string_view key) {
  KeyEntry* e = c.store.addString(*c.db, key, hll::emptyValue());
  e->strEnc = StrEncoding::Raw;  // Redis creates it as a raw string object
  return e;
}

void hllWritten(CommandContext& c, std::string_view key, uint64_t dirty) {
  c.store.signalModifiedKey(*c.db, key);
  c.store.notify(kNotifyString, "pfadd", *c.db, key);
  c.store.addDirty(dirty);
}

// ---- PFADD --------------------------------------------------------------------------------

void cmdPfadd(CommandContext& c) {
  std::string_view key = c.arg(1);
  KeyEntry* e = c.store.lookupWrite(*c.db, key, c.now);
  uint64_t updated = 0;
  if (!e) {
    e = addEmptyHll(c, key);
    updated++;
  } else if (!hllOrReply(c, e)) {
    return;
  }
  bool failed = false;
  if (hll::encodingOf(e->str()) == hll::kDense) {
    auto* regs = reinterpret_cast<unsigned char*>(writable(e) + hll::kHeaderSize);
    for (size_t j = 2; j < c.argc(); j++) updated += static_cast<uint64_t>(hll::denseAdd(regs, c.arg(j)));
  } else {
    std::string v(e->str());
    size_t limit = sparseMaxBytes();
    for (size_t j = 2; j < c.argc() && !failed; j++) {
      int r = hll::add(v, c.arg(j), limit);
      if (r < 0) failed = true;
      else updated += static_cast<uint64_t>(r);
    }
    writeBack(e, v);  // a corrupt value keeps what was done before the error, as in Redis
  }
  if (failed) return c.reply.error(kInvalidHll);
  if (updated) {
    hll::invalidateCache(writable(e));
    hllWritten(c, key, updated);
  }
  c.reply.integer(updated ? 1 : 0);
}

// ---- PFCOUNT ------------------------------------------------------------------------------

// The union of several HLLs, register by register. False after replying an error.
bool unionOrReply(CommandContext& c, size_t first, uint8_t* max, bool* anyDense) {
  for (size_t j = first; j < c.argc(); j++) {
    KeyEntry* e = c.store.lookupRead(*c.db, c.arg(j), c.now);
    if (!e) continue;  // a missing key is an empty HLL
    if (!hllOrReply(c, e)) return false;
    std::string_view v = e->str();
    if (hll::encodingOf(v) == hll::kDense) *anyDense = true;
    if (!hll::mergeInto(max, v)) {
      c.reply.error(kInvalidHll);
      return false;
    }
  }
  return true;
}

void cmdPfcount(CommandContext& c) {
  if (c.argc() > 2) {
    std::vector<uint8_t> max(hll::kRegisters, 0);
    bool anyDense = false;
    if (!unionOrReply(c, 1, max.data(), &anyDense)) return;
    return c.reply.integer(static_cast<int64_t>(hll::countRaw(max.data())));
  }
  std::string_view key = c.arg(1);
  KeyEntry* e = c.store.lookupRead(*c.db, key, c.now);
  if (!e) return c.reply.integer(0);
  if (!hllOrReply(c, e)) return;
  char* v = writable(e);
  std::string_view value(v, e->str().size());
  if (hll::cacheValid(value)) return c.reply.integer(static_cast<int64_t>(hll::cachedCount(value)));
  bool invalid = false;
  uint64_t n = hll::count(value, &invalid);
  if (invalid) return c.reply.error(kInvalidHll);
  // Caching the count changes the value: a write as far as WATCH and replicas go, but
  // no keyspace event, as in Redis.
  hll::setCachedCount(v, n);
  c.store.signalModifiedKey(*c.db, key);
  c.store.addDirty();
  c.reply.integer(static_cast<int64_t>(n));
}

// ---- PFMERGE ------------------------------------------------------------------------------

void cmdPfmerge(CommandContext& c) {
  std::vector<uint8_t> max(hll::kRegisters, 0);
  bool anyDense = false;
  // The destination is argv[1], itself one of the inputs.
  if (!unionOrReply(c, 1, max.data(), &anyDense)) return;

  std::string_view key = c.arg(1);
  KeyEntry* e = c.store.lookupWrite(*c.db, key, c.now);
  if (!e) e = addEmptyHll(c, key);
  else if (!hllOrReply(c, e)) return;  // only if a registration changed it meanwhile
  std::string v(e->str());
  if (anyDense && !hll::toDense(v)) return c.reply.error(kInvalidHll);
  size_t limit = sparseMaxBytes();
  for (long i = 0; i < hll::kRegisters; i++)
    if (max[i]) hll::set(v, i, max[i], limit);
  hll::invalidateCache(v.data());
  writeBack(e, v);
  hllWritten(c, key, 1);  // PFMERGE fires "pfadd", as in Redis
  c.reply.ok();
}

// ---- PFDEBUG PFSELFTEST -------------------------------------------------------------------

void cmdPfdebug(CommandContext& c) {
  std::string_view sub = c.arg(1), key = c.arg(2);
  KeyEntry* e = c.store.lookupWrite(*c.db, key, c.now);
  if (!e) return c.reply.error("ERR The specified key does not exist");
  if (!hllOrReply(c, e)) return;
  writable(e);
  std::string_view v = e->str();
  bool dense = hll::encodingOf(v) == hll::kDense;

  if (argIs(sub, "getreg") || argIs(sub, "todense")) {
    bool converted = false;
    if (!dense) {
      std::string d(v);
      if (!hll::toDense(d)) return c.reply.error(kInvalidHll);
      writeBack(e, d);
      c.store.addDirty();
      converted = true;
    }
    if (argIs(sub, "todense")) return c.reply.integer(converted ? 1 : 0);
    const auto* regs = reinterpret_cast<const unsigned char*>(e->str().data() + hll::kHeaderSize);
    c.reply.arrayHeader(hll::kRegisters);
    for (long i = 0; i < hll::kRegisters; i++) c.reply.integer(hll::getRegister(regs, i));
  } else if (argIs(sub, "decode")) {
    if (dense) return c.reply.error("ERR HLL encoding is not sparse");
    c.reply.bulk(hll::describeSparse(v));
  } else if (argIs(sub, "encoding")) {
    c.reply.simple(dense ? "dense" : "sparse");
  } else {
    // Redis formats the name with %s: it ends at a NUL byte.
    c.reply.error("ERR Unknown PFDEBUG subcommand '" + std::string(sub.substr(0, sub.find('\0'))) + "'");
  }
}

// Redis's self test: the dense register packing, then the estimate's error at 1, 10,
// 100... 10^7 distinct elements, in a dense and a sparse HLL that must agree.
void cmdPfselftest(CommandContext& c) {
  std::mt19937_64 rng(c.store.rng()());
  std::string dense = hll::emptyValue();
  if (!hll::toDense(dense)) return c.reply.error("ERR TESTFAILED");
  auto* regs = reinterpret_cast<unsigned char*>(dense.data() + hll::kHeaderSize);
  std::vector<uint8_t> expect(hll::kRegisters);
  for (int round = 0; round < 1000; round++) {
    for (long i = 0; i < hll::kRegisters; i++) {
      expect[i] = static_cast<uint8_t>(rng() & 63);
      hll::setRegister(regs, i, expect[i]);
    }
    for (long i = 0; i < hll::kRegisters; i++) {
      uint8_t got = hll::getRegister(regs, i);
      if (got != expect[i])
        return c.reply.error("ERR TESTFAILED Register " + std::to_string(i) + " should be " + std::to_string(expect[i]) +
                             " but is " + std::to_string(got));
    }
  }

  std::memset(regs, 0, hll::kDenseSize - hll::kHeaderSize);
  std::string sparse = hll::emptyValue();
  size_t limit = sparseMaxBytes();
  double relerr = 1.04 / std::sqrt(static_cast<double>(hll::kRegisters));
  uint64_t seed = rng(), checkpoint = 1;
  for (uint64_t j = 1; j <= 10000000; j++) {
    uint64_t ele = j ^ seed;
    std::string_view bytes(reinterpret_cast<const char*>(&ele), sizeof ele);
    hll::denseAdd(regs, bytes);
    hll::add(sparse, bytes, limit);
    if (j != checkpoint) continue;
    if (j < limit / 2 && hll::encodingOf(sparse) != hll::kSparse)
      return c.reply.error("ERR TESTFAILED sparse encoding not used");
    uint64_t n = hll::count(dense, nullptr);
    if (n != hll::count(sparse, nullptr)) return c.reply.error("ERR TESTFAILED dense/sparse disagree");
    auto abserr = static_cast<int64_t>(checkpoint) - static_cast<int64_t>(n);
    auto maxerr = static_cast<uint64_t>(std::ceil(relerr * 6 * static_cast<double>(checkpoint)));
    if (j == 10) maxerr = 1;  // small counts collide now and then
    if (abserr < 0) abserr = -abserr;
    if (abserr > static_cast<int64_t>(maxerr))
      return c.reply.error("ERR TESTFAILED Too big error. card:" + std::to_string(checkpoint) +
                           " abserr:" + std::to_string(abserr));
    checkpoint *= 10;
  }
  c.reply.ok();
}

}  // namespace

void registerHyperLogLogFamily(CommandRegistry& r) {
  r.add("pfadd", cmdPfadd);
  r.add("pfcount", cmdPfcount);
  r.add("pfmerge", cmdPfmerge);
  r.add("pfdebug", cmdPfdebug);
  r.add("pfselftest", cmdPfselftest);
}

}  // namespace gearsd::store
