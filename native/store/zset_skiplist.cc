#include "store/zset_skiplist.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace gearsd::store {

namespace {

// p = 1/4 per extra level, from two fresh bits of a remixed hash each time.
int heightFor(uint64_t h) {
  uint64_t x = (h ^ (h >> 31)) * 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 29;
  int height = 1;
  while ((x & 3) == 0 && height < SkipZSet::kMaxHeight) {
    height++;
    x >>= 2;
  }
  return height;
}

bool nodeLess(const ZNode* n, double score, std::string_view member) {
  return zsetLess(n->score, n->member(), score, member);
}

}  // namespace

ZNode* SkipZSet::allocNode(int height, std::string_view member, double score) {
  size_t bytes = sizeof(ZNode) + height * sizeof(ZNode::Level) + member.size();
  auto* n = static_cast<ZNode*>(std::malloc(bytes));
  if (!n) throw std::bad_alloc();
  n->dictNext = nullptr;
  n->backward = nullptr;
  n->score = score;
  n->len = static_cast<uint32_t>(member.size());
  n->height = static_cast<uint8_t>(height);
  for (int i = 0; i < height; i++) n->lv[i] = {nullptr, 0};
  if (!member.empty()) std::memcpy(n->lv + height, member.data(), member.size());
  return n;
}

void SkipZSet::freeNode(ZNode* n) {
  nodeBytes_ -= malloc_usable_size(n);
  std::free(n);
}

SkipZSet::SkipZSet() : header_(allocNode(kMaxHeight, {}, 0)) {}

SkipZSet::~SkipZSet() {
  // Every member node is in the Dict exactly once.
  dict_.clear([](ZNode* n) { std::free(n); });
  std::free(header_);
}

size_t SkipZSet::memoryUsage() const {
  return sizeof(*this) + malloc_usable_size(header_) + nodeBytes_ + dict_.bucketCount() * sizeof(void*);
}

void SkipZSet::copyFrom(const SkipZSet& o) {
  dict_.reserve(o.size());
  for (const ZNode* n = o.first(); n; n = n->lv[0].forward) insert(n->member(), n->score);
}

// ---- lookups ---------------------------------------------------------------------------

void SkipZSet::findUpdate(double score, std::string_view member, Update& update) const {
  ZNode* x = header_;
  for (int i = height_ - 1; i >= 0; i--) {
    while (x->lv[i].forward && nodeLess(x->lv[i].forward, score, member)) x = x->lv[i].forward;
    update[i] = x;
  }
}

const ZNode* SkipZSet::atRank(size_t rank) const {
  if (rank >= length_) return nullptr;
  size_t want = rank + 1;  // spans count the header as rank 0
  size_t traversed = 0;
  const ZNode* x = header_;
  for (int i = height_ - 1; i >= 0; i--) {
    while (x->lv[i].forward && traversed + x->lv[i].span <= want) {
      traversed += x->lv[i].span;
      x = x->lv[i].forward;
    }
    if (traversed == want) return x;
  }
  return nullptr;
}

size_t SkipZSet::rankOf(const ZNode* n) const {
  size_t rank = 0;
  const ZNode* x = header_;
  for (int i = height_ - 1; i >= 0; i--) {
    while (x->lv[i].forward && !zsetLess(n->score, n->member(), x->lv[i].forward->score, x->lv[i].forward->member())) {
      rank += x->lv[i].span;
      x = x->lv[i].forward;
    }
    if (x == n) return rank - 1;
  }
  return rank - 1;
}

namespace {

// Shared by score and lex ranges: both know gteMin/lteMax and emptiness.
template <class Range, class Key>
bool anyInRange(const ZNode* first, const ZNode* last, const Range& r, Key key) {
  if (r.emptyByDefinition()) return false;
  if (!last || !r.gteMin(key(last))) return false;
  if (!first || !r.lteMax(key(first))) return false;
  return true;
}

template <class Range, class Key>
const ZNode* firstIn(const ZNode* header, int height, const ZNode* tail, const Range& r, Key key) {
  if (!anyInRange(header->lv[0].forward, tail, r, key)) return nullptr;
  const ZNode* x = header;
  for (int i = height - 1; i >= 0; i--)
    while (x->lv[i].forward && !r.gteMin(key(x->lv[i].forward))) x = x->lv[i].forward;
  x = x->lv[0].forward;
  return x && r.lteMax(key(x)) ? x : nullptr;
}

template <class Range, class Key>
const ZNode* lastIn(const ZNode* header, int height, const ZNode* tail, const Range& r, Key key) {
  if (!anyInRange(header->lv[0].forward, tail, r, key)) return nullptr;
  const ZNode* x = header;
  for (int i = height - 1; i >= 0; i--)
    while (x->lv[i].forward && r.lteMax(key(x->lv[i].forward))) x = x->lv[i].forward;
  return x != header && r.gteMin(key(x)) ? x : nullptr;
}

auto byScore = [](const ZNode* n) { return n->score; };
auto byMember = [](const ZNode* n) { return n->member(); };

}  // namespace

const ZNode* SkipZSet::firstInRange(const ScoreRange& r) const { return firstIn(header_, height_, tail_, r, byScore); }
const ZNode* SkipZSet::lastInRange(const ScoreRange& r) const { return lastIn(header_, height_, tail_, r, byScore); }
const ZNode* SkipZSet::firstInRange(const LexRange& r) const { return firstIn(header_, height_, tail_, r, byMember); }
const ZNode* SkipZSet::lastInRange(const LexRange& r) const { return lastIn(header_, height_, tail_, r, byMember); }

// ---- changes ---------------------------------------------------------------------------

void SkipZSet::link(ZNode* n) {
  Update update;
  size_t rank[kMaxHeight];
  ZNode* x = header_;
  for (int i = height_ - 1; i >= 0; i--) {
    rank[i] = i == height_ - 1 ? 0 : rank[i + 1];
    while (x->lv[i].forward && nodeLess(x->lv[i].forward, n->score, n->member())) {
      rank[i] += x->lv[i].span;
      x = x->lv[i].forward;
    }
    update[i] = x;
  }
  int h = n->height;
  if (h > height_) {
    for (int i = height_; i < h; i++) {
      rank[i] = 0;
      update[i] = header_;
      header_->lv[i].span = length_;
    }
    height_ = h;
  }
  for (int i = 0; i < h; i++) {
    n->lv[i].forward = update[i]->lv[i].forward;
    update[i]->lv[i].forward = n;
    n->lv[i].span = update[i]->lv[i].span - (rank[0] - rank[i]);
    update[i]->lv[i].span = rank[0] - rank[i] + 1;
  }
  for (int i = h; i < height_; i++) update[i]->lv[i].span++;
  n->backward = update[0] == header_ ? nullptr : update[0];
  if (n->lv[0].forward) n->lv[0].forward->backward = n;
  else tail_ = n;
  length_++;
}

void SkipZSet::unlink(ZNode* n, Update& update) {
  for (int i = 0; i < height_; i++) {
    if (update[i]->lv[i].forward == n) {
      update[i]->lv[i].span += n->lv[i].span - 1;
      update[i]->lv[i].forward = n->lv[i].forward;
    } else {
      update[i]->lv[i].span -= 1;
    }
  }
  if (n->lv[0].forward) n->lv[0].forward->backward = n->backward;
  else tail_ = n->backward;
  while (height_ > 1 && !header_->lv[height_ - 1].forward) height_--;
  length_--;
}

void SkipZSet::insert(std::string_view member, double score) {
  uint64_t h = dict_.hashOf(member);
  ZNode* n = allocNode(heightFor(h), member, score);
  nodeBytes_ += malloc_usable_size(n);
  link(n);
  dict_.insert(n, h);
}

void SkipZSet::updateScore(const ZNode* cn, double score) {
  auto* n = const_cast<ZNode*>(cn);
  // Still between its neighbours: the order is unchanged, no relinking needed.
  if ((!n->backward || n->backward->score < score) && (!n->lv[0].forward || n->lv[0].forward->score > score)) {
    n->score = score;
    return;
  }
  Update update;
  findUpdate(n->score, n->member(), update);
  unlink(n, update);
  n->score = score;
  link(n);
}

bool SkipZSet::remove(std::string_view member) {
  ZNode* n = dict_.find(member);
  if (!n) return false;
  Update update;
  findUpdate(n->score, n->member(), update);
  unlink(n, update);
  dict_.unlink(member);
  freeNode(n);
  return true;
}

template <class InRange>
size_t SkipZSet::removeFrom(ZNode* x, Update& update, InRange&& inRange, size_t limit) {
  size_t removed = 0;
  while (x && removed < limit && inRange(x)) {
    ZNode* next = x->lv[0].forward;
    unlink(x, update);
    dict_.unlink(x->member());
    freeNode(x);
    removed++;
    x = next;
  }
  return removed;
}

size_t SkipZSet::removeRange(const ScoreRange& r) {
  Update update;
  ZNode* x = header_;
  for (int i = height_ - 1; i >= 0; i--) {
    while (x->lv[i].forward && !r.gteMin(x->lv[i].forward->score)) x = x->lv[i].forward;
    update[i] = x;
  }
  return removeFrom(x->lv[0].forward, update, [&](const ZNode* n) { return r.lteMax(n->score); }, SIZE_MAX);
}

size_t SkipZSet::removeRange(const LexRange& r) {
  if (r.emptyByDefinition()) return 0;
  Update update;
  ZNode* x = header_;
  for (int i = height_ - 1; i >= 0; i--) {
    while (x->lv[i].forward && !r.gteMin(x->lv[i].forward->member())) x = x->lv[i].forward;
    update[i] = x;
  }
  return removeFrom(x->lv[0].forward, update, [&](const ZNode* n) { return r.lteMax(n->member()); }, SIZE_MAX);
}

size_t SkipZSet::removeRankRange(size_t start, size_t end) {
  Update update;
  size_t traversed = 0;
  ZNode* x = header_;
  for (int i = height_ - 1; i >= 0; i--) {
    while (x->lv[i].forward && traversed + x->lv[i].span <= start) {
      traversed += x->lv[i].span;
      x = x->lv[i].forward;
    }
    update[i] = x;
  }
  return removeFrom(x->lv[0].forward, update, [](const ZNode*) { return true; }, end - start + 1);
}

}  // namespace gearsd::store
