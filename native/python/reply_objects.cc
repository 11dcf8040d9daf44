#include "python/reply_objects.h"

#include <cstdlib>

#include "python/errors.h"
#include "store/numbers.h"

namespace gearsd::python {

PyObject* textOrBytearray(const char* data, size_t len) {
  PyObject* s = PyUnicode_DecodeUTF8(data, static_cast<Py_ssize_t>(len), nullptr);
  if (s) return s;
  PyErr_Clear();
  return PyByteArray_FromStringAndSize(data, static_cast<Py_ssize_t>(len));
}

void PyReply::text(Token::Kind k, std::string_view s) {
  tokens_.push_back({k, 0, bytes_.size(), s.size()});
  bytes_.append(s);
}

void PyReply::doubleValue(double v) { bulk(store::formatDouble(v)); }

void PyReply::beginDeferredArray() {
  deferred_.push_back(tokens_.size());
  tokens_.push_back({Token::Array, 0, 0, 0});
}

void PyReply::endDeferredArray(size_t n) {
  tokens_[deferred_.back()].n = static_cast<int64_t>(n);
  deferred_.pop_back();
}

PyObject* PyReply::buildAt(size_t& i) const {
  const Token& t = tokens_[i++];
  switch (t.kind) {
    case Token::Simple:
    case Token::Error:
    case Token::Bulk:
      return textOrBytearray(bytes_.data() + t.off, t.len);
    case Token::Int:
      return PyLong_FromLongLong(t.n);
    case Token::Null:
      Py_RETURN_NONE;
    case Token::Array: {
      PyObject* list = PyList_New(t.n);
      if (!list) return nullptr;
      for (int64_t k = 0; k < t.n; k++) {
        PyObject* item = buildAt(i);
        if (!item) {
          Py_DECREF(list);
          return nullptr;
        }
        PyList_SET_ITEM(list, k, item);
      }
      return list;
    }
  }
  Py_RETURN_NONE;
}

PyObject* PyReply::build() const {
  if (tokens_.empty()) return raiseGearsError("Failed executing command");
  if (tokens_[0].kind == Token::Error) return raiseGearsError(bytes_.substr(tokens_[0].off, tokens_[0].len));
  size_t i = 0;
  return buildAt(i);
}

namespace {

// A small RESP2 reader over complete bytes.
class RespReader {
 public:
  explicit RespReader(std::string_view b) : b_(b) {}

  // Returns a new reference, or nullptr with an exception set.
  PyObject* value(bool topLevel) {
    if (pos_ >= b_.size()) return malformed();
    char type = b_[pos_++];
    std::string_view line;
    if (!readLine(line)) return malformed();
    switch (type) {
      case '+':
        return textOrBytearray(line.data(), line.size());
      case '-':
        if (topLevel) return raiseGearsError(std::string(line));
        return textOrBytearray(line.data(), line.size());
      case ':':
        return PyLong_FromLongLong(std::strtoll(std::string(line).c_str(), nullptr, 10));
      case '$': {
        long long n = std::strtoll(std::string(line).c_str(), nullptr, 10);
        if (n < 0) Py_RETURN_NONE;
        if (pos_ + n + 2 > b_.size()) return malformed();
        PyObject* s = textOrBytearray(b_.data() + pos_, static_cast<size_t>(n));
        pos_ += n + 2;
        return s;
      }
      case '*': {
        long long n = std::strtoll(std::string(line).c_str(), nullptr, 10);
        if (n < 0) Py_RETURN_NONE;
        PyObject* list = PyList_New(n);
        if (!list) return nullptr;
        for (long long k = 0; k < n; k++) {
          PyObject* item = value(false);
          if (!item) {
            Py_DECREF(list);
            return nullptr;
          }
          PyList_SET_ITEM(list, k, item);
        }
        return list;
      }
      default:
        Py_RETURN_NONE;
    }
  }

 private:
  bool readLine(std::string_view& line) {
    size_t end = b_.find("\r\n", pos_);
    if (end == std::string_view::npos) return false;
    line = b_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return true;
  }
  PyObject* malformed() { return raiseGearsError("Failed executing command"); }

  std::string_view b_;
  size_t pos_ = 0;
};

}  // namespace

PyObject* respToPython(std::string_view bytes) {
  RespReader r(bytes);
  return r.value(true);
}

}  // namespace gearsd::python
