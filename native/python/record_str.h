// str() of records, fast: the convertToStr step that run() adds to every job formats each
// record (a dict of plain values) as Python's repr would, without Python's generic machinery.
#pragma once
#include <Python.h>

namespace gearsd::python {

// A C callable doing what `fallback` (the lib's `lambda x: str(x)`) does, byte for byte: plain
// records (exact dict/list/str/int/float/bool/None) are formatted here, anything else is
// handed to `fallback`. New reference; GIL held.
PyObject* fastToStr(PyObject* fallback);

}  // namespace gearsd::python
