// A Dict whose nodes are single malloc'd blocks (HashNode, SetNode...): freeing it and
// measuring it, the same for every type that keeps one.
#pragma once
#include <malloc.h>

#include <cstdlib>

#include "store/dict.h"

namespace gearsd::store {

// Frees every node and the table itself.
template <class Node, class Traits>
void destroyNodeTable(Dict<Node, Traits>* d) {
  d->clear([](Node* n) { std::free(n); });
  delete d;
}

// Bytes held: the table, its buckets and every node (MEMORY USAGE).
template <class Node, class Traits>
size_t nodeTableBytes(const Dict<Node, Traits>& d) {
  size_t n = sizeof(d) + d.bucketCount() * sizeof(void*);
  d.forEach([&](Node* node) { n += malloc_usable_size(node); });
  return n;
}

}  // namespace gearsd::store
