// The list value type: a doubly linked chain of packed nodes (OBJECT ENCODING "quicklist",
// as Redis 7.0 reports every list).
//
// Tour:
//  - A ListNode is one allocation holding a run of entries back to back, with free room
//    kept on both sides of the run ([begin, end) of data[cap]), so pushing or popping at
//    either end of a list is O(1) amortised: no per-element allocation, no moving the
//    other entries of the node.
//  - An entry is [length varint][bytes][entry size, written backwards]. The trailing size
//    lets a walk go from the tail towards the head (RPOP, negative indexes, LREM -N)
//    without decoding the node from its start.
//  - How full a node may grow is list-max-listpack-size (alias list-max-ziplist-size),
//    taken when the list is created, as Redis does: a negative value bounds its bytes
//    (-1 = 4 KiB ... -5 = 64 KiB), a positive one its entries (and 8 KiB at most).
//    An element larger than the bound gets a node of its own.
//
// Other code (the Gears engine turning values into Python records) reads lists only through
// size(), forEach() and index(). Everything else is for t_list.cc.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "store/keyspace.h"

namespace gearsd::store {

// ---- entry encoding ------------------------------------------------------------------------
namespace listentry {

inline uint32_t varintSize(uint64_t v) {
  uint32_t n = 1;
  while (v >= 128) {
    v >>= 7;
    n++;
  }
  return n;
}

// Bytes an element of `len` bytes takes in a node.
inline uint64_t encodedSize(uint64_t len) {
  uint64_t head = varintSize(len) + len;
  return head + varintSize(head);
}

// Writes an entry at p (exactly encodedSize(v.size()) bytes).
inline void write(char* p, std::string_view v) {
  auto* u = reinterpret_cast<unsigned char*>(p);
  uint64_t len = v.size();
  uint32_t n = 0;
  do {
    unsigned char b = len & 127;
    len >>= 7;
    u[n++] = b | (len ? 128 : 0);
  } while (len);
  if (!v.empty()) std::memcpy(u + n, v.data(), v.size());
  uint64_t head = n + v.size();
  unsigned char* back = u + head;
  uint32_t m = varintSize(head);
  for (uint32_t i = 0; i < m; i++) back[m - 1 - i] = static_cast<unsigned char>(((head >> (7 * i)) & 127) | (i + 1 < m ? 128 : 0));
}

// Decodes the entry starting at p; *size receives its encoded size.
inline std::string_view read(const char* p, uint32_t* size) {
  auto* u = reinterpret_cast<const unsigned char*>(p);
  uint64_t len = 0;
  uint32_t n = 0;
  int shift = 0;
  unsigned char b;
  do {
    b = u[n++];
    len |= static_cast<uint64_t>(b & 127) << shift;
    shift += 7;
  } while (b & 128);
  uint64_t head = n + len;
  *size = static_cast<uint32_t>(head + varintSize(head));
  return {p + n, static_cast<size_t>(len)};
}

// Encoded size of the entry that ends just before `end`.
inline uint32_t sizeBefore(const char* end) {
  auto* u = reinterpret_cast<const unsigned char*>(end);
  uint64_t head = 0;
  uint32_t n = 0;
  unsigned char b;
  do {
    b = *--u;
    head |= static_cast<uint64_t>(b & 127) << (7 * n);
    n++;
  } while (b & 128);
  return static_cast<uint32_t>(head + n);
}

}  // namespace listentry

struct ListNode {
  ListNode* prev;
  ListNode* next;
  uint32_t count;  // entries
  uint32_t begin;  // [begin, end) of data holds the entries
  uint32_t end;
  uint32_t cap;    // usable bytes of data
  char data[];

  uint32_t bytes() const { return end - begin; }
};

// A place in a list: the node and the offset of an entry in it. Invalidated by any change
// to the list except through the functions that return a new one.
struct ListPos {
  ListNode* node = nullptr;
  uint32_t off = 0;
  explicit operator bool() const { return node != nullptr; }
};

class ListObject final : public Object {
 public:
  enum End : uint8_t { kHead, kTail };

  // Largest element a list can hold (node offsets are 32-bit).
  static constexpr uint64_t kMaxElement = 0xFFFFFF00u;

  explicit ListObject(int fill);
  ~ListObject() override;
  ListObject(const ListObject&) = delete;
  ListObject& operator=(const ListObject&) = delete;

  // ---- the read-only API ------------------------------------------------------------
  size_t size() const { return count_; }
  // Calls fn(std::string_view) for every element, head to tail.
  template <class F>
  void forEach(F&& fn) const {
    for (const ListNode* n = head_; n; n = n->next) {
      uint32_t off = n->begin;
      while (off < n->end) {
        uint32_t sz;
        fn(listentry::read(n->data + off, &sz));
        off += sz;
      }
    }
  }
  // The element at an index as LINDEX counts (negative from the tail), if there is one.
  // The view lives until the list changes.
  std::optional<std::string_view> index(int64_t i) const;

  // ---- Object -------------------------------------------------------------------------
  size_t memoryUsage() const override;
  std::unique_ptr<Object> clone() const override;
  const char* encodingName() const override { return "quicklist"; }

  // ---- changes and walks (t_list.cc) -----------------------------------------------------
  // `bytesComing`: what the caller is about to push after v (LPUSH with many elements), so
  // a new node is allocated for all of it at once.
  void push(End where, std::string_view v, uint64_t bytesComing = 0);
  std::string_view peek(End where) const;  // list must not be empty
  void pop(End where);                     // list must not be empty

  ListPos first() const { return head_ ? ListPos{head_, head_->begin} : ListPos{}; }
  ListPos last() const;
  ListPos seek(size_t index) const;  // index < size()
  static std::string_view at(ListPos p) {
    uint32_t sz;
    return listentry::read(p.node->data + p.off, &sz);
  }
  static ListPos next(ListPos p);
  static ListPos prev(ListPos p);

  void insert(ListPos p, bool after, std::string_view v);  // LINSERT
  void replace(ListPos p, std::string_view v);             // LSET
  // Removes the element at p; returns the element that followed it in the walk's
  // direction (towards the tail when `forward`), or an empty position.
  ListPos erase(ListPos p, bool forward);
  // Removes `n` elements starting at index `start` (counted from the head).
  void eraseRange(size_t start, size_t n);

 private:
  bool fits(const ListNode* n, uint64_t entryBytes) const;
  uint32_t sizeLimit() const;
  static ListNode* newNode(size_t cap);
  void linkAfter(ListNode* at, ListNode* n);  // at == nullptr: becomes the head
  void unlink(ListNode* n);
  // realloc, keeping the chain linked to the (maybe moved) node; null when it failed.
  ListNode* resizeNode(ListNode* n, size_t cap);
  // Makes room for `len` bytes at offset `off` of n (between two entries); returns where
  // the room starts. May reallocate n (n is updated). `prefer` says which side of the
  // node should keep the spare room when the entries have to move.
  uint32_t openGap(ListNode*& n, uint32_t off, uint32_t len, End prefer);
  // Removes the entry at off (encoded size sz); returns the offset where it was, now the
  // boundary between its neighbours.
  uint32_t closeGap(ListNode* n, uint32_t off, uint32_t sz);
  void insertAtGap(ListNode* n, uint32_t gap, std::string_view v);
  void dropNode(ListNode* n);
  void shrinkIfSparse(ListNode* n);

  ListNode* head_ = nullptr;
  ListNode* tail_ = nullptr;
  size_t count_ = 0;
  int16_t fill_;
};

}  // namespace gearsd::store
