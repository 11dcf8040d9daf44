// The algebra behind ZUNION, ZINTER, ZINTERCARD, ZDIFF and their STORE forms, apart from
// argument parsing and replies (t_zset.cc).
//
// The results follow Redis 7.0's arithmetic exactly, including its order of operations:
// inputs are visited from the smallest to the largest (ZDIFF: the first, then the others),
// a weighted score that is NaN (inf * 0) counts as 0, and a SUM that reaches NaN
// (inf + -inf) becomes 0.
#pragma once
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "store/t_zset.h"

// Plain sets take part with score 1 (Redis allows them as inputs).
#include "store/t_set.h"

namespace gearsd::store {

// One input key. A missing key is an empty input.
struct SetOpInput {
  const ZSetObject* zset = nullptr;
  const SetObject* set = nullptr;
  double weight = 1.0;

  // Takes the value of an input key; false when it is neither a sorted set nor a set.
  bool assign(const KeyEntry* e);
  size_t size() const;
  bool find(std::string_view member, double& score) const;
  // True when forEach's member views die with each call (an intset formats its members).
  bool transientMembers() const;
  // fn(std::string_view member, double score) -> bool: false stops the walk.
  template <class F>
  void forEach(F&& fn) const {
    if (zset) {
      for (ZCursor c = zset->first(); c.valid(); c.next())
        if (!fn(c.member(), c.score())) return;
    }
    bool going = true;
    if (set) set->forEach([&](std::string_view m) { going = going && fn(m, 1.0); });
  }
};

enum class Aggregate { Sum, Min, Max };

// What a set operation produced. Entries view the inputs' members (or `owned`), so the
// inputs must not change while the result is used.
struct SetOpResult {
  std::vector<ZEntry> entries;
  std::deque<std::string> owned;
};

SetOpResult zsetUnion(std::vector<SetOpInput> inputs, Aggregate agg);
SetOpResult zsetInter(std::vector<SetOpInput> inputs, Aggregate agg);
// ZINTERCARD: the size of the intersection, counting no further than `limit` (0: no limit).
size_t zsetInterCard(std::vector<SetOpInput> inputs, size_t limit);
SetOpResult zsetDiff(const std::vector<SetOpInput>& inputs);

}  // namespace gearsd::store
