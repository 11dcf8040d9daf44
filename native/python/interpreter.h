// Starting the embedded CPython, once per process.
#pragma once
#include <string>

namespace gearsd::python {

// Re-opens libpython with RTLD_GLOBAL (so Python's own extension modules such as math,
// _json and _decimal find its symbols), initialises the interpreter, imports the embedded
// Gears package, and releases the GIL for whoever needs it next. `countAllocations` is
// OverridePythonAllocators (GEARS_API.md §7): Python's allocators are wrapped to count for
// RG.PYSTATS, or left as CPython's own (the counts stay 0). Returns false and fills `error`
// when Python cannot start.
bool startInterpreter(std::string& error, bool countAllocations);

// "3.11.7 (main, ...)", taken after importing a few C extension modules as a self-check.
std::string interpreterVersion();

}  // namespace gearsd::python
