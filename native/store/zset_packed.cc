#include "store/zset_packed.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "store/zset_range.h"

namespace gearsd::store {

namespace {

size_t varintSize(size_t v) {
  size_t n = 1;
  while (v >= 128) {
    v >>= 7;
    n++;
  }
  return n;
}

// Forward varint: low 7 bits first, high bit set on every byte but the last.
size_t readVarint(const char* p, size_t& v) {
  v = 0;
  size_t i = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<unsigned char>(p[i++]);
    v |= static_cast<size_t>(b & 127) << shift;
    if (!(b & 128)) return i;
  }
}

void writeVarint(char* p, size_t v) {
  while (v >= 128) {
    *p++ = static_cast<char>((v & 127) | 128);
    v >>= 7;
  }
  *p = static_cast<char>(v);
}

// The backward copy ends at `end`: its last byte holds the low 7 bits and the high bit
// says more bytes precede it.
size_t readBackVarint(const char* end, size_t& v) {
  v = 0;
  size_t i = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<unsigned char>(end[-1 - static_cast<long>(i++)]);
    v |= static_cast<size_t>(b & 127) << shift;
    if (!(b & 128)) return i;
  }
}

void writeBackVarint(char* end, size_t v) {
  size_t n = varintSize(v);
  for (size_t i = 0; i < n; i++) {
    end[-1 - static_cast<long>(i)] = static_cast<char>((v & 127) | (i + 1 < n ? 128 : 0));
    v >>= 7;
  }
}

}  // namespace

PackedZSet::~PackedZSet() { std::free(buf_); }

size_t PackedZSet::entrySize(size_t memberLen) { return 8 + 2 * varintSize(memberLen) + memberLen; }

size_t PackedZSet::memoryUsage() const { return buf_ ? malloc_usable_size(buf_) : 0; }

void PackedZSet::clear() {
  std::free(buf_);
  buf_ = nullptr;
  used_ = cap_ = count_ = 0;
}

void PackedZSet::copyFrom(const PackedZSet& o) {
  clear();
  if (!o.used_) return;
  buf_ = static_cast<char*>(std::malloc(o.used_));
  if (!buf_) throw std::bad_alloc();
  std::memcpy(buf_, o.buf_, o.used_);
  used_ = cap_ = o.used_;
  count_ = o.count_;
}

uint32_t PackedZSet::endOf(uint32_t pos) const {
  size_t len;
  size_t k = readVarint(buf_ + pos + 8, len);
  return static_cast<uint32_t>(pos + 8 + 2 * k + len);
}

uint32_t PackedZSet::next(uint32_t pos) const {
  uint32_t e = endOf(pos);
  return e < used_ ? e : kNone;
}

uint32_t PackedZSet::prev(uint32_t pos) const {
  if (pos == 0 || pos == kNone) return kNone;
  size_t len;
  size_t k = readBackVarint(buf_ + pos, len);
  return static_cast<uint32_t>(pos - 2 * k - len - 8);
}

std::string_view PackedZSet::member(uint32_t pos) const {
  size_t len;
  size_t k = readVarint(buf_ + pos + 8, len);
  return {buf_ + pos + 8 + k, len};
}

double PackedZSet::score(uint32_t pos) const {
  double s;
  std::memcpy(&s, buf_ + pos, 8);
  return s;
}

uint32_t PackedZSet::find(std::string_view m) const {
  for (uint32_t p = first(); p != kNone; p = next(p))
    if (member(p) == m) return p;
  return kNone;
}

uint32_t PackedZSet::atRank(size_t rank) const {
  uint32_t p = first();
  while (rank-- && p != kNone) p = next(p);
  return p;
}

size_t PackedZSet::rankOf(uint32_t pos) const {
  size_t r = 0;
  for (uint32_t p = first(); p != pos; p = next(p)) r++;
  return r;
}

void PackedZSet::makeRoom(uint32_t at, size_t n) {
  size_t need = used_ + n;
  if (need > cap_) {
    // Grow by a quarter at least: a set filled one ZADD at a time stays linear overall,
    // and a set that stops growing wastes little.
    size_t want = need + need / 4;
    auto* nb = static_cast<char*>(std::realloc(buf_, want));
    if (!nb) throw std::bad_alloc();
    buf_ = nb;
    cap_ = static_cast<uint32_t>(malloc_usable_size(buf_));
  }
  std::memmove(buf_ + at + n, buf_ + at, used_ - at);
  used_ = static_cast<uint32_t>(need);
}

void PackedZSet::writeEntry(uint32_t at, std::string_view m, double score) {
  // A listpack keeps integral scores as integers, so Redis reads -0 back as 0.
  if (score == 0) score = 0;
  char* p = buf_ + at;
  std::memcpy(p, &score, 8);
  writeVarint(p + 8, m.size());
  size_t k = varintSize(m.size());
  if (!m.empty()) std::memcpy(p + 8 + k, m.data(), m.size());
  writeBackVarint(p + 8 + 2 * k + m.size(), m.size());
  count_++;
}

void PackedZSet::insert(std::string_view m, double s) {
  uint32_t at = 0;
  for (uint32_t p = first(); p != kNone; p = next(p)) {
    if (zsetLess(s, m, score(p), member(p))) break;
    at = endOf(p);
  }
  makeRoom(at, entrySize(m.size()));
  writeEntry(at, m, s);
}

void PackedZSet::append(std::string_view m, double s) {
  uint32_t at = used_;
  makeRoom(at, entrySize(m.size()));
  writeEntry(at, m, s);
}

void PackedZSet::erase(uint32_t pos) { eraseSpan(pos, endOf(pos), 1); }

void PackedZSet::eraseSpan(uint32_t from, uint32_t to, uint32_t n) {
  if (to == kNone) to = used_;
  std::memmove(buf_ + from, buf_ + to, used_ - to);
  used_ -= to - from;
  count_ -= n;
  if (count_ == 0) {
    clear();
  } else if (cap_ > 256 && used_ < cap_ / 2) {
    // Give back what a shrinking set no longer needs.
    if (auto* nb = static_cast<char*>(std::realloc(buf_, used_))) {
      buf_ = nb;
      cap_ = static_cast<uint32_t>(malloc_usable_size(buf_));
    }
  }
}

}  // namespace gearsd::store
