// RespReply: a ReplyBuilder that appends RESP bytes to a growable buffer: RESP2, or RESP3
// after setResp3(true) (the connection said HELLO 3). Used for client
// replies (the addon hands the bytes to TS) and for execution results kept as bytes.
#pragma once
#include <string>
#include <vector>

#include "store/reply.h"

namespace gearsd::store {

class RespReply final : public ReplyBuilder {
 public:
  void simple(std::string_view s) override;
  void error(std::string_view s) override;
  void integer(int64_t v) override;
  void bulk(std::string_view s) override;
  void nullBulk() override;
  void nullArray() override;
  void arrayHeader(size_t n) override;
  void beginDeferredArray() override;
  void endDeferredArray(size_t n) override;
  void mapHeader(size_t n) override;
  void setHeader(size_t n) override;
  void doubleValue(double v) override;
  bool resp3() const override { return resp3_; }
  void endDeferredMap(size_t n) override;
  void endDeferredSet(size_t n) override;

  void setResp3(bool on) { resp3_ = on; }

  void raw(std::string_view bytes) { buf_.append(bytes); }
  const std::string& bytes() const { return buf_; }
  std::string& buffer() { return buf_; }
  size_t size() const { return buf_.size(); }
  void clear() { buf_.clear(); }

 private:
  void header(char type, int64_t n);
  void endDeferred(char type, size_t n);
  std::string buf_;
  std::vector<size_t> deferred_;  // positions where deferred array headers go
  bool resp3_ = false;
};

}  // namespace gearsd::store
