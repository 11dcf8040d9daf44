#include "store/glob.h"

#include <cctype>
#include <utility>

namespace gearsd::store {
namespace {

char fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Recursion only happens on '*', and consecutive stars collapse, so depth is bounded by
// the number of star groups; `budget` bounds the total work on adversarial patterns
// the way Redis's nesting limit does.
bool matchFrom(const char* p, const char* pend, const char* s, const char* send, bool nocase, int& budget) {
  if (--budget <= 0) return false;
  while (p < pend) {
    switch (*p) {
      case '*': {
        while (p + 1 < pend && p[1] == '*') p++;
        if (p + 1 == pend) return true;
        for (const char* t = s; t <= send; t++)
          if (matchFrom(p + 1, pend, t, send, nocase, budget)) return true;
        return false;
      }
      case '?':
        if (s == send) return false;
        s++;
        break;
      case '[': {
        if (s == send) return false;
        p++;
        bool negate = p < pend && *p == '^';
        if (negate) p++;
        bool matched = false;
        while (p < pend && *p != ']') {
          if (*p == '\\' && p + 1 < pend) {
            p++;
            if (fold(*p, nocase) == fold(*s, nocase)) matched = true;
          } else if (p + 2 < pend && p[1] == '-') {
            char lo = fold(p[0], nocase), hi = fold(p[2], nocase), c = fold(*s, nocase);
            if (lo > hi) std::swap(lo, hi);
            if (c >= lo && c <= hi) matched = true;
            p += 2;
          } else if (fold(*p, nocase) == fold(*s, nocase)) {
            matched = true;
          }
          p++;
        }
        if (p == pend) p--;  // unterminated class: Redis treats the end as the close
        if (negate) matched = !matched;
        if (!matched) return false;
        s++;
        break;
      }
      case '\\':
        if (p + 1 < pend) p++;
        [[fallthrough]];
      default:
        if (s == send || fold(*p, nocase) != fold(*s, nocase)) return false;
        s++;
        break;
    }
    p++;
  }
  return s == send;
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view subject, bool nocase) {
  int budget = 1000000;
  return matchFrom(pattern.data(), pattern.data() + pattern.size(), subject.data(),
                   subject.data() + subject.size(), nocase, budget);
}

bool globIsLiteral(std::string_view pattern) {
  for (char c : pattern)
    if (c == '*' || c == '?' || c == '[' || c == '\\') return false;
  return true;
}

}  // namespace gearsd::store
