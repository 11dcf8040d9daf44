// GearsDict: a string-keyed table that iterates in exactly the order RedisGears' own dict
// does, so that records built from it (KeysReader dicts, hash fields, groupby output, the
// executions list) come out in the order RedisGears users see.
//
// RedisGears 1.2 copies Redis's dict.c: power-of-two tables starting at 4 buckets, SipHash-1-2
// with a zero key (it never seeds it), new entries pushed at the head of their bucket, growth to
// the next power of two >= 2*used once used >= size, and incremental rehashing: every find,
// add and delete first moves one bucket from the old table to the new one (visiting at most ten
// empty buckets), re-pushing each moved entry at the head of its new bucket. Iteration walks the
// old table's buckets and then the new one's. Reproducing those rules reproduces the order.
// The table never shrinks (RedisGears never asks it to).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "python/siphash.h"

namespace gearsd::python {

template <class V>
class GearsDict {
 public:
  GearsDict() = default;
  GearsDict(const GearsDict&) = delete;
  GearsDict& operator=(const GearsDict&) = delete;
  ~GearsDict() { clear(); }

  size_t size() const { return t_[0].used + t_[1].used; }
  bool empty() const { return size() == 0; }

  // Looks a key up; like dictFind, this moves one bucket when a rehash is under way.
  V* find(std::string_view key) {
    if (size() == 0) return nullptr;
    rehashStep();
    uint64_t h = siphash12ZeroKey(key);
    for (int t = 0; t <= 1; t++) {
      Table& tab = t_[t];
      if (tab.buckets.empty()) break;
      for (Node* n = tab.buckets[h & tab.mask()]; n; n = n->next)
        if (n->key == key) return &n->value;
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Adds a key that is known to be absent (dictAdd after a failed find).
  V& add(std::string_view key, V value) {
    rehashStep();
    expandIfNeeded();
    Table& tab = rehashing() ? t_[1] : t_[0];
    Node* n = new Node{std::string(key), std::move(value), nullptr};
    size_t idx = siphash12ZeroKey(key) & tab.mask();
    n->next = tab.buckets[idx];
    tab.buckets[idx] = n;
    tab.used++;
    return n->value;
  }

  // Removes a key; returns false when it was absent.
  bool erase(std::string_view key) {
    if (size() == 0) return false;
    rehashStep();
    uint64_t h = siphash12ZeroKey(key);
    for (int t = 0; t <= 1; t++) {
      Table& tab = t_[t];
      if (tab.buckets.empty()) break;
      for (Node** link = &tab.buckets[h & tab.mask()]; *link; link = &(*link)->next) {
        if ((*link)->key == key) {
          Node* dead = *link;
          *link = dead->next;
          delete dead;
          tab.used--;
          return true;
        }
      }
      if (!rehashing()) break;
    }
    return false;
  }

  // Visits entries in RedisGears' iteration order: fn(const std::string& key, V& value).
  template <class F>
  void forEach(F&& fn) {
    for (int t = 0; t <= 1; t++)
      for (Node* head : t_[t].buckets)
        for (Node* n = head; n; n = n->next) fn(n->key, n->value);
  }

  void clear() {
    for (int t = 0; t <= 1; t++) {
      for (Node* head : t_[t].buckets) {
        while (head) {
          Node* next = head->next;
          delete head;
          head = next;
        }
      }
      t_[t] = Table{};
    }
    rehashIdx_ = -1;
  }

 private:
  struct Node {
    std::string key;
    V value;
    Node* next;
  };
  struct Table {
    std::vector<Node*> buckets;
    size_t used = 0;
    size_t mask() const { return buckets.size() - 1; }
  };

  bool rehashing() const { return rehashIdx_ >= 0; }

  void expandIfNeeded() {
    if (rehashing()) return;
    if (t_[0].buckets.empty()) {
      t_[0].buckets.assign(kInitialSize, nullptr);
    } else if (t_[0].used >= t_[0].buckets.size()) {
      size_t n = kInitialSize;
      while (n < t_[0].used * 2) n <<= 1;
      t_[1].buckets.assign(n, nullptr);
      rehashIdx_ = 0;
    }
  }

  void rehashStep() {
    if (!rehashing()) return;
    int emptyVisits = 10;
    if (t_[0].used > 0) {
      while (!t_[0].buckets[rehashIdx_]) {
        rehashIdx_++;
        if (--emptyVisits == 0) return;
      }
      Node* n = t_[0].buckets[rehashIdx_];
      while (n) {
        Node* next = n->next;
        size_t idx = siphash12ZeroKey(n->key) & t_[1].mask();
        n->next = t_[1].buckets[idx];
        t_[1].buckets[idx] = n;
        t_[0].used--;
        t_[1].used++;
        n = next;
      }
      t_[0].buckets[rehashIdx_] = nullptr;
      rehashIdx_++;
    }
    if (t_[0].used == 0) {
      t_[0] = std::move(t_[1]);
      t_[1] = Table{};
      rehashIdx_ = -1;
    }
  }

  static constexpr size_t kInitialSize = 4;
  Table t_[2];
  long rehashIdx_ = -1;
};

// The order RedisGears gives the fields of a hash-set record built by setting `keys` one after
// the other (each set is a find, then an add): the permutation as indexes into `keys`.
std::vector<uint32_t> gearsFieldOrder(const std::vector<std::string_view>& keys);

}  // namespace gearsd::python
