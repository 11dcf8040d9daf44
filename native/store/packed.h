// Packed strings: the compact small encoding of collections (small hashes, Redis's
// "listpack" in OBJECT ENCODING).
//
// One malloc'd block holds a sequence of byte strings back to back, each as a varint
// length (7 bits per byte, low bits first, high bit = more) followed by its bytes. A
// 20-byte string costs 21 bytes and no pointer, no node, no padding: this is what lets a
// five-field hash cost about what Redis's listpack costs. Lookups walk the block, which
// is fine for the few hundred elements an object keeps in this form before its family
// converts it to a Dict.
//
// The block's owner keeps its pointer and used length (and whatever count it needs) in
// its own fields, so an object's header stays small; these are the functions over it.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace gearsd::store::packed {

// Bytes the entry for a string of n bytes takes.
size_t entrySize(size_t n);

// Reads the entry at p, returns its string and advances p past it.
std::string_view read(const char*& p);

// Replaces `removeBytes` bytes at offset `off` of the block (buf, used) by the entries
// of `insert`, growing or shrinking the allocation; returns the (possibly moved) block.
// With off == used and removeBytes == 0 this appends. A null buf is an empty block.
// The inserted strings must not point into the block.
char* splice(char* buf, uint32_t& used, uint32_t off, uint32_t removeBytes,
             std::initializer_list<std::string_view> insert);

// Iterates the strings of a block in order.
class Reader {
 public:
  Reader(const char* buf, uint32_t used) : p_(buf), end_(buf + used), base_(buf) {}
  bool done() const { return p_ >= end_; }
  uint32_t offset() const { return static_cast<uint32_t>(p_ - base_); }
  std::string_view next() { return read(p_); }

 private:
  const char* p_;
  const char* end_;
  const char* base_;
};

}  // namespace gearsd::store::packed
