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

// RESP3 has one null for both of RESP2's.
void RespReply::nullBulk() { buf_.append(resp3_ ? "_\r\n" : "$-1\r\n"); }

void RespReply::nullArray() { buf_.append(resp3_ ? "_\r\n" : "*-1\r\n"); }

void RespReply::arrayHeader(size_t n) { header('*', static_cast<int64_t>(n)); }

void RespReply::mapHeader(size_t n) {
  if (resp3_)
    header('%', static_cast<int64_t>(n));
  else
    header('*', static_cast<int64_t>(2 * n));
}

void RespReply::setHeader(size_t n) { header(resp3_ ? '~' : '*', static_cast<int64_t>(n)); }

void RespReply::doubleValue(double v) {
  if (!resp3_) return bulk(formatDouble(v));
  buf_.push_back(',');
  buf_.append(formatDouble(v));
  buf_.append("\r\n");
}

void RespReply::beginDeferredArray() { deferred_.push_back(buf_.size()); }

void RespReply::endDeferred(char type, size_t n) {
  size_t pos = deferred_.back();
  deferred_.pop_back();
  char tmp[32];
  int len = std::snprintf(tmp, sizeof tmp, "%c%zu\r\n", type, n);
  buf_.insert(pos, tmp, len);
}

void RespReply::endDeferredArray(size_t n) { endDeferred('*', n); }

void RespReply::endDeferredMap(size_t n) {
  if (resp3_)
    endDeferred('%', n);
  else
    endDeferred('*', 2 * n);
}

void RespReply::endDeferredSet(size_t n) { endDeferred(resp3_ ? '~' : '*', n); }

}  // namespace gearsd::store
