// The hash value type. Commands live in t_hash.cc; the type is declared here because
// other code reads hashes too (the Gears engine turns them into Python dicts).
//
// Two encodings, as in Redis:
//  - packed (OBJECT ENCODING "listpack"): field, value, field, value... in one packed.h
//    block, in insertion order. Used while the hash has at most hash-max-listpack-entries
//    fields and no field or value longer than hash-max-listpack-value bytes.
//  - table ("hashtable"): a Dict of HashNodes, each one allocation holding field and
//    value. A hash converts once, when it outgrows the limits, and never converts back.
//
// Read-only API for other code: size(), find(field), forEach(fn(field, value)). Views
// returned stay valid until the hash is next modified.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "store/dict.h"
#include "store/keyspace.h"
#include "store/packed.h"

namespace gearsd::store {

struct HashNode {
  HashNode* next;
  uint32_t fieldLen;
  uint32_t valueLen;
  char data[];  // field bytes, then value bytes

  std::string_view field() const { return {data, fieldLen}; }
  std::string_view value() const { return {data + fieldLen, valueLen}; }
  static HashNode* create(std::string_view field, std::string_view value);
};

struct HashNodeTraits {
  static std::string_view key(const HashNode* n) { return n->field(); }
  static HashNode*& next(HashNode* n) { return n->next; }
};

using HashTable = Dict<HashNode, HashNodeTraits>;

class HashObject final : public Object {
 public:
  HashObject() = default;
  HashObject(const HashObject&) = delete;
  HashObject& operator=(const HashObject&) = delete;
  ~HashObject() override;

  size_t memoryUsage() const override;
  std::unique_ptr<Object> clone() const override;
  const char* encodingName() const override { return packed() ? "listpack" : "hashtable"; }

  // ---- reading -----------------------------------------------------------------------
  size_t size() const;
  std::optional<std::string_view> find(std::string_view field) const;
  // Visits every (field, value) in a stable order: insertion order while packed, table
  // order after; the same order on every call while the hash is not modified.
  template <class F>
  void forEach(F&& fn) const {
    if (packed()) {
      packed::Reader r(buf_, used_);
      while (!r.done()) {
        std::string_view f = r.next();
        fn(f, r.next());
      }
    } else {
      table().forEach([&](const HashNode* n) { fn(n->field(), n->value()); });
    }
  }

  bool packed() const { return enc_ == kPacked; }
  const HashTable& table() const { return *tab_; }  // only when !packed()

  // A field chosen uniformly at random; the hash must not be empty.
  std::pair<std::string_view, std::string_view> randomPair(std::mt19937_64& rng) const;

  // ---- writing (t_hash.cc) -------------------------------------------------------------
  // Converts to the table encoding when the strings a command is about to store include
  // one longer than hash-max-listpack-value (`longest`), or would grow the block past what
  // it may hold (`total`): Redis checks a command's arguments before storing any of them.
  void prepareForStrings(size_t longest, size_t total);
  // Sets field to value; true when the field is new. Converts past the entry limit.
  bool set(std::string_view field, std::string_view value);
  bool erase(std::string_view field);
  void convertToTable();

 private:
  static constexpr uint8_t kPacked = 0, kTable = 1;
  static constexpr uint16_t kCountUnknown = UINT16_MAX;  // the packed count saturates

  // Byte offsets of a field's entry and of the end of its value's entry in the block.
  bool locate(std::string_view field, uint32_t& start, uint32_t& valueStart, uint32_t& end) const;
  size_t countPacked() const;

  union {
    char* buf_ = nullptr;  // packed
    HashTable* tab_;       // table
  };
  uint32_t used_ = 0;      // packed: bytes in buf_
  uint16_t count_ = 0;     // packed: pairs, or kCountUnknown
  uint8_t enc_ = kPacked;
};

}  // namespace gearsd::store
