#include "store/intset.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace gearsd::store::intset {
namespace {

void put(char* buf, uint8_t width, uint32_t i, int64_t v) {
  char* p = buf + static_cast<size_t>(i) * width;
  if (width == 2) {
    int16_t x = static_cast<int16_t>(v);
    std::memcpy(p, &x, 2);
  } else if (width == 4) {
    int32_t x = static_cast<int32_t>(v);
    std::memcpy(p, &x, 4);
  } else {
    std::memcpy(p, &v, 8);
  }
}

char* resize(char* buf, size_t bytes) {
  if (bytes == 0) {
    std::free(buf);
    return nullptr;
  }
  char* nb = static_cast<char*>(std::realloc(buf, bytes));
  if (!nb) throw std::bad_alloc();
  return nb;
}

}  // namespace

uint8_t widthFor(int64_t v) {
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

int64_t get(const char* buf, uint8_t width, uint32_t i) {
  const char* p = buf + static_cast<size_t>(i) * width;
  if (width == 2) {
    int16_t x;
    std::memcpy(&x, p, 2);
    return x;
  }
  if (width == 4) {
    int32_t x;
    std::memcpy(&x, p, 4);
    return x;
  }
  int64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

bool find(const char* buf, uint8_t width, uint32_t count, int64_t v, uint32_t& pos) {
  uint32_t lo = 0, hi = count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int64_t m = get(buf, width, mid);
    if (m == v) {
      pos = mid;
      return true;
    }
    if (m < v) lo = mid + 1;
    else hi = mid;
  }
  pos = lo;
  return false;
}

char* insert(char* buf, uint8_t& width, uint32_t& count, int64_t v) {
  uint8_t need = widthFor(v);
  if (need > width) {
    // A value wider than all others is either the new minimum or the new maximum, so the
    // re-encoded array gets it at one end. Widen from the back to work in place.
    buf = resize(buf, static_cast<size_t>(count + 1) * need);
    bool atFront = v < 0;
    for (uint32_t i = count; i-- > 0;) put(buf, need, i + (atFront ? 1 : 0), get(buf, width, i));
    put(buf, need, atFront ? 0 : count, v);
    width = need;
    count++;
    return buf;
  }
  uint32_t pos;
  find(buf, width, count, v, pos);
  buf = resize(buf, static_cast<size_t>(count + 1) * width);
  std::memmove(buf + (pos + 1) * static_cast<size_t>(width), buf + pos * static_cast<size_t>(width),
               static_cast<size_t>(count - pos) * width);
  put(buf, width, pos, v);
  count++;
  return buf;
}

char* erase(char* buf, uint8_t width, uint32_t& count, uint32_t pos) {
  std::memmove(buf + pos * static_cast<size_t>(width), buf + (pos + 1) * static_cast<size_t>(width),
               static_cast<size_t>(count - pos - 1) * width);
  count--;
  return resize(buf, static_cast<size_t>(count) * width);
}

}  // namespace gearsd::store::intset
