// Python's memory, counted (RG.PYSTATS: TotalAllocated, PeakAllocated, CurrAllocated).
//
// RedisGears wraps the interpreter's allocators (OverridePythonAllocators, on by default) to
// count what Python holds. Here the counting allocator wraps the default allocators of the
// MEM and OBJ domains: it must be installed after Py_PreInitialize and before the interpreter
// starts, so that every block freed through it was allocated through it; with
// OverridePythonAllocators 0 it is not installed at all and the counts stay 0. Those domains are only
// used with the GIL held, which serialises the counting; readers may look without the GIL.
#pragma once
#include <cstdint>

namespace gearsd::python {

struct AllocStats {
  int64_t total;  // bytes ever allocated
  int64_t peak;   // highest `current` seen
  int64_t current;
};

void installCountingAllocator();
AllocStats allocStats();

}  // namespace gearsd::python
