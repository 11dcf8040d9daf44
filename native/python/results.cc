#include "python/results.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace gearsd::python {

void writeResult(PyObject* v, store::ReplyBuilder& out) {
  if (PyList_Check(v)) {
    // A list can be changed by nothing else while we hold the GIL, but size it once anyway.
    Py_ssize_t n = PyList_GET_SIZE(v);
    out.arrayHeader(static_cast<size_t>(n));
    for (Py_ssize_t i = 0; i < n; i++) writeResult(PyList_GET_ITEM(v, i), out);
    return;
  }
  if (PyLong_Check(v)) {
    long long n = PyLong_AsLongLong(v);
    if (n == -1 && PyErr_Occurred()) PyErr_Clear();  // too big: RedisGears sends -1 too
    out.integer(n);
    return;
  }
  if (PyFloat_Check(v)) {
    char buf[400];
    int len = std::snprintf(buf, sizeof buf, "%lf", PyFloat_AS_DOUBLE(v));
    out.bulk(std::string_view(buf, len > 0 ? static_cast<size_t>(len) : 0));
    return;
  }
  if (PyUnicode_Check(v)) {
    Py_ssize_t n;
    const char* p = PyUnicode_AsUTF8AndSize(v, &n);
    if (!p) {
      PyErr_Clear();
      out.bulk("PY RECORD");
      return;
    }
    std::string_view s(p, static_cast<size_t>(n));
    if (s.size() > 1 && s[0] == '+') {
      // A status line cannot hold CR or LF; they would end the reply early.
      if (s.find_first_of("\r\n") == std::string_view::npos) return out.simple(s.substr(1));
      std::string line(s.substr(1));
      for (char& c : line)
        if (c == '\r' || c == '\n') c = ' ';
      return out.simple(line);
    }
    if (s.size() > 1 && s[0] == '-') return out.error(s.substr(1));
    out.bulk(s);
    return;
  }
  if (PyBytes_Check(v)) {
    out.bulk(std::string_view(PyBytes_AS_STRING(v), static_cast<size_t>(PyBytes_GET_SIZE(v))));
    return;
  }
  out.bulk("PY RECORD");
}

}  // namespace gearsd::python
