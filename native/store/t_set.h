// The set value type. Commands live in t_set.cc; the type is declared here because other
// code reads sets too (the Gears engine turns them into Python values).
//
// Two encodings, as in Redis 7.0:
//  - intset ("intset"): a sorted array of integers (intset.h), while every member is an
//    integer in canonical form and there are at most set-max-intset-entries of them;
//  - table ("hashtable"): a Dict of SetNodes, one allocation per member.
// A set converts once, when it outgrows the intset, and never converts back.
//
// Read-only API for other code: size(), contains(member), forEach(fn(member)). Members of
// an intset are formatted into a scratch buffer, so a view passed to fn is only valid
// during that call.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "store/dict.h"
#include "store/intset.h"
#include "store/keyspace.h"
#include "store/numbers.h"

namespace gearsd::store {

struct SetNode {
  SetNode* next;
  uint32_t len;
  char data[];

  std::string_view member() const { return {data, len}; }
  static SetNode* create(std::string_view member);
};

struct SetNodeTraits {
  static std::string_view key(const SetNode* n) { return n->member(); }
  static SetNode*& next(SetNode* n) { return n->next; }
};

using SetTable = Dict<SetNode, SetNodeTraits>;

class SetObject final : public Object {
 public:
  SetObject() = default;
  SetObject(const SetObject&) = delete;
  SetObject& operator=(const SetObject&) = delete;
  ~SetObject() override;

  size_t memoryUsage() const override;
  std::unique_ptr<Object> clone() const override;
  const char* encodingName() const override { return isIntset() ? "intset" : "hashtable"; }

  // ---- reading -----------------------------------------------------------------------
  size_t size() const { return isIntset() ? count_ : tab_->size(); }
  bool contains(std::string_view member) const;
  // Visits every member in a stable order: ascending while an intset, table order after.
  template <class F>
  void forEach(F&& fn) const {
    if (isIntset()) {
      for (uint32_t i = 0; i < count_; i++) fn(std::string_view(formatInt64(intset::get(ints_, width_, i))));
    } else {
      tab_->forEach([&](const SetNode* n) { fn(n->member()); });
    }
  }

  bool isIntset() const { return enc_ == kIntset; }
  const SetTable& table() const { return *tab_; }  // only when !isIntset()
  // The i-th integer of an intset (ascending).
  int64_t intAt(uint32_t i) const { return intset::get(ints_, width_, i); }

  // A member chosen uniformly at random, as a string; the set must not be empty.
  std::string randomMember(std::mt19937_64& rng) const;

  // ---- writing (t_set.cc) ---------------------------------------------------------------
  bool add(std::string_view member);     // true when new; converts as needed
  bool remove(std::string_view member);  // true when it was there
  void convertToTable();

 private:
  static constexpr uint8_t kIntset = 0, kTable = 1;

  union {
    char* ints_ = nullptr;  // intset
    SetTable* tab_;         // table
  };
  uint32_t count_ = 0;      // intset: members
  uint8_t width_ = 2;       // intset: bytes per member
  uint8_t enc_ = kIntset;
};

}  // namespace gearsd::store
