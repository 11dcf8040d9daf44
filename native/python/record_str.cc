#include "python/record_str.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace gearsd::python {
namespace {

// Deeper values (or a value that contains itself) go to Python's own str().
constexpr int kMaxDepth = 8;

// The text being built, and whether it is still all ASCII (then the result str is made by a
// plain copy, without a UTF-8 decoding pass).
struct Out {
  std::string buf;
  bool ascii = true;

  void put(char c) { buf += c; }
  void put(const char* p, size_t n) { buf.append(p, n); }
};

bool appendRepr(PyObject* v, Out& out, int depth);

// repr() of a str: written here when it needs no escape (printable ASCII without ' or \),
// otherwise taken from Python (exact str and float: their repr runs no user code).
bool appendStr(PyObject* s, Out& out) {
  if (PyUnicode_CheckExact(s) && PyUnicode_IS_ASCII(s)) {
    const char* p = static_cast<const char*>(PyUnicode_DATA(s));
    size_t n = static_cast<size_t>(PyUnicode_GET_LENGTH(s));
    bool plain = true;
    for (size_t i = 0; i < n && plain; i++) {
      unsigned char c = static_cast<unsigned char>(p[i]);
      plain = c >= 0x20 && c < 0x7f && c != '\'' && c != '\\';
    }
    if (plain) {
      size_t at = out.buf.size();
      out.buf.resize(at + n + 2);
      char* w = out.buf.data() + at;
      w[0] = '\'';
      std::memcpy(w + 1, p, n);
      w[n + 1] = '\'';
      return true;
    }
  }
  PyObject* r = PyObject_Repr(s);
  if (!r) return false;
  Py_ssize_t len;
  const char* u = PyUnicode_AsUTF8AndSize(r, &len);
  if (u) out.put(u, static_cast<size_t>(len));
  out.ascii = out.ascii && PyUnicode_IS_ASCII(r);
  Py_DECREF(r);
  return u != nullptr;
}

bool appendInt(PyObject* v, Out& out) {
  int overflow = 0;
  long long n = PyLong_AsLongLongAndOverflow(v, &overflow);
  if (overflow || (n == -1 && PyErr_Occurred())) {
    PyErr_Clear();
    return false;
  }
  char digits[24];
  int len = std::snprintf(digits, sizeof digits, "%lld", n);
  out.put(digits, static_cast<size_t>(len));
  return true;
}

template <class Get>
bool appendItems(Py_ssize_t n, Get get, Out& out, int depth) {
  for (Py_ssize_t i = 0; i < n; i++) {
    if (i) out.put(", ", 2);
    if (!appendRepr(get(i), out, depth)) return false;
  }
  return true;
}

bool appendDict(PyObject* d, Out& out, int depth) {
  out.put('{');
  Py_ssize_t pos = 0;
  PyObject *k, *v;
  bool first = true;
  while (PyDict_Next(d, &pos, &k, &v)) {
    if (!first) out.put(", ", 2);
    first = false;
    if (!appendRepr(k, out, depth) || (out.put(": ", 2), !appendRepr(v, out, depth))) return false;
  }
  out.put('}');
  return true;
}

// Only exact built-in types whose repr runs no user code, so nothing can change the dict
// while it is walked; anything else makes the caller fall back to Python.
bool appendRepr(PyObject* v, Out& out, int depth) {
  if (PyUnicode_CheckExact(v)) return appendStr(v, out);
  if (v == Py_None) return out.put("None", 4), true;
  if (v == Py_True) return out.put("True", 4), true;
  if (v == Py_False) return out.put("False", 5), true;
  if (PyLong_CheckExact(v)) return appendInt(v, out);
  if (PyFloat_CheckExact(v)) return appendStr(v, out);
  if (depth >= kMaxDepth) return false;
  if (PyDict_CheckExact(v)) return appendDict(v, out, depth + 1);
  if (PyList_CheckExact(v)) {
    out.put('[');
    bool ok = appendItems(PyList_GET_SIZE(v), [&](Py_ssize_t i) { return PyList_GET_ITEM(v, i); }, out, depth + 1);
    out.put(']');
    return ok;
  }
  return false;
}

// The C side of the lib's _to_str and _to_str_on_event (the convertToStr maps of run() and
// register()): str(record) for records made
// of plain values, written directly; anything else calls the Python function itself, so that
// results and tracebacks are exactly what `lambda x: str(x)` gives.
PyObject* ToStr(PyObject* fallback, PyObject* rec) {
  if (PyUnicode_CheckExact(rec)) {
    Py_INCREF(rec);
    return rec;
  }
  if (PyDict_CheckExact(rec)) {
    // One buffer per thread, reused: a job formats every one of its records here.
    thread_local Out out;
    out.buf.clear();
    out.ascii = true;
    if (appendDict(rec, out, 1)) {
      Py_ssize_t n = static_cast<Py_ssize_t>(out.buf.size());
      if (!out.ascii) return PyUnicode_DecodeUTF8(out.buf.data(), n, nullptr);
      PyObject* s = PyUnicode_New(n, 127);
      if (s) std::memcpy(PyUnicode_DATA(s), out.buf.data(), static_cast<size_t>(n));
      return s;
    }
    PyErr_Clear();  // whatever failed here, Python's own str() decides
  }
  return PyObject_CallOneArg(fallback, rec);
}

PyMethodDef kToStrDef = {"_to_str", ToStr, METH_O, "str(record) as the convertToStr step computes it"};

}  // namespace

PyObject* fastToStr(PyObject* fallback) { return PyCFunction_New(&kToStrDef, fallback); }

}  // namespace gearsd::python
