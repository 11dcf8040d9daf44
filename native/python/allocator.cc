#include "python/allocator.h"

#include <Python.h>

#include <atomic>
#include <cstddef>
#include <cstring>

namespace gearsd::python {
namespace {

// Each block carries its size in front of it; 16 bytes keep the user part 16-byte aligned.
constexpr size_t kHeader = 16;

struct Counters {
  std::atomic<int64_t> total{0};
  std::atomic<int64_t> peak{0};
  std::atomic<int64_t> current{0};

  // Writers hold the GIL, so a plain load-add-store is enough; atomics keep readers safe.
  void add(int64_t n) {
    total.store(total.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    int64_t c = current.load(std::memory_order_relaxed) + n;
    current.store(c, std::memory_order_relaxed);
    if (c > peak.load(std::memory_order_relaxed)) peak.store(c, std::memory_order_relaxed);
  }
  void sub(int64_t n) { current.store(current.load(std::memory_order_relaxed) - n, std::memory_order_relaxed); }
};

Counters gCounters;
PyMemAllocatorEx gPrevMem, gPrevObj;

void* wrapAlloc(PyMemAllocatorEx* prev, size_t size, bool zero) {
  void* raw = zero ? prev->calloc(prev->ctx, 1, size + kHeader) : prev->malloc(prev->ctx, size + kHeader);
  if (!raw) return nullptr;
  std::memcpy(raw, &size, sizeof size);
  gCounters.add(static_cast<int64_t>(size));
  return static_cast<char*>(raw) + kHeader;
}

void wrapFree(PyMemAllocatorEx* prev, void* p) {
  if (!p) return;
  char* raw = static_cast<char*>(p) - kHeader;
  size_t size;
  std::memcpy(&size, raw, sizeof size);
  gCounters.sub(static_cast<int64_t>(size));
  prev->free(prev->ctx, raw);
}

void* wrapRealloc(PyMemAllocatorEx* prev, void* p, size_t size) {
  if (!p) return wrapAlloc(prev, size, false);
  char* raw = static_cast<char*>(p) - kHeader;
  size_t old;
  std::memcpy(&old, raw, sizeof old);
  char* fresh = static_cast<char*>(prev->realloc(prev->ctx, raw, size + kHeader));
  if (!fresh) return nullptr;
  std::memcpy(fresh, &size, sizeof size);
  gCounters.sub(static_cast<int64_t>(old));
  gCounters.add(static_cast<int64_t>(size));
  return fresh + kHeader;
}

void* memMalloc(void*, size_t n) { return wrapAlloc(&gPrevMem, n, false); }
void* memCalloc(void*, size_t k, size_t n) { return wrapAlloc(&gPrevMem, k * n, true); }
void* memRealloc(void*, void* p, size_t n) { return wrapRealloc(&gPrevMem, p, n); }
void memFree(void*, void* p) { wrapFree(&gPrevMem, p); }
void* objMalloc(void*, size_t n) { return wrapAlloc(&gPrevObj, n, false); }
void* objCalloc(void*, size_t k, size_t n) { return wrapAlloc(&gPrevObj, k * n, true); }
void* objRealloc(void*, void* p, size_t n) { return wrapRealloc(&gPrevObj, p, n); }
void objFree(void*, void* p) { wrapFree(&gPrevObj, p); }

}  // namespace

void installCountingAllocator() {
  PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &gPrevMem);
  PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &gPrevObj);
  PyMemAllocatorEx mem{nullptr, memMalloc, memCalloc, memRealloc, memFree};
  PyMemAllocatorEx obj{nullptr, objMalloc, objCalloc, objRealloc, objFree};
  PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &mem);
  PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &obj);
}

AllocStats allocStats() {
  return {gCounters.total.load(std::memory_order_relaxed), gCounters.peak.load(std::memory_order_relaxed),
          gCounters.current.load(std::memory_order_relaxed)};
}

}  // namespace gearsd::python
