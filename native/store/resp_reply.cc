#include "store/resp_reply.h"

#include <cstdio>

#include "store/numbers.h"

namespace gearsd::store {

void RespReply::header(char type, int64_t n) {
  // Every reply starts here (GET, INCR...): digits by hand, not printf.
  char tmp[kInt64Chars + 3];
  tmp[0] = type;
  size_t len = 1 + formatInt64(n, tmp + 1);
  tmp[len++] = '\r';
  tmp[len++] = '\n';
  buf_.append(tmp, len);
}

void RespReply::simple(std::string_view s) {
  buf_.push_back('+');
  buf_.append(s);
  buf_.append("\r\n");
}

void RespReply::error(std::string_view s) {
  // A reply line cannot hold CR/LF; Redis replaces them with spaces as well.
  buf_.push_back('-');
  size_t start = buf_.size();
  buf_.append(s);
  for (size_t i = start; i < buf_.size(); i++)
    if (buf_[i] == '\r' || buf_[i] == '\n') buf_[i] = ' ';
  buf_.append("\r\n");
}

void RespReply::integer(int64_t v) { header(':', v); }

void RespReply::bulk(std::string_view s) {
  header('$', static_cast<int64_t>(s.size()));
  buf_.append(s);
  buf_.append("\r\n");
}

void RespReply::nullBulk() { buf_.append("$-1\r\n"); }

void RespReply::nullArray() { buf_.append("*-1\r\n"); }

void RespReply::arrayHeader(size_t n) { header('*', static_cast<int64_t>(n)); }

void RespReply::beginDeferredArray() { deferred_.push_back(buf_.size()); }

void RespReply::endDeferredArray(size_t n) {
  size_t pos = deferred_.back();
  deferred_.pop_back();
  char tmp[32];
  int len = std::snprintf(tmp, sizeof tmp, "*%zu\r\n", n);
  buf_.insert(pos, tmp, len);
}

}  // namespace gearsd::store
