// Choosing `count` distinct elements of a collection uniformly at random (HRANDFIELD and
// SRANDMEMBER with a positive count, and whoever needs the same): few out of a large
// Dict are drawn one by one until enough distinct ones came up; otherwise every element
// is listed and a partial Fisher-Yates shuffle takes the first `count`.
#pragma once
#include <random>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/dict.h"

namespace gearsd::store {

// True when drawing from the table beats listing it (Redis's 3x rule).
inline bool drawBeatsListing(size_t count, size_t size) { return count * 3 <= size; }

// `count` distinct nodes of a table with at least that many, in the order drawn.
template <class Node, class Traits>
std::vector<const Node*> drawDistinct(const Dict<Node, Traits>& d, std::mt19937_64& rng, size_t count) {
  std::vector<const Node*> out;
  out.reserve(count);
  std::unordered_set<const Node*> seen;
  while (out.size() < count) {
    const Node* n = d.fairRandom(rng);
    if (seen.insert(n).second) out.push_back(n);
  }
  return out;
}

// Shuffles the first `count` places of `all` into a uniform random choice and drops the rest.
template <class T>
void keepRandomPrefix(std::vector<T>& all, std::mt19937_64& rng, size_t count) {
  for (size_t i = 0; i < count; i++) std::swap(all[i], all[i + rng() % (all.size() - i)]);
  all.resize(count);
}

}  // namespace gearsd::store
