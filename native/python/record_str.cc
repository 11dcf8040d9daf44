#include "python/record_str.h"

#include <string>

namespace gearsd::python {
namespace {

// Deeper values (or a value that contains itself) go to Python's own str().
constexpr int kMaxDepth = 8;

bool appendRepr(PyObject* v, std::string& out, int depth);

// repr() of a str: written here when it needs no escape (printable ASCII without ' or \),
// otherwise taken from Python (exact str and float: their repr runs no user code).
bool appendStr(PyObject* s, std::string& out) {
  if (PyUnicode_CheckExact(s) && PyUnicode_IS_ASCII(s)) {
    const char* p = static_cast<const char*>(PyUnicode_DATA(s));
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    bool plain = true;
    for (Py_ssize_t i = 0; i < n && plain; i++) {
      unsigned char c = static_cast<unsigned char>(p[i]);
      plain = c >= 0x20 && c < 0x7f && c != '\'' && c != '\\';
    }
    if (plain) {
      out.push_back('\'');
      out.append(p, static_cast<size_t>(n));
      out.push_back('\'');
      return true;
    }
  }
  PyObject* r = PyObject_Repr(s);
  if (!r) return false;
  Py_ssize_t len;
  const char* u = PyUnicode_AsUTF8AndSize(r, &len);
  if (u) out.append(u, static_cast<size_t>(len));
  Py_DECREF(r);
  return u != nullptr;
}

bool appendInt(PyObject* v, std::string& out) {
  int overflow = 0;
  long long n = PyLong_AsLongLongAndOverflow(v, &overflow);
  if (overflow || (n == -1 && PyErr_Occurred())) {
    PyErr_Clear();
    return false;
  }
  out.append(std::to_string(n));
  return true;
}

template <class Get>
bool appendItems(Py_ssize_t n, Get get, std::string& out, int depth) {
  for (Py_ssize_t i = 0; i < n; i++) {
    if (i) out.append(", ");
    if (!appendRepr(get(i), out, depth)) return false;
  }
  return true;
}

bool appendDict(PyObject* d, std::string& out, int depth) {
  out.push_back('{');
  Py_ssize_t pos = 0;
  PyObject *k, *v;
  bool first = true;
  while (PyDict_Next(d, &pos, &k, &v)) {
    if (!first) out.append(", ");
    first = false;
    if (!appendRepr(k, out, depth) || (out.append(": "), !appendRepr(v, out, depth))) return false;
  }
  out.push_back('}');
  return true;
}

// Only exact built-in types whose repr runs no user code, so nothing can change the dict
// while it is walked; anything else makes the caller fall back to Python.
bool appendRepr(PyObject* v, std::string& out, int depth) {
  if (PyUnicode_CheckExact(v)) return appendStr(v, out);
  if (v == Py_None) return out.append("None"), true;
  if (v == Py_True) return out.append("True"), true;
  if (v == Py_False) return out.append("False"), true;
  if (PyLong_CheckExact(v)) return appendInt(v, out);
  if (PyFloat_CheckExact(v)) return appendStr(v, out);
  if (depth >= kMaxDepth) return false;
  if (PyDict_CheckExact(v)) return appendDict(v, out, depth + 1);
  if (PyList_CheckExact(v)) {
    out.push_back('[');
    bool ok = appendItems(PyList_GET_SIZE(v), [&](Py_ssize_t i) { return PyList_GET_ITEM(v, i); }, out, depth + 1);
    out.push_back(']');
    return ok;
  }
  return false;
}

// The C side of the lib's _to_str (the convertToStr map of run()): str(record) for records made
// of plain values, written directly; anything else calls the Python function itself, so that
// results and tracebacks are exactly what `lambda x: str(x)` gives.
PyObject* ToStr(PyObject* fallback, PyObject* rec) {
  if (PyUnicode_CheckExact(rec)) {
    Py_INCREF(rec);
    return rec;
  }
  if (PyDict_CheckExact(rec)) {
    // One buffer per thread, reused: a job formats every one of its records here.
    thread_local std::string buf;
    buf.clear();
    if (appendDict(rec, buf, 1)) return PyUnicode_DecodeUTF8(buf.data(), static_cast<Py_ssize_t>(buf.size()), nullptr);
    PyErr_Clear();  // whatever failed here, Python's own str() decides
  }
  return PyObject_CallOneArg(fallback, rec);
}

PyMethodDef kToStrDef = {"_to_str", ToStr, METH_O, "str(record) as the convertToStr step computes it"};

}  // namespace

PyObject* fastToStr(PyObject* fallback) { return PyCFunction_New(&kToStrDef, fallback); }

}  // namespace gearsd::python
