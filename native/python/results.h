// Python values → Redis replies (GEARS_API.md §2.1), for execution results (and later
// RG.TRIGGER, hooks and override_reply). The rules, in order: list → array; int/bool →
// integer; float → bulk "%lf"; str longer than one character starting '+' → status of the
// rest, starting '-' → error of the rest; other str and bytes → bulk; anything else → bulk
// "PY RECORD".
#pragma once
#include <Python.h>

#include "store/reply.h"

namespace gearsd::python {

// GIL held. Never fails: whatever cannot be encoded becomes "PY RECORD".
void writeResult(PyObject* value, store::ReplyBuilder& out);

}  // namespace gearsd::python
