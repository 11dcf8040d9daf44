// HashObject (t_hash.h): the two encodings of a hash and the conversion between them.
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "store/node_table.h"
#include "store/t_hash.h"
#include "store/tuning.h"

namespace gearsd::store {
namespace {

// Past this a packed block converts whatever the limits say (Redis's lpSafeToAdd).
constexpr size_t kPackedSafeBytes = 1u << 30;

bool tooLong(size_t n) { return static_cast<int64_t>(n) > tuning().hashMaxListpackValue; }

void freeNode(HashNode* n) { std::free(n); }

}  // namespace

HashNode* HashNode::create(std::string_view field, std::string_view value) {
  auto* n = static_cast<HashNode*>(std::malloc(sizeof(HashNode) + field.size() + value.size()));
  if (!n) throw std::bad_alloc();
  n->next = nullptr;
  n->fieldLen = static_cast<uint32_t>(field.size());
  n->valueLen = static_cast<uint32_t>(value.size());
  if (!field.empty()) std::memcpy(n->data, field.data(), field.size());
  if (!value.empty()) std::memcpy(n->data + field.size(), value.data(), value.size());
  return n;
}

HashObject::~HashObject() {
  if (packed()) std::free(buf_);
  else destroyNodeTable(tab_);
}

size_t HashObject::memoryUsage() const {
  size_t n = malloc_usable_size(const_cast<HashObject*>(this));
  return n + (!packed() ? nodeTableBytes(*tab_) : buf_ ? malloc_usable_size(buf_) : 0);
}

std::unique_ptr<Object> HashObject::clone() const {
  auto copy = std::make_unique<HashObject>();
  if (packed()) {
    if (used_) {
      copy->buf_ = static_cast<char*>(std::malloc(used_));
      if (!copy->buf_) throw std::bad_alloc();
      std::memcpy(copy->buf_, buf_, used_);
    }
    copy->used_ = used_;
    copy->count_ = count_;
  } else {
    copy->convertToTable();
    copy->tab_->reserve(tab_->size());
    tab_->forEach([&](HashNode* n) { copy->tab_->insert(HashNode::create(n->field(), n->value())); });
  }
  return copy;
}

size_t HashObject::countPacked() const {
  size_t n = 0;
  for (packed::Reader r(buf_, used_); !r.done(); r.next(), r.next()) n++;
  return n;
}

size_t HashObject::size() const {
  if (!packed()) return tab_->size();
  return count_ != kCountUnknown ? count_ : countPacked();
}

bool HashObject::locate(std::string_view field, uint32_t& start, uint32_t& valueStart, uint32_t& end) const {
  packed::Reader r(buf_, used_);
  while (!r.done()) {
    uint32_t s = r.offset();
    std::string_view f = r.next();
    uint32_t v = r.offset();
    r.next();
    if (f == field) {
      start = s;
      valueStart = v;
      end = r.offset();
      return true;
    }
  }
  return false;
}

std::optional<std::string_view> HashObject::find(std::string_view field) const {
  if (!packed()) {
    HashNode* n = tab_->find(field);
    if (!n) return std::nullopt;
    return n->value();
  }
  uint32_t start, valueStart, end;
  if (!locate(field, start, valueStart, end)) return std::nullopt;
  const char* p = buf_ + valueStart;
  return packed::read(p);
}

std::pair<std::string_view, std::string_view> HashObject::randomPair(std::mt19937_64& rng) const {
  if (!packed()) {
    HashNode* n = tab_->fairRandom(rng);
    return {n->field(), n->value()};
  }
  size_t pick = rng() % size();
  packed::Reader r(buf_, used_);
  for (; pick; pick--) r.next(), r.next();
  std::string_view f = r.next();
  return {f, r.next()};
}

void HashObject::prepareForStrings(size_t longest, size_t total) {
  if (packed() && (tooLong(longest) || used_ + total > kPackedSafeBytes)) convertToTable();
}

bool HashObject::set(std::string_view field, std::string_view value) {
  if (packed() && (tooLong(field.size()) || tooLong(value.size()))) convertToTable();
  if (!packed()) {
    uint64_t h = HashTable::hashOf(field);
    HashNode* old = tab_->find(field, h);
    if (!old) {
      tab_->insert(HashNode::create(field, value), h);
      return true;
    }
    if (value.size() <= malloc_usable_size(old) - sizeof(HashNode) - old->fieldLen) {
      // The new value fits in the node's allocation: no relinking.
      std::memmove(old->data + old->fieldLen, value.data(), value.size());
      old->valueLen = static_cast<uint32_t>(value.size());
    } else {
      HashNode* fresh = HashNode::create(field, value);
      tab_->replaceNode(old, fresh);
      freeNode(old);
    }
    return false;
  }
  uint32_t start, valueStart, end;
  if (locate(field, start, valueStart, end)) {
    buf_ = packed::splice(buf_, used_, valueStart, end - valueStart, {value});
    return false;
  }
  buf_ = packed::splice(buf_, used_, used_, 0, {field, value});
  if (count_ != kCountUnknown) count_++;
  if (static_cast<int64_t>(size()) > tuning().hashMaxListpackEntries) convertToTable();
  return true;
}

bool HashObject::erase(std::string_view field) {
  if (!packed()) {
    HashNode* n = tab_->unlink(field);
    if (!n) return false;
    freeNode(n);
    return true;
  }
  uint32_t start, valueStart, end;
  if (!locate(field, start, valueStart, end)) return false;
  buf_ = packed::splice(buf_, used_, start, end - start, {});
  if (count_ != kCountUnknown) {
    count_--;
  } else {
    size_t n = countPacked();
    if (n < kCountUnknown) count_ = static_cast<uint16_t>(n);
  }
  return true;
}

void HashObject::convertToTable() {
  if (!packed()) return;
  auto* tab = new HashTable();
  tab->reserve(size());
  forEach([&](std::string_view f, std::string_view v) { tab->insert(HashNode::create(f, v)); });
  std::free(buf_);
  tab_ = tab;
  used_ = 0;
  count_ = 0;
  enc_ = kTable;
}

}  // namespace gearsd::store
