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
  virtual void nullBulk() = 0;                   // $-1 (RESP3: _)
  virtual void nullArray() = 0;                  // *-1 (RESP3: _)
  virtual void arrayHeader(size_t n) = 0;        // followed by exactly n elements
  // Redis's addReplyMapLen / addReplySetLen: RESP2 sends a map as a flat array of 2n
  // elements and a set as an array; RESP3 has types of their own.
  virtual void mapHeader(size_t n) = 0;          // followed by n key/value pairs
  virtual void setHeader(size_t n) = 0;
  // Redis's addReplyDouble: a bulk string in RESP2, a double in RESP3.
  virtual void doubleValue(double v) = 0;
  // Does the caller speak RESP3? A few replies change shape beyond the types above
  // (ZRANGE WITHSCORES sends [member, score] pairs, XREAD a map): Redis tests c->resp there.
  virtual bool resp3() const = 0;

  // For arrays whose length is only known at the end (SCAN-like walks): begin, write the
  // elements, then end with the count. Deferred arrays may nest.
  virtual void beginDeferredArray() = 0;
  virtual void endDeferredArray(size_t n) = 0;
  // Ends a deferred header as a map of n pairs (2n elements) or a set of n elements.
  virtual void endDeferredMap(size_t n) = 0;
  virtual void endDeferredSet(size_t n) = 0;

  void bulkInt(int64_t v);  // an integer sent as a bulk string
  // Lists of elements that may carry a second value (HRANDFIELD WITHVALUES, ZRANGE
  // WITHSCORES...): flat [a, x, b, y] in RESP2, [[a, x], [b, y]] in RESP3, as Redis sends
  // them. pairListHeader(n, paired) heads a list of n entries; pairStart(paired) opens one.
  void pairListHeader(size_t n, bool paired) { arrayHeader(paired && !resp3() ? 2 * n : n); }
  void pairStart(bool paired) {
    if (paired && resp3()) arrayHeader(2);
  }
  void ok() { simple("OK"); }
};

}  // namespace gearsd::store
