// Redis replies → Python objects, the way execute() returns them (GEARS_API.md §2.3):
// array → list; bulk, status or nested error → str (bytearray when not UTF-8); integer → int;
// null → None. A top-level error raises gears.error(<text>).
//
// PyReply is the ReplyBuilder execute() hands to a native command. It only records the reply
// (no Python calls) so the command runs under the server lock without the GIL; build() turns
// the record into objects afterwards, with the GIL and without the lock (DESIGN.md lock rules).
#pragma once
#include <Python.h>

#include <string>
#include <string_view>
#include <vector>

#include "store/reply.h"

namespace gearsd::python {

class PyReply final : public store::ReplyBuilder {
 public:
  void simple(std::string_view s) override { text(Token::Simple, s); }
  void error(std::string_view s) override { text(Token::Error, s); }
  void integer(int64_t v) override { tokens_.push_back({Token::Int, v, 0, 0}); }
  void bulk(std::string_view s) override { text(Token::Bulk, s); }
  void nullBulk() override { tokens_.push_back({Token::Null, 0, 0, 0}); }
  void nullArray() override { tokens_.push_back({Token::Null, 0, 0, 0}); }
  void arrayHeader(size_t n) override { tokens_.push_back({Token::Array, static_cast<int64_t>(n), 0, 0}); }
  void beginDeferredArray() override;
  void endDeferredArray(size_t n) override;
  // execute() returns RESP2's shapes (as RedisGears does): maps and sets are flat lists,
  // doubles are strings.
  void mapHeader(size_t n) override { arrayHeader(2 * n); }
  void setHeader(size_t n) override { arrayHeader(n); }
  void doubleValue(double v) override;
  bool resp3() const override { return false; }
  void endDeferredMap(size_t n) override { endDeferredArray(2 * n); }
  void endDeferredSet(size_t n) override { endDeferredArray(n); }

  // The reply as a new reference; nullptr with gears.error set when the reply is an error.
  // GIL held.
  PyObject* build() const;

 private:
  struct Token {
    enum Kind : uint8_t { Simple, Error, Int, Bulk, Null, Array } kind;
    int64_t n;     // integer value, or element count of an array
    size_t off;    // text in bytes_
    size_t len;
  };
  void text(Token::Kind k, std::string_view s);
  PyObject* buildAt(size_t& i) const;

  std::vector<Token> tokens_;
  std::string bytes_;
  std::vector<size_t> deferred_;
};

// Parses one RESP2 reply (the bytes a TS command produced) into Python objects with the same
// rules. nullptr with gears.error set for an error reply or malformed bytes. GIL held.
PyObject* respToPython(std::string_view bytes);

// str, or bytearray when the bytes are not valid UTF-8 (new reference).
PyObject* textOrBytearray(const char* data, size_t len);

}  // namespace gearsd::python
