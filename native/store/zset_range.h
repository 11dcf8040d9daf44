// The order of a sorted set, and the score and lexicographic ranges of its commands (ZRANGEBYSCORE, ZCOUNT,
// ZRANGEBYLEX, ZREMRANGEBYLEX...), parsed with Redis 7.0's exact rules.
//
// Score bounds are read with strtod as Redis's zslParseRange does, which is laxer than a
// ZADD score: "(" marks an exclusive bound, leading spaces and hex are accepted, an empty
// string is 0, only NaN is refused. Lex bounds are "[x" (inclusive), "(x" (exclusive),
// "-" (before everything) and "+" (after everything).
#pragma once
#include <string_view>

namespace gearsd::store {

// Rank order: by score, then by member bytes (as memcmp, a prefix first).
inline bool zsetLess(double s1, std::string_view m1, double s2, std::string_view m2) {
  return s1 < s2 || (s1 == s2 && m1.compare(m2) < 0);
}

struct ScoreRange {
  double min = 0, max = 0;
  bool minex = false, maxex = false;

  bool gteMin(double v) const { return minex ? v > min : v >= min; }
  bool lteMax(double v) const { return maxex ? v < max : v <= max; }
  // No score can be inside (Redis checks this before looking at the data).
  bool emptyByDefinition() const { return min > max || (min == max && (minex || maxex)); }
};

// False when either bound is not a float: the caller replies "min or max is not a float".
bool parseScoreRange(std::string_view min, std::string_view max, ScoreRange& out);

struct LexBound {
  enum Kind : signed char { kMinusInf = -1, kString = 0, kPlusInf = 1 };
  Kind kind = kString;
  bool exclusive = false;
  std::string_view value;  // a view of the argument, valid while the command runs
};

// Three-way comparison of a member against a bound (the infinities sort outside every string).
int compareToBound(std::string_view member, const LexBound& b);

struct LexRange {
  LexBound min, max;

  bool gteMin(std::string_view v) const {
    int c = compareToBound(v, min);
    return min.exclusive ? c > 0 : c >= 0;
  }
  bool lteMax(std::string_view v) const {
    int c = compareToBound(v, max);
    return max.exclusive ? c < 0 : c <= 0;
  }
  bool emptyByDefinition() const;
};

// False when either bound is malformed: the caller replies
// "min or max not valid string range item".
bool parseLexRange(std::string_view min, std::string_view max, LexRange& out);

}  // namespace gearsd::store
