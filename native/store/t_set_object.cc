// SetObject (t_set.h): the two encodings of a set and the conversion between them.
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "store/node_table.h"
#include "store/t_set.h"
#include "store/tuning.h"

namespace gearsd::store {
namespace {

void freeNode(SetNode* n) { std::free(n); }

// The intset limit, capped as Redis caps it (intset internals stop at 1G entries).
int64_t maxIntsetEntries() { return std::min<int64_t>(tuning().setMaxIntsetEntries, int64_t{1} << 30); }

}  // namespace

SetNode* SetNode::create(std::string_view member) {
  auto* n = static_cast<SetNode*>(std::malloc(sizeof(SetNode) + member.size()));
  if (!n) throw std::bad_alloc();
  n->next = nullptr;
  n->len = static_cast<uint32_t>(member.size());
  if (!member.empty()) std::memcpy(n->data, member.data(), member.size());
  return n;
}

SetObject::~SetObject() {
  if (isIntset()) std::free(ints_);
  else destroyNodeTable(tab_);
}

size_t SetObject::memoryUsage() const {
  size_t n = malloc_usable_size(const_cast<SetObject*>(this));
  return n + (!isIntset() ? nodeTableBytes(*tab_) : ints_ ? malloc_usable_size(ints_) : 0);
}

std::unique_ptr<Object> SetObject::clone() const {
  auto copy = std::make_unique<SetObject>();
  if (isIntset()) {
    if (count_) {
      size_t bytes = static_cast<size_t>(count_) * width_;
      copy->ints_ = static_cast<char*>(std::malloc(bytes));
      if (!copy->ints_) throw std::bad_alloc();
      std::memcpy(copy->ints_, ints_, bytes);
    }
    copy->count_ = count_;
    copy->width_ = width_;
  } else {
    copy->convertToTable();
    copy->tab_->reserve(tab_->size());
    tab_->forEach([&](SetNode* n) { copy->tab_->insert(SetNode::create(n->member())); });
  }
  return copy;
}

bool SetObject::contains(std::string_view member) const {
  if (!isIntset()) return tab_->find(member) != nullptr;
  int64_t v;
  uint32_t pos;
  return parseInt64(member, v) && intset::find(ints_, width_, count_, v, pos);
}

std::string SetObject::randomMember(std::mt19937_64& rng) const {
  if (isIntset()) return formatInt64(intAt(static_cast<uint32_t>(rng() % count_)));
  return std::string(tab_->fairRandom(rng)->member());
}

bool SetObject::add(std::string_view member) {
  if (isIntset()) {
    int64_t v;
    if (parseInt64(member, v)) {
      uint32_t pos;
      if (intset::find(ints_, width_, count_, v, pos)) return false;
      ints_ = intset::insert(ints_, width_, count_, v);
      if (count_ > maxIntsetEntries()) convertToTable();
      return true;
    }
    convertToTable();
  }
  uint64_t h = SetTable::hashOf(member);
  if (tab_->find(member, h)) return false;
  tab_->insert(SetNode::create(member), h);
  return true;
}

bool SetObject::remove(std::string_view member) {
  if (!isIntset()) {
    SetNode* n = tab_->unlink(member);
    if (!n) return false;
    freeNode(n);
    return true;
  }
  int64_t v;
  uint32_t pos;
  if (!parseInt64(member, v) || !intset::find(ints_, width_, count_, v, pos)) return false;
  ints_ = intset::erase(ints_, width_, count_, pos);
  return true;
}

void SetObject::convertToTable() {
  if (!isIntset()) return;
  auto* tab = new SetTable();
  tab->reserve(count_);
  forEach([&](std::string_view m) { tab->insert(SetNode::create(m)); });
  std::free(ints_);
  tab_ = tab;
  count_ = 0;
  width_ = 0;
  enc_ = kTable;
}

}  // namespace gearsd::store
