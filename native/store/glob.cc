#include "store/glob.h"

#include <cctype>
#include <utility>

namespace gearsd::store {
namespace {

// Redis's stringmatchlen, rule for rule, so KEYS/SCAN/PSUBSCRIBE select exactly what
// Redis would (an empty subject is only matched by an empty pattern, a range compares
// bytes as signed chars...). Each '*' tries the rest of the pattern at every later
// position; once the rest fails from every position, no earlier '*' can help either
// (`skipLonger`), which keeps patterns like "a*a*a*...b" polynomial.
bool matchImpl(const char* p, size_t plen, const char* s, size_t slen, bool nocase, bool& skipLonger) {
  auto fold = [nocase](int c) { return nocase ? std::tolower(c) : c; };
  while (plen && slen) {
    switch (*p) {
      case '*':
        while (plen > 1 && p[1] == '*') {
          p++;
          plen--;
        }
        if (plen == 1) return true;
        while (slen) {
          if (matchImpl(p + 1, plen - 1, s, slen, nocase, skipLonger)) return true;
          if (skipLonger) return false;
          s++;
          slen--;
        }
        skipLonger = true;
        return false;
      case '?':
        s++;
        slen--;
        break;
      case '[': {
        p++;
        plen--;
        bool negate = plen && *p == '^';
        if (negate) {
          p++;
          plen--;
        }
        bool match = false;
        for (;;) {
          if (plen >= 2 && *p == '\\') {
            p++;
            plen--;
            if (*p == *s) match = true;
          } else if (plen && *p == ']') {
            break;
          } else if (plen == 0) {
            // An unterminated class ends with the pattern.
            p--;
            plen++;
            break;
          } else if (plen >= 3 && p[1] == '-') {
            int lo = p[0], hi = p[2];
            if (lo > hi) std::swap(lo, hi);
            int c = fold(*s);
            if (c >= fold(lo) && c <= fold(hi)) match = true;
            p += 2;
            plen -= 2;
          } else if (fold(*p) == fold(*s)) {
            match = true;
          }
          p++;
          plen--;
        }
        if (negate) match = !match;
        if (!match) return false;
        s++;
        slen--;
        break;
      }
      case '\\':
        if (plen >= 2) {
          p++;
          plen--;
        }
        [[fallthrough]];
      default:
        if (fold(*p) != fold(*s)) return false;
        s++;
        slen--;
        break;
    }
    p++;
    plen--;
    if (slen == 0) {
      while (plen && *p == '*') {
        p++;
        plen--;
      }
      break;
    }
  }
  return plen == 0 && slen == 0;
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view subject, bool nocase) {
  bool skipLonger = false;
  return matchImpl(pattern.data(), pattern.size(), subject.data(), subject.size(), nocase, skipLonger);
}

bool globIsLiteral(std::string_view pattern) {
  for (char c : pattern)
    if (c == '*' || c == '?' || c == '[' || c == '\\') return false;
  return true;
}

}  // namespace gearsd::store
