#include "store/zset_packed.h"

#include <malloc.h>

#include <cstdint>
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

// Scores: one tag byte, then what it says. Integral scores take the smallest integer
// form, as a listpack stores them (and, as there, -0 comes back as 0).
constexpr uint8_t kScoreDouble = 0x00, kScoreInt8 = 0x01, kScoreInt16 = 0x02, kScoreInt32 = 0x03;
constexpr uint8_t kScoreSmall = 0x80;  // 0x80 + n for an integer n in 0..127

size_t scoreSize(double s) {
  if (s >= 0 && s < 128 && s == static_cast<double>(static_cast<int>(s))) return 1;
  if (s >= INT32_MIN && s <= INT32_MAX && s == static_cast<double>(static_cast<int32_t>(s))) {
    auto v = static_cast<int32_t>(s);
    if (v >= INT8_MIN && v <= INT8_MAX) return 2;
    if (v >= INT16_MIN && v <= INT16_MAX) return 3;
    return 5;
  }
  return 9;
}

void writeScore(char* p, double s) {
  switch (scoreSize(s)) {
    case 1:
      *p = static_cast<char>(kScoreSmall + static_cast<int>(s));
      return;
    case 2:
      *p = kScoreInt8;
      p[1] = static_cast<char>(static_cast<int8_t>(s));
      return;
    case 3: {
      *p = kScoreInt16;
      auto v = static_cast<int16_t>(s);
      std::memcpy(p + 1, &v, 2);
      return;
    }
    case 5: {
      *p = kScoreInt32;
      auto v = static_cast<int32_t>(s);
      std::memcpy(p + 1, &v, 4);
      return;
    }
    default:
      *p = kScoreDouble;
      std::memcpy(p + 1, &s, 8);
  }
}

// Decodes the score at p; `size` gets the bytes it takes.
double readScore(const char* p, size_t& size) {
  auto tag = static_cast<uint8_t>(*p);
  if (tag >= kScoreSmall) {
    size = 1;
    return tag - kScoreSmall;
  }
  switch (tag) {
    case kScoreInt8:
      size = 2;
      return static_cast<int8_t>(p[1]);
    case kScoreInt16: {
      int16_t v;
      std::memcpy(&v, p + 1, 2);
      size = 3;
      return v;
    }
    case kScoreInt32: {
      int32_t v;
      std::memcpy(&v, p + 1, 4);
      size = 5;
      return v;
    }
    default: {
      double d;
      std::memcpy(&d, p + 1, 8);
      size = 9;
      return d;
    }
  }
}

}  // namespace

PackedZSet::~PackedZSet() { std::free(buf_); }

size_t PackedZSet::maxEntrySize(size_t memberLen) {
  size_t e = varintSize(memberLen) + memberLen + 9;
  return e + varintSize(e);
}

size_t PackedZSet::memoryUsage() const { return buf_ ? malloc_usable_size(buf_) : 0; }

void PackedZSet::clear() {
  std::free(buf_);
  buf_ = nullptr;
  used_ = cap_ = count_ = 0;
}

void PackedZSet::reserve(size_t bytes) {
  if (bytes <= cap_) return;
  auto* nb = static_cast<char*>(std::realloc(buf_, bytes));
  if (!nb) throw std::bad_alloc();
  buf_ = nb;
  cap_ = static_cast<uint32_t>(malloc_usable_size(buf_));
}

void PackedZSet::shrinkToFit() {
  if (!buf_ || cap_ == used_) return;
  if (auto* nb = static_cast<char*>(std::realloc(buf_, used_))) {
    buf_ = nb;
    cap_ = static_cast<uint32_t>(malloc_usable_size(buf_));
  }
}

void PackedZSet::copyFrom(const PackedZSet& o) {
  clear();
  if (!o.used_) return;
  reserve(o.used_);
  std::memcpy(buf_, o.buf_, o.used_);
  used_ = o.used_;
  count_ = o.count_;
}

uint32_t PackedZSet::endOf(uint32_t pos) const {
  size_t len, scoreBytes;
  size_t k = readVarint(buf_ + pos, len);
  readScore(buf_ + pos + k + len, scoreBytes);
  size_t e = k + len + scoreBytes;
  return static_cast<uint32_t>(pos + e + varintSize(e));
}

uint32_t PackedZSet::next(uint32_t pos) const {
  uint32_t e = endOf(pos);
  return e < used_ ? e : kNone;
}

uint32_t PackedZSet::prev(uint32_t pos) const {
  if (pos == 0 || pos == kNone) return kNone;
  size_t e;
  size_t k = readBackVarint(buf_ + pos, e);
  return static_cast<uint32_t>(pos - k - e);
}

std::string_view PackedZSet::member(uint32_t pos) const {
  size_t len;
  size_t k = readVarint(buf_ + pos, len);
  return {buf_ + pos + k, len};
}

double PackedZSet::score(uint32_t pos) const {
  size_t len, scoreBytes;
  size_t k = readVarint(buf_ + pos, len);
  return readScore(buf_ + pos + k + len, scoreBytes);
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
  // Exact sizes, as a listpack: a small set is written once and read many times, so
  // spare capacity would only be memory lost.
  reserve(used_ + n);
  std::memmove(buf_ + at + n, buf_ + at, used_ - at);
  used_ = static_cast<uint32_t>(used_ + n);
}

void PackedZSet::insertAt(uint32_t at, std::string_view m, double score) {
  size_t k = varintSize(m.size());
  size_t e = k + m.size() + scoreSize(score);
  makeRoom(at, e + varintSize(e));
  char* p = buf_ + at;
  writeVarint(p, m.size());
  if (!m.empty()) std::memcpy(p + k, m.data(), m.size());
  writeScore(p + k + m.size(), score);
  writeBackVarint(p + e + varintSize(e), e);
  count_++;
}

void PackedZSet::insert(std::string_view m, double s) {
  uint32_t at = 0;
  for (uint32_t p = first(); p != kNone; p = next(p)) {
    if (zsetLess(s, m, score(p), member(p))) break;
    at = endOf(p);
  }
  insertAt(at, m, s);
}

void PackedZSet::append(std::string_view m, double s) { insertAt(used_, m, s); }

void PackedZSet::erase(uint32_t pos) { eraseSpan(pos, endOf(pos), 1); }

void PackedZSet::eraseSpan(uint32_t from, uint32_t to, uint32_t n) {
  if (to == kNone) to = used_;
  std::memmove(buf_ + from, buf_ + to, used_ - to);
  used_ -= to - from;
  count_ -= n;
  if (count_ == 0) {
    clear();
  } else if (used_ < cap_ / 2) {
    shrinkToFit();  // give back what a shrinking set no longer needs
  }
}

}  // namespace gearsd::store
