// Python exceptions → the error texts RedisGears users see (GEARS_API.md §2.2). Exceptions are
// turned into text once, here, with the traceback kept when PythonAttemptTraceback is on.
#pragma once
#include <Python.h>

#include <string>

namespace gearsd::python {

// Imports what formatting needs (traceback.format_exception). Called once at start-up.
bool initErrorFormatting();

void setAttemptTraceback(bool on);

// Takes the pending Python exception (clearing it) and returns its text:
//  - gears.flat_error → str(value), word for word;
//  - with PythonAttemptTraceback and a traceback → str(traceback.format_exception(...));
//  - otherwise "Error type: <str(type)>, Value: <str(value)>".
// GIL held. With no pending exception, returns a generic text.
std::string takeErrorText();

// True when the pending exception is gears.forcestopped (an abort landed in Python).
bool pendingIsForceStopped();

// str(o) as UTF-8; "" when it fails (the failure is cleared). GIL held.
std::string strOf(PyObject* o);
// A str's UTF-8 text into `out`; false (nothing raised) when o is not a str or has no UTF-8
// form. GIL held.
bool textOf(PyObject* o, std::string& out);

// Raises gears.error(text). Returns nullptr so callers can `return raiseGearsError(...)`.
PyObject* raiseGearsError(const std::string& text);

}  // namespace gearsd::python
