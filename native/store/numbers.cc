#include "store/numbers.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gearsd::store {

bool parseUint64(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = c - '0';
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

bool parseInt64(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  bool neg = s[0] == '-';
  if (neg) s.remove_prefix(1);
  uint64_t v;
  if (!parseUint64(s, v)) return false;
  if (neg) {
    if (v == 0) return false;  // "-0" is not an integer to Redis
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(v);
  }
  return true;
}

bool parseLongDouble(std::string_view s, long double& out) {
  if (s.empty() || s.size() >= 5120) return false;
  if (std::isspace(static_cast<unsigned char>(s.front())) || std::isspace(static_cast<unsigned char>(s.back())))
    return false;
  std::string buf(s);
  char* end;
  errno = 0;
  long double v = std::strtold(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || std::isnan(v)) return false;
  // Like string2ld, an underflow to a denormal is a number; to zero or past the range it is not.
  if (errno == ERANGE && (std::isinf(v) || v == 0)) return false;
  out = v;
  return true;
}

bool parseDouble(std::string_view s, double& out) {
  if (s.empty() || s.size() >= 5120) return false;
  if (std::isspace(static_cast<unsigned char>(s.front())) || std::isspace(static_cast<unsigned char>(s.back())))
    return false;
  std::string buf(s);
  char* end;
  errno = 0;
  double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || std::isnan(v)) return false;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) return false;
  out = v;
  return true;
}

size_t formatInt64(int64_t v, char* buf) {
  // Digits backwards into a scratch area, then copied forward: no locale, no printf.
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char tmp[kInt64Chars];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  size_t len = 0;
  if (v < 0) buf[len++] = '-';
  while (n) buf[len++] = tmp[--n];
  return len;
}

std::string formatInt64(int64_t v) {
  char buf[kInt64Chars];
  return std::string(buf, formatInt64(v, buf));
}

std::string formatLongDouble(long double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[5200];
  int n = std::snprintf(buf, sizeof buf, "%.17Lf", v);
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) return "0";
  // Trim trailing zeros and a dangling point, as Redis does in human-friendly mode.
  if (std::strchr(buf, '.')) {
    while (n > 0 && buf[n - 1] == '0') n--;
    if (n > 0 && buf[n - 1] == '.') n--;
  }
  std::string r(buf, n);
  if (r == "-0") r = "0";
  return r;
}

std::string formatDouble(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[64];
  int n;
  if (v > -4503599627370495.0 && v < 4503599627370496.0 && v == static_cast<double>(static_cast<long long>(v)))
    n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  else
    n = std::snprintf(buf, sizeof buf, "%.17g", v);
  return std::string(buf, n);
}

std::string formatDoubleAsStored(double v) {
  constexpr double kLimit = static_cast<double>(INT64_MAX / 2);
  if (std::isfinite(v) && v != 0 && v >= -kLimit && v <= kLimit && v == static_cast<double>(static_cast<long long>(v)))
    return formatInt64(static_cast<long long>(v));
  return formatDouble(v);
}

}  // namespace gearsd::store
