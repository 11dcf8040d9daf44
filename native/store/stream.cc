// The stream value type (t_stream.h): nodes of packed entries, trimming, iteration, and
// the consumer-group bookkeeping. No replies and no keyspace here; t_stream.cc has those.
//
// A node packs its entries into one buffer:
//   master fields:  [len][bytes] x masterFields
//   each entry:     [flags][ms delta][seq delta] then either the values [len][bytes] x
//                   masterFields (kSameFields) or [n] and n [field][value] pairs
// with lengths and deltas as varints, and an offset per entry for binary search and
// reverse walks. Next to it each node tracks the size Redis's listpack for the same entries
// would have (lpFixed + the two counters), because Redis closes a node on that size.
#include <algorithm>
#include <array>
#include <cstring>

#include "store/numbers.h"
#include "store/t_stream.h"
#include "store/tuning.h"

namespace gearsd::store {

namespace {

constexpr uint8_t kDeleted = 1 << 0;     // Redis's STREAM_ITEM_FLAG_DELETED
constexpr uint8_t kSameFields = 1 << 1;  // STREAM_ITEM_FLAG_SAMEFIELDS
constexpr uint64_t kListpackMaxSize = 1ull << 30;  // STREAM_LISTPACK_MAX_SIZE

void putVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t getVarint(const char*& p) {
  uint64_t v = 0;
  int shift = 0;
  for (;;) {
    uint8_t b = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
    shift += 7;
  }
}

void putStr(std::string& out, std::string_view s) {
  putVarint(out, s.size());
  out.append(s);
}

std::string_view getStr(const char*& p) {
  size_t n = getVarint(p);
  std::string_view s(p, n);
  p += n;
  return s;
}

// ---- Redis listpack sizes (listpack.c), for the node-full rule ------------------------------

uint64_t lpBacklenBytes(uint64_t l) {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

uint64_t lpIntBytes(int64_t v) {
  uint64_t enc;
  if (v >= 0 && v <= 127) enc = 1;
  else if (v >= -4096 && v <= 4095) enc = 2;
  else if (v >= -32768 && v <= 32767) enc = 3;
  else if (v >= -8388608 && v <= 8388607) enc = 4;
  else if (v >= INT32_MIN && v <= INT32_MAX) enc = 5;
  else enc = 9;
  return enc + lpBacklenBytes(enc);
}

uint64_t lpStrBytes(std::string_view s) {
  int64_t v;
  // Listpacks store strings that read as integers in integer form (lpStringToInt64,
  // which takes exactly what parseInt64 takes).
  if (parseInt64(s, v)) return lpIntBytes(v);
  uint64_t n = s.size();
  uint64_t enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return enc + lpBacklenBytes(enc);
}

constexpr uint64_t kListpackEmpty = 7;  // header (6) + end byte

}  // namespace

// ---- StreamId ---------------------------------------------------------------------------------

bool StreamId::increment() {
  if (seq == UINT64_MAX) {
    if (ms == UINT64_MAX) {
      ms = seq = 0;
      return false;
    }
    ms++;
    seq = 0;
  } else {
    seq++;
  }
  return true;
}

bool StreamId::decrement() {
  if (seq == 0) {
    if (ms == 0) {
      ms = seq = UINT64_MAX;
      return false;
    }
    ms--;
    seq = UINT64_MAX;
  } else {
    seq--;
  }
  return true;
}

std::string StreamId::str() const { return std::to_string(ms) + "-" + std::to_string(seq); }

namespace {

// Redis's string2ull: a strict integer first, then whatever strtoull accepts in base 10
// (leading spaces, a sign, zeros; "-N" wraps around).
bool parseUllLikeRedis(std::string_view s, uint64_t& out) {
  int64_t ll;
  if (parseInt64(s, ll)) {
    if (ll < 0) return false;
    out = static_cast<uint64_t>(ll);
    return true;
  }
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t digits = 0;
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
    uint64_t d = s[i] - '0';
    if (v > (UINT64_MAX - d) / 10) overflow = true;
    else v = v * 10 + d;
  }
  if (digits == 0 || overflow || i != s.size()) return false;
  out = neg ? 0 - v : v;
  return true;
}

}  // namespace

bool parseStreamId(std::string_view s, StreamId& id, uint64_t missingSeq, bool strict, bool* seqGiven) {
  if (s.size() > 127) return false;
  // Redis parses a C string: anything after a NUL byte is not seen.
  if (size_t nul = s.find('\0'); nul != std::string_view::npos) s = s.substr(0, nul);
  if (strict && (s == "-" || s == "+")) return false;
  if (seqGiven) *seqGiven = true;
  if (s == "-") {
    id = StreamId::min();
    return true;
  }
  if (s == "+") {
    id = StreamId::max();
    return true;
  }
  uint64_t ms, seq;
  size_t dash = s.find('-');
  if (!parseUllLikeRedis(s.substr(0, dash), ms)) return false;
  if (dash != std::string_view::npos) {
    std::string_view tail = s.substr(dash + 1);
    if (seqGiven && tail == "*") {
      seq = 0;
      *seqGiven = false;
    } else if (!parseUllLikeRedis(tail, seq)) {
      return false;
    }
  } else {
    seq = missingSeq;
  }
  id = {ms, seq};
  return true;
}

// ---- StreamEntry ----------------------------------------------------------------------------

StreamEntry::Cursor StreamEntry::fields() const {
  Cursor c;
  c.fieldPos_ = fieldPos_;
  c.valuePos_ = valuePos_;
  c.left_ = numFields_;
  c.shared_ = sharedFields_;
  return c;
}

bool StreamEntry::Cursor::next(std::string_view& field, std::string_view& value) {
  if (left_ == 0) return false;
  left_--;
  field = getStr(shared_ ? fieldPos_ : valuePos_);
  value = getStr(valuePos_);
  return true;
}

// ---- nodes ----------------------------------------------------------------------------------

struct StreamNode {
  StreamId master;
  uint32_t live = 0;     // entries not deleted
  uint32_t deleted = 0;  // entries flagged deleted
  uint32_t masterFields = 0;
  std::string data;
  std::vector<uint32_t> offsets;  // one per entry, deleted ones included
  uint64_t lpFixed = 0;           // Redis listpack bytes, minus the live/deleted counters

  uint64_t lpBytes() const { return lpFixed + lpIntBytes(live) + lpIntBytes(deleted); }
  size_t total() const { return offsets.size(); }

  struct Header {
    StreamId id;
    uint8_t flags;
    const char* body;  // just after the id
  };
  Header header(size_t i) const {
    const char* p = data.data() + offsets[i];
    uint8_t flags = static_cast<uint8_t>(*p++);
    uint64_t dms = getVarint(p);
    uint64_t dseq = getVarint(p);
    return {{master.ms + dms, master.seq + dseq}, flags, p};
  }
  StreamId idAt(size_t i) const { return header(i).id; }
  bool isDeleted(size_t i) const { return static_cast<uint8_t>(data[offsets[i]]) & kDeleted; }
  void markDeleted(size_t i) { data[offsets[i]] = static_cast<char>(data[offsets[i]] | kDeleted); }

  StreamEntry entry(const Header& h) const {
    StreamEntry e;
    e.id = h.id;
    if (h.flags & kSameFields) {
      e.sharedFields_ = true;
      e.fieldPos_ = data.data();
      e.valuePos_ = h.body;
      e.numFields_ = masterFields;
    } else {
      const char* p = h.body;
      e.numFields_ = getVarint(p);
      e.valuePos_ = p;
    }
    return e;
  }

  // First index whose id is >= id (or > id when `after`).
  size_t lowerIndex(StreamId id, bool after = false) const {
    size_t lo = 0, hi = total();
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      StreamId m = idAt(mid);
      if (after ? m <= id : m < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  bool sameFieldsAsMaster(const std::string_view* fv, size_t n) const {
    if (n != masterFields) return false;
    const char* p = data.data();
    for (size_t i = 0; i < n; i++)
      if (getStr(p) != fv[2 * i]) return false;
    return true;
  }
};

StreamObject::StreamObject() = default;
StreamObject::~StreamObject() = default;

size_t StreamObject::memoryUsage() const {
  size_t n = sizeof(*this);
  for (auto& [id, node] : nodes_) n += sizeof(StreamNode) + 48 + node->data.capacity() + node->offsets.capacity() * 4;
  for (auto& [name, g] : groups_) {
    n += sizeof(ConsumerGroup) + 48 + name.capacity() + g->pel.size() * (sizeof(PendingEntry) + 48);
    for (auto& [cname, c] : g->consumers) n += sizeof(StreamConsumer) + 48 + cname.capacity() + c->pending.size() * 48;
  }
  return n;
}

std::unique_ptr<Object> StreamObject::clone() const {
  auto copy = std::make_unique<StreamObject>();
  for (auto& [id, node] : nodes_) copy->nodes_.emplace(id, std::make_unique<StreamNode>(*node));
  copy->length_ = length_;
  copy->lastId_ = lastId_;
  copy->firstId_ = firstId_;
  copy->maxDeletedId_ = maxDeletedId_;
  copy->entriesAdded_ = entriesAdded_;
  for (auto& [name, g] : groups_) {
    auto ng = std::make_unique<ConsumerGroup>();
    ng->lastId = g->lastId;
    ng->entriesRead = g->entriesRead;
    ng->pel = g->pel;
    for (auto& [cname, c] : g->consumers) {
      auto nc = std::make_unique<StreamConsumer>(*c);
      for (StreamId id : nc->pending) ng->pel[id].consumer = nc.get();
      ng->consumers.emplace(cname, std::move(nc));
    }
    copy->groups_.emplace(name, std::move(ng));
  }
  return copy;
}

// rax's node count for the node keys (ids as 16 big-endian bytes), i.e. the node count of
// the compressed trie: a chain of single-child steps is one node, a branch is one node, a
// key ends in a leaf. rax keeps itself in this canonical shape on insert and delete.
size_t StreamObject::radixTreeNodes() const {
  std::vector<std::array<uint8_t, 16>> keys;
  keys.reserve(nodes_.size());
  for (auto& [id, node] : nodes_) {
    std::array<uint8_t, 16> k;
    for (int i = 0; i < 8; i++) {
      k[i] = static_cast<uint8_t>(id.ms >> (56 - 8 * i));
      k[8 + i] = static_cast<uint8_t>(id.seq >> (56 - 8 * i));
    }
    keys.push_back(k);
  }
  if (keys.empty()) return 1;  // the empty root
  std::function<size_t(size_t, size_t, size_t)> count = [&](size_t lo, size_t hi, size_t depth) -> size_t {
    if (depth == 16) return 1;
    const auto& a = keys[lo];
    const auto& b = keys[hi - 1];
    if (a[depth] == b[depth]) {
      size_t d = depth;
      while (d < 16 && a[d] == b[d]) d++;
      return 1 + count(lo, hi, d);
    }
    size_t n = 1;
    for (size_t i = lo; i < hi;) {
      size_t j = i;
      while (j < hi && keys[j][depth] == keys[i][depth]) j++;
      n += count(i, j, depth + 1);
      i = j;
    }
    return n;
  };
  return count(0, keys.size(), 0);
}

// ---- reading ----------------------------------------------------------------------------------

size_t StreamObject::range(StreamId start, StreamId end, size_t count, bool rev, const StreamEntryFn& fn) const {
  size_t emitted = 0;
  if (start > end || nodes_.empty()) return 0;
  if (!rev) {
    auto it = nodes_.upper_bound(start);
    if (it != nodes_.begin()) --it;
    bool firstNode = true;
    for (; it != nodes_.end(); ++it, firstNode = false) {
      const StreamNode& n = *it->second;
      for (size_t i = firstNode ? n.lowerIndex(start) : 0; i < n.total(); i++) {
        StreamNode::Header h = n.header(i);
        if (h.id > end) return emitted;
        if (h.flags & kDeleted) continue;
        emitted++;
        if (!fn(n.entry(h)) || emitted == count) return emitted;
      }
    }
  } else {
    auto it = nodes_.upper_bound(end);
    if (it == nodes_.begin()) return 0;
    --it;
    bool firstNode = true;
    for (;; firstNode = false) {
      const StreamNode& n = *it->second;
      for (size_t i = firstNode ? n.lowerIndex(end, true) : n.total(); i-- > 0;) {
        StreamNode::Header h = n.header(i);
        if (h.id < start) return emitted;
        if (h.flags & kDeleted) continue;
        emitted++;
        if (!fn(n.entry(h)) || emitted == count) return emitted;
      }
      if (it == nodes_.begin()) break;
      --it;
    }
  }
  return emitted;
}

bool StreamObject::contains(StreamId id) const {
  auto it = nodes_.upper_bound(id);
  if (it == nodes_.begin()) return false;
  const StreamNode& n = *(--it)->second;
  size_t i = n.lowerIndex(id);
  return i < n.total() && n.idAt(i) == id && !n.isDeleted(i);
}

bool StreamObject::lastLiveId(StreamId& out) const {
  return range(StreamId::min(), StreamId::max(), 1, true, [&](const StreamEntry& e) {
           out = e.id;
           return false;
         }) == 1;
}

StreamId StreamObject::edgeId(bool first) const {
  StreamId id = first ? StreamId::max() : StreamId::min();
  range(StreamId::min(), StreamId::max(), 1, !first, [&](const StreamEntry& e) {
    id = e.id;
    return false;
  });
  return id;
}

bool StreamObject::rangeHasTombstones(StreamId start, StreamId end) const {
  if (length_ == 0 || maxDeletedId_.isZero()) return false;
  if (firstId_ > maxDeletedId_) return false;  // the latest tombstone is before the first entry
  return start <= maxDeletedId_ && maxDeletedId_ <= end;
}

int64_t StreamObject::estimateDistance(StreamId id) const {
  if (entriesAdded_ == 0) return 0;
  if (length_ == 0 && id <= lastId_) return static_cast<int64_t>(entriesAdded_);
  if (id == lastId_) return static_cast<int64_t>(entriesAdded_);
  if (id > lastId_) return kEntriesReadUnknown;
  if (maxDeletedId_.isZero() || maxDeletedId_ < firstId_) {
    // No tombstone after the first entry: the counter follows from the length.
    if (id < firstId_) return static_cast<int64_t>(entriesAdded_ - length_);
    if (id == firstId_) return static_cast<int64_t>(entriesAdded_ - length_ + 1);
  }
  return kEntriesReadUnknown;
}

bool StreamObject::lag(const ConsumerGroup& g, int64_t& out) const {
  if (entriesAdded_ == 0) {
    out = 0;
    return true;
  }
  if (g.entriesRead != kEntriesReadUnknown && !rangeHasTombstones(g.lastId, StreamId::max())) {
    out = static_cast<int64_t>(entriesAdded_) - g.entriesRead;
    return true;
  }
  int64_t read = estimateDistance(g.lastId);
  if (read == kEntriesReadUnknown) return false;
  out = static_cast<int64_t>(entriesAdded_) - read;
  return true;
}

// ---- writing ----------------------------------------------------------------------------------

StreamObject::AppendStatus StreamObject::append(const std::string_view* fv, size_t numFields, const StreamId* useId,
                                                bool seqGiven, int64_t now, StreamId& added) {
  StreamId id;
  if (useId) {
    if (seqGiven) {
      id = *useId;
    } else if (lastId_.ms == useId->ms) {
      // Redis reports the exhausted sequence with the "too large" text.
      if (lastId_.seq == UINT64_MAX) return AppendStatus::kTooLarge;
      id = {lastId_.ms, lastId_.seq + 1};
    } else {
      id = *useId;
    }
  } else if (static_cast<uint64_t>(now) > lastId_.ms) {
    id = {static_cast<uint64_t>(now), 0};
  } else {
    id = lastId_;
    id.increment();
  }
  if (id <= lastId_) return AppendStatus::kIdTooSmall;

  uint64_t elementBytes = 0;
  for (size_t i = 0; i < 2 * numFields; i++) elementBytes += fv[i].size();
  if (elementBytes > kListpackMaxSize) return AppendStatus::kTooLarge;

  StreamNode* node = nodes_.empty() ? nullptr : nodes_.rbegin()->second.get();
  if (node) {
    uint64_t maxBytes = static_cast<uint64_t>(tuning().streamNodeMaxBytes);
    if (maxBytes == 0 || maxBytes > kListpackMaxSize) maxBytes = kListpackMaxSize;
    int64_t maxEntries = tuning().streamNodeMaxEntries;
    if (node->lpBytes() + elementBytes >= maxBytes) node = nullptr;
    else if (maxEntries && static_cast<int64_t>(node->live) + node->deleted >= maxEntries) node = nullptr;
  }

  uint8_t flags = 0;
  if (!node) {
    auto fresh = std::make_unique<StreamNode>();
    node = fresh.get();
    node->master = id;
    node->masterFields = static_cast<uint32_t>(numFields);
    node->lpFixed = kListpackEmpty + lpIntBytes(static_cast<int64_t>(numFields)) + lpIntBytes(0);
    for (size_t i = 0; i < numFields; i++) {
      putStr(node->data, fv[2 * i]);
      node->lpFixed += lpStrBytes(fv[2 * i]);
    }
    nodes_.emplace(id, std::move(fresh));
    flags = kSameFields;
  } else if (node->sameFieldsAsMaster(fv, numFields)) {
    flags = kSameFields;
  }

  uint64_t dms = id.ms - node->master.ms;
  uint64_t dseq = id.seq - node->master.seq;
  node->offsets.push_back(static_cast<uint32_t>(node->data.size()));
  node->data.push_back(static_cast<char>(flags));
  putVarint(node->data, dms);
  putVarint(node->data, dseq);
  uint64_t lp = lpIntBytes(flags) + lpIntBytes(static_cast<int64_t>(dms)) + lpIntBytes(static_cast<int64_t>(dseq));
  int64_t lpCount = static_cast<int64_t>(numFields) + 3;
  if (flags & kSameFields) {
    for (size_t i = 0; i < numFields; i++) {
      putStr(node->data, fv[2 * i + 1]);
      lp += lpStrBytes(fv[2 * i + 1]);
    }
  } else {
    putVarint(node->data, numFields);
    lp += lpIntBytes(static_cast<int64_t>(numFields));
    lpCount += static_cast<int64_t>(numFields) + 1;
    for (size_t i = 0; i < 2 * numFields; i++) {
      putStr(node->data, fv[i]);
      lp += lpStrBytes(fv[i]);
    }
  }
  node->lpFixed += lp + lpIntBytes(lpCount);
  node->live++;

  length_++;
  entriesAdded_++;
  lastId_ = id;
  if (length_ == 1) firstId_ = id;
  added = id;
  return AppendStatus::kOk;
}

void StreamObject::removeEntry(NodeMap::iterator it, size_t index) {
  StreamNode& n = *it->second;
  if (n.live == 1) {
    nodes_.erase(it);
  } else {
    n.markDeleted(index);
    n.live--;
    n.deleted++;
  }
  length_--;
}

size_t StreamObject::deleteIds(const StreamId* ids, size_t count) {
  size_t deleted = 0;
  bool firstDeleted = false;
  for (size_t k = 0; k < count; k++) {
    StreamId id = ids[k];
    auto it = nodes_.upper_bound(id);
    if (it == nodes_.begin()) continue;
    --it;
    StreamNode& n = *it->second;
    size_t i = n.lowerIndex(id);
    if (i >= n.total() || n.idAt(i) != id || n.isDeleted(i)) continue;
    removeEntry(it, i);
    if (id == firstId_) firstDeleted = true;
    if (id > maxDeletedId_) maxDeletedId_ = id;
    deleted++;
  }
  if (deleted) {
    if (length_ == 0) firstId_ = StreamId::min();
    else if (firstDeleted) firstId_ = edgeId(true);
  }
  return deleted;
}

// Redis's streamTrim, node by node from the oldest: whole nodes go while they may; then,
// unless approximate, entries of the next node are flagged deleted until the target holds.
int64_t StreamObject::trim(const StreamTrim& t) {
  if (t.strategy == StreamTrim::kNone) return 0;
  int64_t deleted = 0;
  auto it = nodes_.begin();
  while (it != nodes_.end()) {
    if (t.strategy == StreamTrim::kMaxLen && length_ <= t.maxLen) break;
    StreamNode& n = *it->second;
    int64_t entries = n.live;
    if (t.limit && deleted + entries > t.limit) break;

    bool removeNode;
    if (t.strategy == StreamTrim::kMaxLen) removeNode = length_ - entries >= t.maxLen;
    else removeNode = n.idAt(n.total() - 1) < t.minId;  // the node's last entry, even if deleted
    if (removeNode) {
      length_ -= entries;
      deleted += entries;
      it = nodes_.erase(it);
      continue;
    }
    if (t.approx) break;

    uint32_t flagged = 0;
    for (size_t i = 0; i < n.total(); i++) {
      StreamNode::Header h = n.header(i);
      bool stop = t.strategy == StreamTrim::kMaxLen ? length_ <= t.maxLen : h.id >= t.minId;
      if (stop) break;
      if (!(h.flags & kDeleted)) {
        n.markDeleted(i);
        flagged++;
        length_--;
      }
    }
    n.live -= flagged;
    n.deleted += flagged;
    deleted += flagged;
    break;
  }
  if (length_ == 0) firstId_ = StreamId::min();
  else if (deleted) firstId_ = edgeId(true);
  return deleted;
}

// ---- consumer groups -------------------------------------------------------------------------

StreamConsumer* ConsumerGroup::findConsumer(std::string_view name) {
  auto it = consumers.find(std::string(name));
  return it == consumers.end() ? nullptr : it->second.get();
}

StreamConsumer* ConsumerGroup::createConsumer(std::string_view name, int64_t now) {
  auto [it, inserted] = consumers.try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second = std::make_unique<StreamConsumer>();
  it->second->name = std::string(name);
  it->second->seenTime = now;
  return it->second.get();
}

size_t ConsumerGroup::deleteConsumer(std::string_view name) {
  auto it = consumers.find(std::string(name));
  if (it == consumers.end()) return 0;
  size_t pending = it->second->pending.size();
  for (StreamId id : it->second->pending) pel.erase(id);
  consumers.erase(it);
  return pending;
}

bool ConsumerGroup::ack(StreamId id) {
  auto it = pel.find(id);
  if (it == pel.end()) return false;
  if (it->second.consumer) it->second.consumer->pending.erase(id);
  pel.erase(it);
  return true;
}

void ConsumerGroup::deliver(StreamId id, StreamConsumer& consumer, int64_t now) {
  auto [it, inserted] = pel.try_emplace(id);
  PendingEntry& p = it->second;
  if (!inserted && p.consumer) p.consumer->pending.erase(id);
  p.consumer = &consumer;
  p.deliveryTime = now;
  p.deliveryCount = 1;
  consumer.pending.insert(id);
}

void ConsumerGroup::transfer(StreamId id, PendingEntry& p, StreamConsumer& to) {
  if (p.consumer == &to) return;
  if (p.consumer) p.consumer->pending.erase(id);
  to.pending.insert(id);
  p.consumer = &to;
}

ConsumerGroup* StreamObject::findGroup(std::string_view name) {
  auto it = groups_.find(std::string(name));
  return it == groups_.end() ? nullptr : it->second.get();
}

const ConsumerGroup* StreamObject::findGroup(std::string_view name) const {
  auto it = groups_.find(std::string(name));
  return it == groups_.end() ? nullptr : it->second.get();
}

ConsumerGroup* StreamObject::createGroup(std::string_view name, StreamId lastId, int64_t entriesRead) {
  auto [it, inserted] = groups_.try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second = std::make_unique<ConsumerGroup>();
  it->second->lastId = lastId;
  it->second->entriesRead = entriesRead;
  return it->second.get();
}

bool StreamObject::destroyGroup(std::string_view name) { return groups_.erase(std::string(name)) > 0; }

size_t StreamObject::deliverNew(ConsumerGroup& g, StreamConsumer& consumer, size_t count, bool noack, int64_t now,
                                const StreamEntryFn& fn) {
  StreamId start = g.lastId;
  if (!start.increment()) return 0;  // the group has seen the last possible id
  return range(start, StreamId::max(), count, false, [&](const StreamEntry& e) {
    if (e.id > g.lastId) {
      // The read counter stays exact while no tombstone lies ahead; otherwise it is
      // re-derived (and may become unknown).
      if (g.entriesRead != kEntriesReadUnknown && !rangeHasTombstones(e.id, StreamId::max())) g.entriesRead++;
      else if (entriesAdded_) g.entriesRead = estimateDistance(e.id);
      g.lastId = e.id;
    }
    bool more = fn(e);
    if (!noack) g.deliver(e.id, consumer, now);
    return more;
  });
}

size_t StreamObject::deliverHistory(ConsumerGroup& g, StreamConsumer& consumer, StreamId start, size_t count,
                                    int64_t now, const PendingFn& fn) {
  size_t n = 0;
  for (auto it = consumer.pending.lower_bound(start); it != consumer.pending.end() && (!count || n < count); ++it) {
    StreamId id = *it;
    bool found = range(id, id, 1, false, [&](const StreamEntry& e) {
      fn(id, &e);
      return false;
    }) == 1;
    if (found) {
      PendingEntry& p = g.pel[id];
      p.deliveryTime = now;
      p.deliveryCount++;
    } else {
      // Still pending, but the entry was deleted meanwhile.
      fn(id, nullptr);
    }
    n++;
  }
  return n;
}

}  // namespace gearsd::store
