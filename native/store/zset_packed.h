// PackedZSet: the small encoding of a sorted set (OBJECT ENCODING "listpack", as Redis
// names it), used up to zset-max-listpack-entries members of at most
// zset-max-listpack-value bytes.
//
// Every (member, score) pair sits in one malloc'd buffer, in rank order:
//
//   [len: varint][member bytes][score: 1 to 9 bytes][size of the rest: varint, backwards]
//
// The score takes one byte for an integer 0..127 and grows with its magnitude up to a
// tagged 8-byte double (see zset_packed.cc), so a set of small members with small integer
// scores costs about three bytes per member beyond the members themselves. The trailing
// size lets a position step backwards in O(1), so reverse ranges cost the same as forward
// ones. Positions are byte offsets of an entry's start; they stay valid until the set
// changes. Lookups and ranks are linear, which is what keeps this encoding small.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gearsd::store {

class PackedZSet {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  // A packed set never grows past this (Redis's listpack safety limit); beyond it the
  // set converts to the skip list.
  static constexpr size_t kMaxBytes = 1u << 30;

  PackedZSet() = default;
  PackedZSet(const PackedZSet&) = delete;
  PackedZSet& operator=(const PackedZSet&) = delete;
  ~PackedZSet();

  uint32_t size() const { return count_; }
  size_t bytes() const { return used_; }
  size_t memoryUsage() const;
  void copyFrom(const PackedZSet& o);
  void clear();
  void reserve(size_t bytes);
  void shrinkToFit();

  // --- positions ---------------------------------------------------------------------
  uint32_t first() const { return count_ ? 0 : kNone; }
  uint32_t last() const { return count_ ? prev(used_) : kNone; }
  uint32_t next(uint32_t pos) const;  // kNone after the last entry
  uint32_t prev(uint32_t pos) const;  // kNone before the first; prev(bytes()) is the last
  std::string_view member(uint32_t pos) const;
  double score(uint32_t pos) const;

  uint32_t find(std::string_view member) const;  // kNone when absent
  uint32_t atRank(size_t rank) const;             // rank < size()
  size_t rankOf(uint32_t pos) const;

  // Would adding this member keep the buffer within kMaxBytes?
  bool fits(size_t memberLen) const { return used_ + maxEntrySize(memberLen) <= kMaxBytes; }
  // An upper bound of what one entry takes (the score at its largest).
  static size_t maxEntrySize(size_t memberLen);

  // --- changes -------------------------------------------------------------------------
  void insert(std::string_view member, double score);  // member must not be present
  void append(std::string_view member, double score);  // must sort after every entry
  void erase(uint32_t pos);
  // Removes the n entries from `from` up to (not including) `to`; `to` may be kNone.
  void eraseSpan(uint32_t from, uint32_t to, uint32_t n);

 private:
  uint32_t endOf(uint32_t pos) const;
  void makeRoom(uint32_t at, size_t n);
  void insertAt(uint32_t at, std::string_view member, double score);

  char* buf_ = nullptr;
  uint32_t used_ = 0;
  uint32_t cap_ = 0;
  uint32_t count_ = 0;
};

}  // namespace gearsd::store
