#include "python/errors.h"

#include <atomic>

#include "python/gears_module.h"

namespace gearsd::python {
namespace {

std::atomic<bool> gAttemptTraceback{true};
PyObject* gFormatException = nullptr;  // traceback.format_exception, kept for the process

}  // namespace

bool textOf(PyObject* o, std::string& out) {
  Py_ssize_t n;
  const char* p = PyUnicode_Check(o) ? PyUnicode_AsUTF8AndSize(o, &n) : nullptr;
  if (!p) {
    PyErr_Clear();
    return false;
  }
  out.assign(p, static_cast<size_t>(n));
  return true;
}

std::string strOf(PyObject* o) {
  if (!o) return "None";
  PyObject* s = PyObject_Str(o);
  if (!s) {
    PyErr_Clear();
    return "";
  }
  Py_ssize_t n;
  const char* p = PyUnicode_AsUTF8AndSize(s, &n);
  std::string out = p ? std::string(p, n) : std::string();
  if (!p) PyErr_Clear();
  Py_DECREF(s);
  return out;
}

bool initErrorFormatting() {
  PyObject* mod = PyImport_ImportModule("traceback");
  if (!mod) return false;
  gFormatException = PyObject_GetAttrString(mod, "format_exception");
  Py_DECREF(mod);
  return gFormatException != nullptr;
}

void setAttemptTraceback(bool on) { gAttemptTraceback.store(on, std::memory_order_relaxed); }

bool pendingIsForceStopped() {
  PyObject* t = PyErr_Occurred();
  return t && PyErr_GivenExceptionMatches(t, forceStoppedType());
}

std::string takeErrorText() {
  if (!PyErr_Occurred()) return "Failed executing Python code";
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  std::string text;
  bool done = false;
  if (type == flatErrorType()) {
    text = strOf(value);
    done = true;
  }
  if (!done && gAttemptTraceback.load(std::memory_order_relaxed) && tb && gFormatException) {
    PyObject* lines = PyObject_CallFunctionObjArgs(gFormatException, type, value ? value : Py_None, tb, nullptr);
    if (lines) {
      PyObject* s = PyObject_Str(lines);
      Py_DECREF(lines);
      if (s) {
        Py_ssize_t n;
        if (const char* p = PyUnicode_AsUTF8AndSize(s, &n)) {
          text.assign(p, n);
          done = true;
        }
        Py_DECREF(s);
      }
    }
    if (!done) PyErr_Clear();
  }
  if (!done) text = "Error type: " + strOf(type) + ", Value: " + strOf(value);
  if (text.empty() && PyErr_Occurred()) PyErr_Clear();
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(tb);
  return text;
}

PyObject* raiseGearsError(const std::string& text) {
  PyErr_SetString(gearsErrorType(), text.c_str());
  return nullptr;
}

}  // namespace gearsd::python
