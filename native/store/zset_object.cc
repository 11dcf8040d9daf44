// ZSetObject (t_zset.h): one sorted-set value over its two encodings, with Redis 7.0's
// rules for which encoding a set has and when it converts.
#include <algorithm>
#include <cmath>

#include "store/t_zset.h"
#include "store/tuning.h"

namespace gearsd::store {

namespace {

bool fitsPacked(size_t count, size_t longestMember) {
  const Tuning& t = tuning();
  return static_cast<int64_t>(count) <= t.zsetMaxListpackEntries &&
         static_cast<int64_t>(longestMember) <= t.zsetMaxListpackValue;
}

// The first / last packed entry inside a range (score or lex), as zzlFirstInRange and
// zzlLastInRange; `key` reads what the range compares.
template <class Range, class Key>
bool packedAnyInRange(const PackedZSet& pk, const Range& r, Key key) {
  if (r.emptyByDefinition() || !pk.size()) return false;
  return r.gteMin(key(pk, pk.last())) && r.lteMax(key(pk, pk.first()));
}

template <class Range, class Key>
uint32_t packedFirstIn(const PackedZSet& pk, const Range& r, Key key) {
  if (!packedAnyInRange(pk, r, key)) return PackedZSet::kNone;
  for (uint32_t p = pk.first(); p != PackedZSet::kNone; p = pk.next(p))
    if (r.gteMin(key(pk, p))) return r.lteMax(key(pk, p)) ? p : PackedZSet::kNone;
  return PackedZSet::kNone;
}

template <class Range, class Key>
uint32_t packedLastIn(const PackedZSet& pk, const Range& r, Key key) {
  if (!packedAnyInRange(pk, r, key)) return PackedZSet::kNone;
  for (uint32_t p = pk.last(); p != PackedZSet::kNone; p = pk.prev(p))
    if (r.lteMax(key(pk, p))) return r.gteMin(key(pk, p)) ? p : PackedZSet::kNone;
  return PackedZSet::kNone;
}

// The run of entries from the first one inside the range while they stay below its max:
// `from` and the position after the run (kNone at the end); returns its length.
template <class Range, class Key>
uint32_t packedRunIn(const PackedZSet& pk, const Range& r, Key key, uint32_t& from, uint32_t& to) {
  from = to = packedFirstIn(pk, r, key);
  uint32_t n = 0;
  while (to != PackedZSet::kNone && r.lteMax(key(pk, to))) {
    to = pk.next(to);
    n++;
  }
  return n;
}

template <class Range, class Key>
size_t packedRemoveIn(PackedZSet& pk, const Range& r, Key key) {
  uint32_t from, to;
  uint32_t n = packedRunIn(pk, r, key, from, to);
  if (n) pk.eraseSpan(from, to, n);
  return n;
}

template <class Range, class Key>
size_t packedCountIn(const PackedZSet& pk, const Range& r, Key key) {
  uint32_t from, to;
  return packedRunIn(pk, r, key, from, to);
}

template <class Range>
size_t skiplistCountIn(const SkipZSet& sk, const Range& r) {
  const ZNode* first = sk.firstInRange(r);
  const ZNode* last = first ? sk.lastInRange(r) : nullptr;
  return last ? sk.rankOf(last) - sk.rankOf(first) + 1 : 0;
}

auto packedScore = [](const PackedZSet& pk, uint32_t p) { return pk.score(p); };
auto packedMember = [](const PackedZSet& pk, uint32_t p) { return pk.member(p); };

}  // namespace

ZSetObject* ZSetObject::createFor(size_t firstMemberLen) {
  auto* z = new ZSetObject();
  if (tuning().zsetMaxListpackEntries == 0 || static_cast<int64_t>(firstMemberLen) > tuning().zsetMaxListpackValue)
    z->sk_ = std::make_unique<SkipZSet>();
  return z;
}

void sortInRankOrder(std::vector<ZEntry>& entries) {
  std::sort(entries.begin(), entries.end(),
            [](const ZEntry& a, const ZEntry& b) { return zsetLess(a.score, a.member, b.score, b.member); });
}

ZSetObject* ZSetObject::fromEntries(std::vector<ZEntry>& entries) {
  sortInRankOrder(entries);
  size_t longest = 0, total = 0;
  for (const ZEntry& e : entries) {
    longest = std::max(longest, e.member.size());
    total += PackedZSet::maxEntrySize(e.member.size());
  }
  auto* z = new ZSetObject();
  if (fitsPacked(entries.size(), longest) && total <= PackedZSet::kMaxBytes) {
    z->pk_.reserve(total);
    for (const ZEntry& e : entries) z->pk_.append(e.member, e.score);
    z->pk_.shrinkToFit();
  } else {
    z->sk_ = std::make_unique<SkipZSet>();
    for (const ZEntry& e : entries) z->sk_->insert(e.member, e.score);
  }
  return z;
}

size_t ZSetObject::memoryUsage() const { return sizeof(*this) + pk_.memoryUsage() + (sk_ ? sk_->memoryUsage() : 0); }

std::unique_ptr<Object> ZSetObject::clone() const {
  auto z = std::make_unique<ZSetObject>();
  if (sk_) {
    z->sk_ = std::make_unique<SkipZSet>();
    z->sk_->copyFrom(*sk_);
  } else {
    z->pk_.copyFrom(pk_);
  }
  return z;
}

void ZSetObject::convertToSkiplist() {
  auto sk = std::make_unique<SkipZSet>();
  for (uint32_t p = pk_.first(); p != PackedZSet::kNone; p = pk_.next(p)) sk->insert(pk_.member(p), pk_.score(p));
  pk_.clear();
  sk_ = std::move(sk);
}

// ---- reads -----------------------------------------------------------------------------

ZCursor ZSetObject::packedAt(uint32_t pos) const {
  ZCursor c;
  c.packed_ = &pk_;
  c.pos_ = pos;
  return c;
}

ZCursor ZSetObject::nodeAt(const ZNode* n) const {
  ZCursor c;
  c.node_ = n;
  return c;
}

std::optional<double> ZSetObject::score(std::string_view member) const {
  if (sk_) {
    const ZNode* n = sk_->find(member);
    if (n) return n->score;
    return std::nullopt;
  }
  uint32_t p = pk_.find(member);
  if (p == PackedZSet::kNone) return std::nullopt;
  return pk_.score(p);
}

ZCursor ZSetObject::first() const { return sk_ ? nodeAt(sk_->first()) : packedAt(pk_.first()); }
ZCursor ZSetObject::last() const { return sk_ ? nodeAt(sk_->last()) : packedAt(pk_.last()); }

ZCursor ZSetObject::atRank(size_t rank) const {
  if (sk_) return nodeAt(sk_->atRank(rank));
  return packedAt(rank < pk_.size() ? pk_.atRank(rank) : PackedZSet::kNone);
}


std::optional<size_t> ZSetObject::rank(std::string_view member) const {
  if (sk_) {
    const ZNode* n = sk_->find(member);
    if (!n) return std::nullopt;
    return sk_->rankOf(n);
  }
  uint32_t p = pk_.find(member);
  if (p == PackedZSet::kNone) return std::nullopt;
  return pk_.rankOf(p);
}

ZCursor ZSetObject::firstInRange(const ScoreRange& r) const {
  return sk_ ? nodeAt(sk_->firstInRange(r)) : packedAt(packedFirstIn(pk_, r, packedScore));
}
ZCursor ZSetObject::lastInRange(const ScoreRange& r) const {
  return sk_ ? nodeAt(sk_->lastInRange(r)) : packedAt(packedLastIn(pk_, r, packedScore));
}
ZCursor ZSetObject::firstInRange(const LexRange& r) const {
  return sk_ ? nodeAt(sk_->firstInRange(r)) : packedAt(packedFirstIn(pk_, r, packedMember));
}
ZCursor ZSetObject::lastInRange(const LexRange& r) const {
  return sk_ ? nodeAt(sk_->lastInRange(r)) : packedAt(packedLastIn(pk_, r, packedMember));
}

size_t ZSetObject::countInRange(const ScoreRange& r) const {
  return sk_ ? skiplistCountIn(*sk_, r) : packedCountIn(pk_, r, packedScore);
}
size_t ZSetObject::countInRange(const LexRange& r) const {
  return sk_ ? skiplistCountIn(*sk_, r) : packedCountIn(pk_, r, packedMember);
}

ZCursor ZSetObject::randomMember(std::mt19937_64& rng) const {
  // A random rank: uniform in both encodings (a Dict's random bucket is not), and
  // O(log n) through the skip list's spans.
  return atRank(size() ? rng() % size() : 0);
}

// ---- changes ---------------------------------------------------------------------------

int ZSetObject::add(std::string_view member, double score, int flags, double* newScore) {
  if (std::isnan(score)) return kOutNan;
  bool exists;
  double cur = 0;
  uint32_t pos = PackedZSet::kNone;
  const ZNode* node = nullptr;
  if (sk_) {
    node = sk_->find(member);
    exists = node != nullptr;
    if (exists) cur = node->score;
  } else {
    pos = pk_.find(member);
    exists = pos != PackedZSet::kNone;
    if (exists) cur = pk_.score(pos);
  }

  if (exists) {
    if (flags & kNx) return kOutNop;
    if (flags & kIncr) {
      score += cur;
      if (std::isnan(score)) return kOutNan;
    }
    if (((flags & kLt) && score >= cur) || ((flags & kGt) && score <= cur)) return kOutNop;
    if (newScore) *newScore = score;
    if (score == cur) return 0;
    if (sk_) {
      sk_->updateScore(node, score);
    } else {
      pk_.erase(pos);
      pk_.insert(member, score);
    }
    return kOutUpdated;
  }

  if (flags & kXx) return kOutNop;
  if (!sk_ && (!fitsPacked(pk_.size() + 1, member.size()) || !pk_.fits(member.size()))) convertToSkiplist();
  if (sk_) sk_->insert(member, score);
  else pk_.insert(member, score);
  if (newScore) *newScore = score;
  return kOutAdded;
}

bool ZSetObject::remove(std::string_view member) {
  if (sk_) return sk_->remove(member);
  uint32_t p = pk_.find(member);
  if (p == PackedZSet::kNone) return false;
  pk_.erase(p);
  return true;
}

void ZSetObject::pop(bool fromEnd, std::string& member, double& score) {
  ZCursor c = fromEnd ? last() : first();
  member.assign(c.member());
  score = c.score();
  if (sk_) sk_->remove(member);
  else pk_.erase(c.pos_);
}

size_t ZSetObject::removeRankRange(size_t start, size_t end) {
  if (sk_) return sk_->removeRankRange(start, end);
  uint32_t from = pk_.atRank(start);
  uint32_t to = end + 1 < pk_.size() ? pk_.atRank(end + 1) : PackedZSet::kNone;
  pk_.eraseSpan(from, to, static_cast<uint32_t>(end - start + 1));
  return end - start + 1;
}

size_t ZSetObject::removeRange(const ScoreRange& r) { return sk_ ? sk_->removeRange(r) : packedRemoveIn(pk_, r, packedScore); }
size_t ZSetObject::removeRange(const LexRange& r) { return sk_ ? sk_->removeRange(r) : packedRemoveIn(pk_, r, packedMember); }

}  // namespace gearsd::store
