// RespReply: a ReplyBuilder that appends RESP2 bytes to a growable buffer. Used for client
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

  void raw(std::string_view bytes) { buf_.append(bytes); }
  const std::string& bytes() const { return buf_; }
  std::string& buffer() { return buf_; }
  size_t size() const { return buf_.size(); }
  void clear() { buf_.clear(); }

 private:
  void header(char type, int64_t n);
  std::string buf_;
  std::vector<size_t> deferred_;  // positions where deferred array headers go
};

}  // namespace gearsd::store
