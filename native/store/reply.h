// ReplyBuilder: how a data command answers, without knowing who asked.
//
// Every command in native/store writes its reply through this interface. The RESP
// implementation (resp_reply.h) produces the bytes a client receives; the Python one
// (native/python) builds the objects `execute()` returns. Adding a reply shape means adding
// it to both.
#pragma once
#include <cstdint>
#include <string_view>

namespace gearsd::store {

class ReplyBuilder {
 public:
  virtual ~ReplyBuilder() = default;

  virtual void simple(std::string_view s) = 0;   // +OK
  virtual void error(std::string_view s) = 0;    // full text, code included: "ERR syntax error"
  virtual void integer(int64_t v) = 0;
  virtual void bulk(std::string_view s) = 0;
  virtual void nullBulk() = 0;                   // $-1
  virtual void nullArray() = 0;                  // *-1
  virtual void arrayHeader(size_t n) = 0;        // followed by exactly n elements

  // For arrays whose length is only known at the end (SCAN-like walks): begin, write the
  // elements, then end with the count. Deferred arrays may nest.
  virtual void beginDeferredArray() = 0;
  virtual void endDeferredArray(size_t n) = 0;

  // A double, as RESP2 sends it (a bulk string in Redis 7.0's format).
  void doubleValue(double v);
  void bulkInt(int64_t v);  // an integer sent as a bulk string
  void ok() { simple("OK"); }
};

}  // namespace gearsd::store
