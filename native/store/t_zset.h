// ZSetObject: the value of a sorted-set key, in one of Redis's two encodings.
//
//  - small sets live in a PackedZSet (OBJECT ENCODING "listpack"): one buffer, linear;
//  - a set outgrows it when it gets more than zset-max-listpack-entries members or a
//    member longer than zset-max-listpack-value bytes, and moves for good to a SkipZSet
//    (OBJECT ENCODING "skiplist"): O(log n) ranks and ranges, O(1) scores.
// The rules for choosing and converting are Redis 7.0's, so OBJECT ENCODING answers the
// same as redis-server after the same commands.
//
// Other code (the Gears engine turning values into records) reads a set through the
// read-only part: size(), score(member), forEach(fn(member, score)) in rank order.
// The commands (t_zset.cc) also use the cursors and the changes below.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store/keyspace.h"
#include "store/zset_packed.h"
#include "store/zset_range.h"
#include "store/zset_skiplist.h"

namespace gearsd::store {

// A position in a set's rank order, in either encoding; valid until the set changes.
class ZCursor {
 public:
  bool valid() const { return packed_ ? pos_ != PackedZSet::kNone : node_ != nullptr; }
  std::string_view member() const { return packed_ ? packed_->member(pos_) : node_->member(); }
  double score() const { return packed_ ? packed_->score(pos_) : node_->score; }
  void next() { packed_ ? void(pos_ = packed_->next(pos_)) : void(node_ = SkipZSet::next(node_)); }
  void prev() { packed_ ? void(pos_ = packed_->prev(pos_)) : void(node_ = SkipZSet::prev(node_)); }
  void step(bool reverse) { reverse ? prev() : next(); }

 private:
  friend class ZSetObject;
  const PackedZSet* packed_ = nullptr;
  uint32_t pos_ = PackedZSet::kNone;
  const ZNode* node_ = nullptr;
};

// One (member, score) pair; the member is a view whose owner the user keeps alive.
struct ZEntry {
  std::string_view member;
  double score;
};

// Sorts entries by score, then member: the order of every sorted-set reply.
void sortInRankOrder(std::vector<ZEntry>& entries);

class ZSetObject final : public Object {
 public:
  // ZADD's flags (Redis's ZADD_IN_*) and what add() did (ZADD_OUT_*).
  enum AddFlags : int { kIncr = 1 << 0, kNx = 1 << 1, kXx = 1 << 2, kGt = 1 << 3, kLt = 1 << 4 };
  enum AddOutcome : int { kOutNan = 1 << 0, kOutAdded = 1 << 1, kOutUpdated = 1 << 2, kOutNop = 1 << 3 };

  // An empty set in the encoding ZADD picks for a new key whose first member has this length.
  static ZSetObject* createFor(size_t firstMemberLen);
  // A set holding `entries` (in any order, members distinct), in the encoding Redis gives
  // the result of ZUNIONSTORE / ZRANGESTORE: small when it fits the listpack limits.
  static ZSetObject* fromEntries(std::vector<ZEntry>& entries);

  // --- Object --------------------------------------------------------------------------
  size_t memoryUsage() const override;
  std::unique_ptr<Object> clone() const override;
  const char* encodingName() const override { return sk_ ? "skiplist" : "listpack"; }

  // --- read-only API --------------------------------------------------------------------
  size_t size() const { return sk_ ? sk_->size() : pk_.size(); }
  std::optional<double> score(std::string_view member) const;
  // fn(std::string_view member, double score), lowest score first.
  template <class F>
  void forEach(F&& fn) const {
    for (ZCursor c = first(); c.valid(); c.next()) fn(c.member(), c.score());
  }

  // --- cursors -------------------------------------------------------------------------------
  bool isPacked() const { return !sk_; }
  ZCursor first() const;
  ZCursor last() const;
  ZCursor atRank(size_t rank) const;  // 0-based; invalid when out of range
  std::optional<size_t> rank(std::string_view member) const;  // 0-based, lowest first
  ZCursor firstInRange(const ScoreRange& r) const;
  ZCursor lastInRange(const ScoreRange& r) const;
  ZCursor firstInRange(const LexRange& r) const;
  ZCursor lastInRange(const LexRange& r) const;
  // ZCOUNT / ZLEXCOUNT. As in Redis, a packed set counts the run from the first member
  // inside the range, a skip list subtracts ranks: they differ only for lex ranges over
  // members with different scores, where the result is unspecified anyway.
  size_t countInRange(const ScoreRange& r) const;
  size_t countInRange(const LexRange& r) const;
  const SkipZSet* skiplist() const { return sk_.get(); }  // null while packed (ZSCAN)
  ZCursor randomMember(std::mt19937_64& rng) const;

  // --- changes ------------------------------------------------------------------------------
  // Redis's zsetAdd: adds or updates one member under the AddFlags, returning AddOutcome
  // bits (kOutNan: the result would be NaN and nothing changed). *newScore gets the
  // member's score when the operation was not a no-op.
  int add(std::string_view member, double score, int flags, double* newScore);
  bool remove(std::string_view member);
  // Removes the first (or last) member, handing it back.
  void pop(bool last, std::string& member, double& score);
  size_t removeRankRange(size_t start, size_t end);  // 0-based, inclusive, within bounds
  size_t removeRange(const ScoreRange& r);
  size_t removeRange(const LexRange& r);
  // Moves a packed set to the skip list for good (SORT does this to the set it reads,
  // as Redis's zsetConvert: OBJECT ENCODING shows it).
  void convertToSkiplist();

 private:
  ZCursor packedAt(uint32_t pos) const;
  ZCursor nodeAt(const ZNode* n) const;

  PackedZSet pk_;
  std::unique_ptr<SkipZSet> sk_;  // set once the set has outgrown pk_
};

}  // namespace gearsd::store
