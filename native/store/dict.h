// Dict: the one hash table of the store (keyspace, expires, hash fields, set members...).
//
// An intrusive chained table, as in Redis's dict.c: the node type carries its own `next`
// pointer, so an entry costs one bucket slot plus what the node already is. Sizes are
// powers of two. Growing and shrinking are incremental: while a rehash is under way there
// are two tables, and every write moves a bucket (plus `rehashFor()` from the server cron),
// so no single call pays for moving a million entries.
//
// scan() uses Redis's reverse-binary cursor, which guarantees that an element present for
// the whole iteration is returned at least once even if the table is resized in between.
//
// Traits must provide:
//   static std::string_view key(const Node*);
//   static Node*& next(Node*);
#pragma once
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string_view>
#include <utility>

#include "store/hashing.h"

namespace gearsd::store {

template <class Node, class Traits>
class Dict {
 public:
  Dict() = default;
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;
  Dict(Dict&& o) noexcept { moveFrom(o); }
  Dict& operator=(Dict&& o) noexcept {
    if (this != &o) {
      freeTables();
      moveFrom(o);
    }
    return *this;
  }
  ~Dict() { freeTables(); }

  size_t size() const { return t_[0].used + t_[1].used; }
  bool empty() const { return size() == 0; }
  size_t bucketCount() const { return t_[0].size() + t_[1].size(); }
  bool rehashing() const { return rehashIdx_ >= 0; }

  static uint64_t hashOf(std::string_view k) { return hashBytes(k); }

  Node* find(std::string_view k) const { return find(k, hashOf(k)); }
  Node* find(std::string_view k, uint64_t h) const {
    if (size() == 0) return nullptr;
    for (int t = 0; t <= 1; t++) {
      const Table& tab = t_[t];
      if (!tab.buckets) break;
      size_t idx = h & tab.mask;
      // During a rehash, buckets of table 0 below rehashIdx_ are already empty.
      if (t == 0 && rehashing() && static_cast<long>(idx) < rehashIdx_) continue;
      for (Node* n = tab.buckets[idx]; n; n = Traits::next(n))
        if (Traits::key(n) == k) return n;
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Inserts a node whose key is known not to be present.
  void insert(Node* n) { insert(n, hashOf(Traits::key(n))); }
  void insert(Node* n, uint64_t h) {
    rehashStep();
    expandIfNeeded();
    Table& tab = rehashing() ? t_[1] : t_[0];
    size_t idx = h & tab.mask;
    Traits::next(n) = tab.buckets[idx];
    tab.buckets[idx] = n;
    tab.used++;
  }

  // Removes the node with key k and returns it (the caller frees it), or nullptr.
  Node* unlink(std::string_view k) { return unlink(k, hashOf(k)); }
  Node* unlink(std::string_view k, uint64_t h) {
    if (size() == 0) return nullptr;
    rehashStep();
    Node* found = nullptr;
    for (int t = 0; t <= 1 && !found; t++) {
      Table& tab = t_[t];
      if (!tab.buckets) break;
      size_t idx = h & tab.mask;
      for (Node** link = &tab.buckets[idx]; *link; link = &Traits::next(*link)) {
        if (Traits::key(*link) == k) {
          found = *link;
          *link = Traits::next(found);
          Traits::next(found) = nullptr;
          tab.used--;
          break;
        }
      }
      if (!rehashing()) break;
    }
    if (found) shrinkIfNeeded();
    return found;
  }

  // Replaces `oldNode` (which must be in the table under the same key) by `newNode`.
  void replaceNode(Node* oldNode, Node* newNode) {
    uint64_t h = hashOf(Traits::key(oldNode));
    for (int t = 0; t <= 1; t++) {
      Table& tab = t_[t];
      if (!tab.buckets) break;
      for (Node** link = &tab.buckets[h & tab.mask]; *link; link = &Traits::next(*link)) {
        if (*link == oldNode) {
          Traits::next(newNode) = Traits::next(oldNode);
          *link = newNode;
          return;
        }
      }
    }
  }

  // Visits every node; fn may not modify the table.
  template <class F>
  void forEach(F&& fn) const {
    for (int t = 0; t <= 1; t++) {
      const Table& tab = t_[t];
      for (size_t i = 0; i < tab.size(); i++)
        for (Node* n = tab.buckets[i]; n;) {
          Node* next = Traits::next(n);
          fn(n);
          n = next;
        }
    }
  }

  // Empties the table, handing every node to freeFn.
  template <class F>
  void clear(F&& freeFn) {
    forEach([&](Node* n) { freeFn(n); });
    freeTables();
  }

  // One step of a Redis SCAN: calls fn for every node of the bucket(s) at `cursor` and
  // returns the next cursor (0 when the iteration is complete).
  template <class F>
  uint64_t scan(uint64_t cursor, F&& fn) const {
    if (size() == 0) return 0;
    uint64_t v = cursor;
    if (!rehashing()) {
      const Table& t0 = t_[0];
      visitBucket(t0, v & t0.mask, fn);
      v = nextCursor(v, t0.mask);
    } else {
      const Table* small = &t_[0];
      const Table* large = &t_[1];
      if (small->size() > large->size()) std::swap(small, large);
      visitBucket(*small, v & small->mask, fn);
      // Then every bucket of the larger table that the small bucket expands into.
      do {
        visitBucket(*large, v & large->mask, fn);
        v = nextCursor(v, large->mask);
      } while (v & (small->mask ^ large->mask));
    }
    return v;
  }

  // Up to `maxSteps` scan() steps in one go, for walks over a large table (the Gears readers):
  // the same cursor, the same guarantees, but the buckets and chain heads a few steps ahead are
  // prefetched, so the cache misses of the reverse-binary order overlap instead of adding up.
  // Stops early, after a whole bucket, once stop() is true. Returns the next cursor (0: done).
  template <class F, class Stop>
  uint64_t scanSteps(uint64_t cursor, size_t maxSteps, F&& fn, Stop&& stop) const {
    if (size() == 0) return 0;
    if (rehashing()) {
      do {
        cursor = scan(cursor, fn);
      } while (cursor != 0 && --maxSteps > 0 && !stop());
      return cursor;
    }
    const Table& t = t_[0];
    constexpr size_t kAhead = 64;  // buckets prefetched ahead; chain heads at half that
    uint64_t ring[kAhead];
    size_t filled = 0;
    uint64_t next = cursor;
    bool ended = false;  // the cursor sequence wrapped to 0 inside the ring
    auto pull = [&] {
      ring[filled++ % kAhead] = next;
      __builtin_prefetch(&t.buckets[next & t.mask]);
      next = nextCursor(next, t.mask);
      if (next == 0) ended = true;
    };
    while (filled < kAhead && !ended) pull();
    for (size_t i = 0; i < maxSteps; i++) {
      if (i + kAhead / 2 < filled) __builtin_prefetch(t.buckets[ring[(i + kAhead / 2) % kAhead] & t.mask]);
      uint64_t v = ring[i % kAhead];
      visitBucket(t, v & t.mask, fn);
      if (i + 1 == filled) return ended ? 0 : next;
      if (!ended) pull();
      if (stop()) return ring[(i + 1) % kAhead];
    }
    return ring[maxSteps % kAhead];
  }

  // A node chosen roughly uniformly at random, or nullptr when empty.
  template <class Rng>
  Node* random(Rng& rng) const {
    if (size() == 0) return nullptr;
    Node* head = nullptr;
    while (!head) head = randomBucket(rng);
    return nth(head, rng() % chainLength(head));
  }

  // A node chosen with every node equally likely (SRANDMEMBER, HRANDFIELD, SPOP), or
  // nullptr when empty. random() above favours nodes in short chains; here a probe picks
  // any bucket and a position below a bound on chain lengths, and a position past the
  // chain's end is rejected, so each (bucket, position) pair, and so each node, is
  // equally likely. The bound starts above what a table kept at load factor <= 1
  // normally has and grows (restarting the draw) if a longer chain shows up.
  template <class Rng>
  Node* fairRandom(Rng& rng) const {
    if (size() == 0) return nullptr;
    size_t bound = 4;
    for (;;) {
      Node* head = randomBucket(rng);
      size_t len = chainLength(head);
      if (len > bound) {
        bound = len;
        continue;
      }
      size_t pick = rng() % bound;
      if (pick < len) return nth(head, pick);
    }
  }

  // Moves up to 100 buckets per step; the server cron calls this so that idle tables
  // finish rehashing too.
  void rehashFor(int64_t steps) {
    while (rehashing() && steps-- > 0) rehashStep(100);
  }

  // Grows the table ahead of inserting `n` more nodes (MSET, SADD of many members...).
  void reserve(size_t n) {
    if (rehashing()) return;
    size_t want = size() + n;
    if (want > t_[0].size()) resize(want);
  }

 private:
  struct Table {
    Node** buckets = nullptr;
    size_t mask = 0;
    size_t used = 0;
    size_t size() const { return buckets ? mask + 1 : 0; }
  };

  static constexpr size_t kInitialSize = 4;

  static uint64_t rev(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(v);
  }
  static uint64_t nextCursor(uint64_t v, uint64_t mask) {
    v |= ~mask;
    v = rev(v);
    v++;
    return rev(v);
  }
  template <class F>
  static void visitBucket(const Table& t, size_t idx, F& fn) {
    for (Node* n = t.buckets[idx]; n;) {
      Node* next = Traits::next(n);
      fn(n);
      n = next;
    }
  }

  // The head of a bucket chosen uniformly among those that may hold nodes (possibly
  // empty): during a rehash, table 0's buckets below rehashIdx_ are known empty.
  template <class Rng>
  Node* randomBucket(Rng& rng) const {
    if (!rehashing()) return t_[0].buckets[rng() & t_[0].mask];
    size_t total = t_[0].size() + t_[1].size();
    size_t i = rehashIdx_ + rng() % (total - rehashIdx_);
    return i >= t_[0].size() ? t_[1].buckets[i - t_[0].size()] : t_[0].buckets[i];
  }
  static size_t chainLength(Node* head) {
    size_t len = 0;
    for (Node* n = head; n; n = Traits::next(n)) len++;
    return len;
  }
  static Node* nth(Node* head, size_t i) {
    while (i--) head = Traits::next(head);
    return head;
  }

  void moveFrom(Dict& o) {
    t_[0] = o.t_[0];
    t_[1] = o.t_[1];
    rehashIdx_ = o.rehashIdx_;
    o.t_[0] = Table{};
    o.t_[1] = Table{};
    o.rehashIdx_ = -1;
  }

  void freeTables() {
    std::free(t_[0].buckets);
    std::free(t_[1].buckets);
    t_[0] = Table{};
    t_[1] = Table{};
    rehashIdx_ = -1;
  }

  static size_t nextPow2(size_t n) {
    size_t s = kInitialSize;
    while (s < n) s <<= 1;
    return s;
  }

  void resize(size_t want) {
    size_t n = nextPow2(want);
    if (n == t_[0].size()) return;
    Table fresh;
    fresh.buckets = static_cast<Node**>(std::calloc(n, sizeof(Node*)));
    fresh.mask = n - 1;
    if (!t_[0].buckets) {
      t_[0] = fresh;
      return;
    }
    t_[1] = fresh;
    rehashIdx_ = 0;
  }

  void expandIfNeeded() {
    if (rehashing()) return;
    if (!t_[0].buckets) {
      resize(kInitialSize);
    } else if (t_[0].used >= t_[0].size()) {
      resize(t_[0].used * 2);
    }
  }

  void shrinkIfNeeded() {
    if (rehashing() || !t_[0].buckets) return;
    size_t sz = t_[0].size();
    if (sz > kInitialSize && t_[0].used * 8 < sz) resize(t_[0].used);
  }

  // Moves up to n buckets from table 0 to table 1 (visiting at most 10n empty ones).
  void rehashStep(int n = 1) {
    if (!rehashing()) return;
    int emptyVisits = n * 10;
    while (n-- && t_[0].used) {
      while (!t_[0].buckets[rehashIdx_]) {
        rehashIdx_++;
        if (--emptyVisits == 0) return;
      }
      Node* node = t_[0].buckets[rehashIdx_];
      while (node) {
        Node* next = Traits::next(node);
        size_t idx = hashOf(Traits::key(node)) & t_[1].mask;
        Traits::next(node) = t_[1].buckets[idx];
        t_[1].buckets[idx] = node;
        t_[0].used--;
        t_[1].used++;
        node = next;
      }
      t_[0].buckets[rehashIdx_] = nullptr;
      rehashIdx_++;
    }
    if (t_[0].used == 0) {
      std::free(t_[0].buckets);
      t_[0] = t_[1];
      t_[1] = Table{};
      rehashIdx_ = -1;
    }
  }

  Table t_[2];
  long rehashIdx_ = -1;
};

}  // namespace gearsd::store
