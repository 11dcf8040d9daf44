// SkipZSet: the large encoding of a sorted set (OBJECT ENCODING "skiplist"): a skip list
// ordered by (score, member) whose links carry spans, so rank lookups and rank ranges are
// O(log n) as in Redis, plus the store's Dict from member to node for O(1) ZSCORE.
//
// One allocation per member: the node is at the same time the skip list node and the
// Dict's intrusive entry, and holds the member bytes after its levels. A node's height is
// drawn from the member's (per-process seeded) hash with Redis's p = 1/4, so building the
// structure needs no random generator and a score update keeps the node's height.
//
// Positions handed out (const ZNode*) stay valid until the set changes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/dict.h"
#include "store/zset_range.h"

namespace gearsd::store {

struct ZNode {
  struct Level {
    ZNode* forward;
    uint64_t span;  // members skipped by following `forward` at this level
  };

  ZNode* dictNext;
  ZNode* backward;
  double score;
  uint32_t len;
  uint8_t height;
  Level lv[];  // `height` levels, then the member bytes

  std::string_view member() const { return {reinterpret_cast<const char*>(lv + height), len}; }
};

struct ZNodeTraits {
  static std::string_view key(const ZNode* n) { return n->member(); }
  static ZNode*& next(ZNode* n) { return n->dictNext; }
};

class SkipZSet {
 public:
  static constexpr int kMaxHeight = 32;

  SkipZSet();
  SkipZSet(const SkipZSet&) = delete;
  SkipZSet& operator=(const SkipZSet&) = delete;
  ~SkipZSet();

  size_t size() const { return length_; }
  size_t memoryUsage() const;
  void copyFrom(const SkipZSet& o);

  // --- reads -----------------------------------------------------------------------------
  const ZNode* first() const { return header_->lv[0].forward; }
  const ZNode* last() const { return tail_; }
  static const ZNode* next(const ZNode* n) { return n->lv[0].forward; }
  static const ZNode* prev(const ZNode* n) { return n->backward; }

  const ZNode* find(std::string_view member) const { return dict_.find(member); }
  const ZNode* atRank(size_t rank) const;  // 0-based; null when out of range
  size_t rankOf(const ZNode* n) const;     // 0-based

  // First / last node inside the range, or null when the range holds none.
  const ZNode* firstInRange(const ScoreRange& r) const;
  const ZNode* lastInRange(const ScoreRange& r) const;
  const ZNode* firstInRange(const LexRange& r) const;
  const ZNode* lastInRange(const LexRange& r) const;

  // One step of a Redis SCAN over the members (see Dict::scan).
  template <class F>
  uint64_t scan(uint64_t cursor, F&& fn) const {
    return dict_.scan(cursor, [&](ZNode* n) { fn(static_cast<const ZNode*>(n)); });
  }

  // --- changes -----------------------------------------------------------------------------
  void insert(std::string_view member, double score);  // member must not be present
  void updateScore(const ZNode* n, double score);      // keeps the node, moves it if needed
  bool remove(std::string_view member);
  // Each removes the members in the range and returns how many.
  size_t removeRange(const ScoreRange& r);
  size_t removeRange(const LexRange& r);
  size_t removeRankRange(size_t start, size_t end);  // 0-based, inclusive, within bounds

 private:
  using Update = ZNode* [kMaxHeight];

  static ZNode* allocNode(int height, std::string_view member, double score);
  void freeNode(ZNode* n);
  // Fills `update` with the last node before (score, member) at every level.
  void findUpdate(double score, std::string_view member, Update& update) const;
  void link(ZNode* n);
  void unlink(ZNode* n, Update& update);
  // Unlinks and frees the nodes from `x` on while `inRange(x)` and `limit` lasts.
  template <class InRange>
  size_t removeFrom(ZNode* x, Update& update, InRange&& inRange, size_t limit);

  Dict<ZNode, ZNodeTraits> dict_;
  ZNode* header_;
  ZNode* tail_ = nullptr;
  size_t length_ = 0;
  int height_ = 1;
  size_t nodeBytes_ = 0;
};

}  // namespace gearsd::store
