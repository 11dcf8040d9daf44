#include "store/zset_range.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace gearsd::store {

namespace {

// Redis reads the bound as a C string: parsing stops at an embedded NUL and only the
// character where strtod stopped is checked, so "1\0x" is 1 and "" is 0.
bool parseScoreBound(std::string_view arg, double& value, bool& exclusive) {
  std::string buf(arg);
  const char* p = buf.c_str();
  exclusive = p[0] == '(';
  if (exclusive) p++;
  char* end;
  value = std::strtod(p, &end);
  return *end == '\0' && !std::isnan(value);
}

bool parseLexBound(std::string_view arg, LexBound& b) {
  auto at = [&](size_t i) { return i < arg.size() ? arg[i] : '\0'; };
  switch (at(0)) {
    case '+':
    case '-':
      if (at(1) != '\0') return false;
      b.kind = at(0) == '+' ? LexBound::kPlusInf : LexBound::kMinusInf;
      b.exclusive = true;
      return true;
    case '(':
    case '[':
      b.kind = LexBound::kString;
      b.exclusive = at(0) == '(';
      b.value = arg.substr(1);
      return true;
    default:
      return false;
  }
}

}  // namespace

bool parseScoreRange(std::string_view min, std::string_view max, ScoreRange& out) {
  return parseScoreBound(min, out.min, out.minex) && parseScoreBound(max, out.max, out.maxex);
}

bool parseLexRange(std::string_view min, std::string_view max, LexRange& out) {
  return parseLexBound(min, out.min) && parseLexBound(max, out.max);
}

int compareToBound(std::string_view member, const LexBound& b) {
  if (b.kind == LexBound::kMinusInf) return 1;
  if (b.kind == LexBound::kPlusInf) return -1;
  int c = member.compare(b.value);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool LexRange::emptyByDefinition() const {
  int c;
  if (min.kind == max.kind && min.kind != LexBound::kString) c = 0;
  else if (min.kind == LexBound::kMinusInf || max.kind == LexBound::kPlusInf) c = -1;
  else if (min.kind == LexBound::kPlusInf || max.kind == LexBound::kMinusInf) c = 1;
  else c = min.value.compare(max.value);
  return c > 0 || (c == 0 && (min.exclusive || max.exclusive));
}

}  // namespace gearsd::store
