// ListObject (declared in t_list.h): the packed node chain behind every list. The commands
// live in t_list.cc; this file knows nothing of replies or keys.
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <new>

#include "store/t_list.h"

namespace gearsd::store {
namespace {

constexpr size_t kNodeHeader = offsetof(ListNode, data);
// Bytes a node may hold for fill -1..-5, and the cap on count-bounded nodes (Redis's
// SIZE_SAFETY_LIMIT).
constexpr uint32_t kSizeLimits[] = {4096, 8192, 16384, 32768, 65536};
constexpr uint32_t kSafetyLimit = 8192;
constexpr int kMaxFill = 1 << 15;

uint32_t usableCap(ListNode* n) { return static_cast<uint32_t>(std::min<size_t>(malloc_usable_size(n) - kNodeHeader, UINT32_MAX)); }

}  // namespace

ListObject::ListObject(int fill) : fill_(static_cast<int16_t>(std::clamp(fill, -5, kMaxFill))) {}

ListObject::~ListObject() {
  for (ListNode* n = head_; n;) {
    ListNode* next = n->next;
    std::free(n);
    n = next;
  }
}

// ---- node bookkeeping ----------------------------------------------------------------------

uint32_t ListObject::sizeLimit() const { return fill_ < 0 ? kSizeLimits[-fill_ - 1] : kSafetyLimit; }

bool ListObject::fits(const ListNode* n, uint64_t entryBytes) const {
  uint64_t after = static_cast<uint64_t>(n->bytes()) + entryBytes;
  if (after > sizeLimit()) return false;
  return fill_ < 0 || n->count < static_cast<uint32_t>(fill_);
}

ListNode* ListObject::newNode(size_t cap) {
  auto* n = static_cast<ListNode*>(std::malloc(kNodeHeader + cap));
  if (!n) throw std::bad_alloc();
  n->prev = n->next = nullptr;
  n->count = 0;
  n->begin = n->end = 0;
  n->cap = usableCap(n);
  return n;
}

ListNode* ListObject::resizeNode(ListNode* n, size_t cap) {
  auto* r = static_cast<ListNode*>(std::realloc(n, kNodeHeader + cap));
  if (!r) return nullptr;
  r->cap = usableCap(r);
  if (r != n) {
    if (r->prev) r->prev->next = r;
    else head_ = r;
    if (r->next) r->next->prev = r;
    else tail_ = r;
  }
  return r;
}

void ListObject::linkAfter(ListNode* at, ListNode* n) {
  n->prev = at;
  n->next = at ? at->next : head_;
  if (n->next) n->next->prev = n;
  else tail_ = n;
  if (at) at->next = n;
  else head_ = n;
}

void ListObject::unlink(ListNode* n) {
  if (n->prev) n->prev->next = n->next;
  else head_ = n->next;
  if (n->next) n->next->prev = n->prev;
  else tail_ = n->prev;
}

void ListObject::dropNode(ListNode* n) {
  unlink(n);
  std::free(n);
}

uint32_t ListObject::openGap(ListNode*& n, uint32_t off, uint32_t len, End prefer) {
  uint32_t free = n->cap - n->bytes();
  if (free < len) {
    // Grow by half up to the node's size bound: a filling node is copied a logarithmic
    // number of times, and a small list wastes little.
    uint64_t need = static_cast<uint64_t>(n->bytes()) + len;
    uint64_t cap = std::max<uint64_t>(need, std::min<uint64_t>(n->cap + n->cap / 2, sizeLimit()));
    ListNode* grown = resizeNode(n, cap);
    if (!grown) throw std::bad_alloc();
    n = grown;
    free = n->cap - n->bytes();
  }
  uint32_t headPart = off - n->begin;
  uint32_t tailPart = n->end - off;
  bool canLeft = n->begin >= len;
  bool canRight = n->cap - n->end >= len;
  bool useLeft = canLeft && (!canRight || headPart <= tailPart);
  bool useRight = !useLeft && canRight;
  // A push at an edge without room on that side would shift the whole node every time:
  // move the entries once instead, leaving most of the spare room on the side in use.
  bool recentre = (!useLeft && !useRight) || (useRight && headPart == 0 && tailPart > 0) ||
                  (useLeft && tailPart == 0 && headPart > 0);
  if (recentre) {
    bool roomAtHead = headPart == 0 && tailPart > 0 ? true : tailPart == 0 && headPart > 0 ? false : prefer == kHead;
    uint32_t spare = free - len;
    uint32_t newBegin = roomAtHead ? len + spare - spare / 4 : spare / 4;
    uint32_t bytes = n->bytes();
    std::memmove(n->data + newBegin, n->data + n->begin, bytes);
    off = off - n->begin + newBegin;
    n->begin = newBegin;
    n->end = newBegin + bytes;
    useLeft = roomAtHead;
  }
  if (useLeft) {
    std::memmove(n->data + n->begin - len, n->data + n->begin, headPart);
    n->begin -= len;
    return off - len;
  }
  std::memmove(n->data + off + len, n->data + off, tailPart);
  n->end += len;
  return off;
}

uint32_t ListObject::closeGap(ListNode* n, uint32_t off, uint32_t sz) {
  n->count--;
  uint32_t headPart = off - n->begin;
  uint32_t tailPart = n->end - off - sz;
  if (headPart <= tailPart) {
    std::memmove(n->data + n->begin + sz, n->data + n->begin, headPart);
    n->begin += sz;
    return off + sz;
  }
  std::memmove(n->data + off, n->data + off + sz, tailPart);
  n->end -= sz;
  return off;
}

// Gives back most of the spare room of a node that lost many entries (LTRIM, LPOP count).
void ListObject::shrinkIfSparse(ListNode* n) {
  if (n->cap < 256 || n->bytes() * 4 > n->cap) return;
  std::memmove(n->data, n->data + n->begin, n->bytes());
  n->end = n->bytes();
  n->begin = 0;
  resizeNode(n, std::max<uint32_t>(n->end * 2, 64));  // on failure the larger block stays
}

// ---- pushes and pops -----------------------------------------------------------------------

void ListObject::push(End where, std::string_view v, uint64_t bytesComing) {
  uint64_t es = listentry::encodedSize(v.size());
  ListNode* n = where == kHead ? head_ : tail_;
  if (!n || !fits(n, es)) {
    ListNode* fresh = newNode(std::max<uint64_t>(es, std::min<uint64_t>(es + bytesComing, sizeLimit())));
    linkAfter(where == kHead ? nullptr : tail_, fresh);
    n = fresh;
  }
  uint32_t gap = openGap(n, where == kHead ? n->begin : n->end, static_cast<uint32_t>(es), where);
  listentry::write(n->data + gap, v);
  n->count++;
  count_++;
}

std::string_view ListObject::peek(End where) const { return at(where == kHead ? first() : last()); }

void ListObject::pop(End where) {
  ListNode* n = where == kHead ? head_ : tail_;
  if (where == kHead) {
    uint32_t sz;
    listentry::read(n->data + n->begin, &sz);
    n->begin += sz;
  } else {
    n->end -= listentry::sizeBefore(n->data + n->end);
  }
  n->count--;
  count_--;
  if (n->count == 0) dropNode(n);
}

// ---- walks --------------------------------------------------------------------------------

ListPos ListObject::last() const {
  if (!tail_) return {};
  return {tail_, tail_->end - listentry::sizeBefore(tail_->data + tail_->end)};
}

ListPos ListObject::next(ListPos p) {
  uint32_t sz;
  listentry::read(p.node->data + p.off, &sz);
  p.off += sz;
  if (p.off < p.node->end) return p;
  ListNode* n = p.node->next;
  return n ? ListPos{n, n->begin} : ListPos{};
}

ListPos ListObject::prev(ListPos p) {
  ListNode* n = p.node;
  uint32_t off = p.off;
  if (off == n->begin) {
    n = n->prev;
    if (!n) return {};
    off = n->end;
  }
  return {n, off - listentry::sizeBefore(n->data + off)};
}

ListPos ListObject::seek(size_t index) const {
  ListNode* n;
  size_t i;  // index within n
  if (index < count_ / 2) {
    n = head_;
    i = index;
    while (i >= n->count) {
      i -= n->count;
      n = n->next;
    }
  } else {
    size_t fromTail = count_ - 1 - index;
    n = tail_;
    while (fromTail >= n->count) {
      fromTail -= n->count;
      n = n->prev;
    }
    i = n->count - 1 - fromTail;
  }
  // Walk inside the node from whichever end is closer.
  if (i <= n->count / 2) {
    uint32_t off = n->begin;
    for (; i > 0; i--) {
      uint32_t sz;
      listentry::read(n->data + off, &sz);
      off += sz;
    }
    return {n, off};
  }
  uint32_t off = n->end;
  for (size_t back = n->count - i; back > 0; back--) off -= listentry::sizeBefore(n->data + off);
  return {n, off};
}

std::optional<std::string_view> ListObject::index(int64_t i) const {
  int64_t len = static_cast<int64_t>(count_);
  if (i < 0) i += len;
  if (i < 0 || i >= len) return std::nullopt;
  return at(seek(static_cast<size_t>(i)));
}

// ---- changes in the middle -------------------------------------------------------------------

// Puts v at the boundary `gap` of node n: into n when it has room, else into a neighbour
// when the boundary is at n's edge, else into a new node (splitting n when the boundary
// is inside it).
void ListObject::insertAtGap(ListNode* n, uint32_t gap, std::string_view v) {
  uint64_t es = listentry::encodedSize(v.size());
  ListNode* target = n;
  uint32_t at = gap;
  if (!fits(n, es)) {
    if (gap == n->end && n->next && fits(n->next, es)) {
      target = n->next;
      at = target->begin;
    } else if (gap == n->begin && n->prev && fits(n->prev, es)) {
      target = n->prev;
      at = target->end;
    } else if (gap == n->end || gap == n->begin) {
      target = newNode(es);
      linkAfter(gap == n->end ? n : n->prev, target);
      at = 0;
    } else {
      // Split: the entries after the boundary move to a new node.
      uint32_t moved = n->end - gap;
      ListNode* right = newNode(moved);
      std::memcpy(right->data, n->data + gap, moved);
      right->end = moved;
      for (uint32_t off = 0; off < moved; right->count++) {
        uint32_t sz;
        listentry::read(right->data + off, &sz);
        off += sz;
      }
      n->count -= right->count;
      n->end = gap;
      linkAfter(n, right);
      if (fits(n, es)) {
        at = n->end;
      } else if (fits(right, es)) {
        target = right;
        at = right->begin;
      } else {
        target = newNode(es);
        linkAfter(n, target);
        at = 0;
      }
    }
  }
  uint32_t pos = openGap(target, at, static_cast<uint32_t>(es), at == target->begin && target->count ? kHead : kTail);
  listentry::write(target->data + pos, v);
  target->count++;
  count_++;
}

void ListObject::insert(ListPos p, bool after, std::string_view v) {
  uint32_t gap = p.off;
  if (after) {
    uint32_t sz;
    listentry::read(p.node->data + p.off, &sz);
    gap += sz;
  }
  insertAtGap(p.node, gap, v);
}

void ListObject::replace(ListPos p, std::string_view v) {
  ListNode* n = p.node;
  uint32_t sz;
  listentry::read(n->data + p.off, &sz);
  if (n->count == 1) {
    // The only entry of its node: rewrite the node in place.
    uint64_t es = listentry::encodedSize(v.size());
    n->begin = n->end = 0;
    n->count = 0;
    uint32_t pos = openGap(n, 0, static_cast<uint32_t>(es), kTail);
    listentry::write(n->data + pos, v);
    n->count = 1;
    return;
  }
  uint32_t gap = closeGap(n, p.off, sz);
  count_--;
  insertAtGap(n, gap, v);
}

ListPos ListObject::erase(ListPos p, bool forward) {
  ListNode* n = p.node;
  uint32_t sz;
  listentry::read(n->data + p.off, &sz);
  count_--;
  if (n->count == 1) {
    ListNode* neighbour = forward ? n->next : n->prev;
    dropNode(n);
    if (!neighbour) return {};
    return forward ? ListPos{neighbour, neighbour->begin} : ListPos{neighbour, neighbour->end - listentry::sizeBefore(neighbour->data + neighbour->end)};
  }
  uint32_t gap = closeGap(n, p.off, sz);
  if (forward) {
    if (gap < n->end) return {n, gap};
    return n->next ? ListPos{n->next, n->next->begin} : ListPos{};
  }
  if (gap > n->begin) return {n, gap - listentry::sizeBefore(n->data + gap)};
  ListNode* pn = n->prev;
  return pn ? ListPos{pn, pn->end - listentry::sizeBefore(pn->data + pn->end)} : ListPos{};
}

void ListObject::eraseRange(size_t start, size_t n) {
  if (n == 0) return;
  ListPos p = seek(start);
  ListNode* node = p.node;
  uint32_t off = p.off;
  count_ -= n;
  while (n > 0) {
    ListNode* following = node->next;
    if (off == node->begin && n >= node->count) {
      n -= node->count;
      dropNode(node);
    } else {
      // Part of this node: [off, cut) goes.
      uint32_t cut = off;
      uint32_t removed = 0;
      while (cut < node->end && removed < n) {
        uint32_t sz;
        listentry::read(node->data + cut, &sz);
        cut += sz;
        removed++;
      }
      if (off == node->begin) {
        node->begin = cut;
      } else {
        std::memmove(node->data + off, node->data + cut, node->end - cut);
        node->end -= cut - off;
      }
      node->count -= removed;
      n -= removed;
      shrinkIfSparse(node);
    }
    node = following;
    if (node) off = node->begin;
  }
}

// ---- Object --------------------------------------------------------------------------------

size_t ListObject::memoryUsage() const {
  size_t total = malloc_usable_size(const_cast<ListObject*>(this));
  for (const ListNode* n = head_; n; n = n->next) total += malloc_usable_size(const_cast<ListNode*>(n));
  return total;
}

std::unique_ptr<Object> ListObject::clone() const {
  auto copy = std::make_unique<ListObject>(fill_);
  for (const ListNode* n = head_; n; n = n->next) {
    ListNode* c = copy->newNode(n->bytes());
    std::memcpy(c->data, n->data + n->begin, n->bytes());
    c->end = n->bytes();
    c->count = n->count;
    copy->linkAfter(copy->tail_, c);
  }
  copy->count_ = count_;
  return copy;
}

}  // namespace gearsd::store
