#include "store/packed.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace gearsd::store::packed {
namespace {

char* writeEntry(char* p, std::string_view s) {
  size_t n = s.size();
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    *p++ = static_cast<char>(n ? b | 0x80 : b);
  } while (n);
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

}  // namespace

size_t entrySize(size_t n) {
  size_t header = 1;
  for (size_t v = n >> 7; v; v >>= 7) header++;
  return header + n;
}

std::string_view read(const char*& p) {
  size_t n = 0;
  int shift = 0;
  uint8_t b;
  do {
    b = static_cast<uint8_t>(*p++);
    n |= static_cast<size_t>(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  std::string_view s(p, n);
  p += n;
  return s;
}

char* splice(char* buf, uint32_t& used, uint32_t off, uint32_t removeBytes,
             std::initializer_list<std::string_view> insert) {
  size_t add = 0;
  for (std::string_view s : insert) add += entrySize(s.size());
  size_t tail = used - off - removeBytes;
  size_t newUsed = used - removeBytes + add;
  if (add > removeBytes) {
    // Grow first, then open the gap (realloc keeps the old bytes in place).
    char* nb = static_cast<char*>(std::realloc(buf, newUsed));
    if (!nb) throw std::bad_alloc();
    buf = nb;
    std::memmove(buf + off + add, buf + off + removeBytes, tail);
  } else if (add < removeBytes) {
    std::memmove(buf + off + add, buf + off + removeBytes, tail);
    if (newUsed == 0) {
      std::free(buf);
      buf = nullptr;
    } else if (char* nb = static_cast<char*>(std::realloc(buf, newUsed))) {
      buf = nb;
    }
  }
  char* p = buf + off;
  for (std::string_view s : insert) p = writeEntry(p, s);
  used = static_cast<uint32_t>(newUsed);
  return buf;
}

}  // namespace gearsd::store::packed
