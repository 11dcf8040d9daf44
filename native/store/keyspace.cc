#include "store/keyspace.h"

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <tuple>

namespace gearsd::store {

int64_t nowMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t nowUs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

const char* valueTypeName(ValueType t) {
  switch (t) {
    case ValueType::String: return "string";
    case ValueType::List: return "list";
    case ValueType::Set: return "set";
    case ValueType::ZSet: return "zset";
    case ValueType::Hash: return "hash";
    case ValueType::Stream: return "stream";
  }
  return "none";
}

// ---- StrBuf / KeyEntry --------------------------------------------------------------------

StrBuf* StrBuf::create(std::string_view s, size_t cap) {
  cap = std::max(cap, s.size());
  auto* b = static_cast<StrBuf*>(std::malloc(offsetof(StrBuf, data) + cap));
  if (!b) throw std::bad_alloc();
  b->len = static_cast<uint32_t>(s.size());
  b->cap = static_cast<uint32_t>(cap);
  if (!s.empty()) std::memcpy(b->data, s.data(), s.size());
  return b;
}

namespace {
constexpr size_t kHeader = offsetof(KeyEntry, data);

template <class T>
T* loadPtr(const void* p) {
  T* v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
void storePtr(void* p, const void* v) { std::memcpy(p, &v, sizeof v); }

KeyEntry* allocEntry(std::string_view key, size_t slotBytes) {
  size_t bytes = kHeader + key.size() + std::max(slotBytes, sizeof(void*));
  auto* e = static_cast<KeyEntry*>(std::malloc(bytes));
  if (!e) throw std::bad_alloc();
  e->next = nullptr;
  e->keyLen = static_cast<uint32_t>(key.size());
  e->valLen = 0;
  e->flags = 0;
  e->strEnc = StrEncoding::Auto;
  e->lru = 0;
  std::memcpy(e->data, key.data(), key.size());
  return e;
}

// A database's tables on their way to the lazy-free thread.
struct DetachedTables {
  KeyTable keys;
  ExpireTable expires;
};

void freeTables(KeyTable& keys, ExpireTable& expires) {
  expires.clear([](ExpireEntry* x) { delete x; });
  keys.clear([](KeyEntry* e) { KeyEntry::destroy(e); });
}

// Below this many keys a flush frees inline even when asked to be asynchronous, as
// Redis's LAZYFREE_THRESHOLD: handing over costs more than it saves.
constexpr size_t kLazyFreeThreshold = 64;
}  // namespace

size_t KeyEntry::slotCapacity() const { return malloc_usable_size(const_cast<KeyEntry*>(this)) - kHeader - keyLen; }

std::string_view KeyEntry::str() const {
  if (enc == kInline) return {data + keyLen, valLen};
  return loadPtr<StrBuf>(slot())->view();
}

Object* KeyEntry::obj() const { return loadPtr<Object>(slot()); }

KeyEntry* KeyEntry::createString(std::string_view key, std::string_view value) {
  KeyEntry* e = allocEntry(key, value.size());
  e->type = ValueType::String;
  e->enc = kInline;
  e->valLen = static_cast<uint32_t>(value.size());
  if (!value.empty()) std::memcpy(e->slot(), value.data(), value.size());
  return e;
}

KeyEntry* KeyEntry::createTakingValue(std::string_view key, KeyEntry* from) {
  KeyEntry* e;
  if (from->enc == kInline) {
    e = allocEntry(key, from->valLen);
    e->valLen = from->valLen;
    if (from->valLen) std::memcpy(e->slot(), from->slot(), from->valLen);
  } else {
    e = allocEntry(key, sizeof(void*));
    std::memcpy(e->slot(), from->slot(), sizeof(void*));
  }
  e->type = from->type;
  e->enc = from->enc;
  e->strEnc = from->strEnc;
  e->lru = from->lru;
  from->type = ValueType::String;
  from->enc = kInline;
  from->valLen = 0;
  return e;
}

KeyEntry* KeyEntry::createObject(std::string_view key, ValueType type, Object* o) {
  KeyEntry* e = allocEntry(key, sizeof(void*));
  e->type = type;
  e->enc = kObject;
  storePtr(e->slot(), o);
  return e;
}

void KeyEntry::releaseValue() {
  if (enc == kHeap) std::free(loadPtr<StrBuf>(slot()));
  else if (enc == kObject) delete loadPtr<Object>(slot());
  enc = kInline;
  valLen = 0;
  type = ValueType::String;
}

void KeyEntry::destroy(KeyEntry* e) {
  e->releaseValue();
  std::free(e);
}

void KeyEntry::setString(std::string_view value) {
  // The new value may be a view of the current one (e.g. GETRANGE-like internal rewrites).
  std::string copy;
  if (type == ValueType::String && enc != kObject) {
    std::string_view cur = str();
    if (value.data() >= cur.data() && value.data() < cur.data() + cur.size()) {
      copy.assign(value);
      value = copy;
    }
  }
  releaseValue();
  type = ValueType::String;
  strEnc = StrEncoding::Auto;
  if (value.size() <= slotCapacity()) {
    enc = kInline;
    valLen = static_cast<uint32_t>(value.size());
    if (!value.empty()) std::memmove(slot(), value.data(), value.size());
  } else {
    enc = kHeap;
    storePtr(slot(), StrBuf::create(value, value.size()));
  }
}

void KeyEntry::setObject(ValueType t, Object* o) {
  releaseValue();
  type = t;
  enc = kObject;
  storePtr(slot(), o);
}

StrBuf* KeyEntry::mutableString(size_t minCapacity) {
  strEnc = StrEncoding::Raw;
  if (enc == kHeap) {
    StrBuf* b = loadPtr<StrBuf>(slot());
    if (b->cap >= minCapacity) return b;
    // Grow geometrically so repeated APPENDs stay linear overall.
    size_t cap = std::max(minCapacity, std::min<size_t>(static_cast<size_t>(b->cap) * 2, minCapacity + (1 << 20)));
    cap = std::min<size_t>(cap, UINT32_MAX);  // len and cap are 32-bit (callers cap sizes below)
    auto* nb = static_cast<StrBuf*>(std::realloc(b, offsetof(StrBuf, data) + cap));
    if (!nb) throw std::bad_alloc();
    nb->cap = static_cast<uint32_t>(cap);
    storePtr(slot(), nb);
    return nb;
  }
  StrBuf* b = StrBuf::create(str(), minCapacity);
  valLen = 0;
  enc = kHeap;
  storePtr(slot(), b);
  return b;
}

size_t KeyEntry::memoryUsage() const {
  size_t n = malloc_usable_size(const_cast<KeyEntry*>(this));
  if (enc == kHeap) n += malloc_usable_size(loadPtr<StrBuf>(slot()));
  else if (enc == kObject) n += obj()->memoryUsage();
  return n;
}

// ---- Store --------------------------------------------------------------------------------

Store::Store(int numDbs) : lazyFree_(std::make_unique<LazyFree>()), rng_(std::random_device{}()) {
  for (int i = 0; i < numDbs; i++) {
    dbs_.push_back(std::make_unique<Db>());
    dbs_.back()->id = i;
  }
}

Store::~Store() { flushAll(); }

bool Store::isExpired(const Db& db, const KeyEntry* e, int64_t now) const {
  if (!e->hasExpire()) return false;
  return now > getExpire(db, e);
}

KeyEntry* Store::peek(Db& db, std::string_view key) const { return db.keys.find(key); }

KeyEntry* Store::lookup(Db& db, std::string_view key, int64_t now, uint32_t flags) {
  uint32_t clock = static_cast<uint32_t>(now / 1000);
  lruClock_ = clock;
  KeyEntry* e = db.keys.find(key);
  if (e && e->hasExpire() && isExpired(db, e, now)) {
    expireEntry(db, e);
    e = nullptr;
  }
  if (e) {
    if (!(flags & kLookupNoTouch)) e->lru = clock;
    if (!(flags & (kLookupNoStats | kLookupWrite))) stats_.keyspaceHits++;
  } else {
    if (!(flags & (kLookupNoNotify | kLookupWrite))) notify(kNotifyKeyMiss, "keymiss", db, key);
    if (!(flags & (kLookupNoStats | kLookupWrite))) stats_.keyspaceMisses++;
  }
  return e;
}

KeyEntry* Store::addString(Db& db, std::string_view key, std::string_view value) {
  KeyEntry* e = KeyEntry::createString(key, value);
  e->lru = lruClock_;
  db.keys.insert(e);
  notify(kNotifyNew, "new", db, key);
  return e;
}

KeyEntry* Store::addObject(Db& db, std::string_view key, ValueType type, Object* o) {
  KeyEntry* e = KeyEntry::createObject(key, type, o);
  e->lru = lruClock_;
  db.keys.insert(e);
  // As Redis's dbAdd: a new list, zset or stream may be what a blocked client waits for,
  // whichever command made it (pushes, *STORE, COPY...).
  if (mayWakeBlocked(type)) signalKeyAsReady(db, key);
  notify(kNotifyNew, "new", db, key);
  return e;
}

KeyEntry* Store::setString(Db& db, std::string_view key, std::string_view value, bool keepTtl, int64_t now) {
  KeyEntry* e = lookupWrite(db, key, now);
  if (!e) return addString(db, key, value);
  if (e->type == ValueType::Stream) signalKeyAsReady(db, key);  // see unlinkEntry
  e->setString(value);
  if (!keepTtl) removeExpire(db, e);
  return e;
}

void Store::removeExpireEntry(Db& db, KeyEntry* e) {
  if (!e->hasExpire()) return;
  ExpireEntry* x = db.expires.unlink(e->key());
  delete x;
  e->flags &= ~KeyEntry::kHasExpire;
}

void Store::unlinkEntry(Db& db, KeyEntry* e) {
  removeExpireEntry(db, e);
  db.keys.unlink(e->key());
  // A client blocked in XREADGROUP on a stream that goes away must learn it (Redis
  // signals every deleted or overwritten stream).
  if (e->type == ValueType::Stream) signalKeyAsReady(db, e->key());
}

void Store::deleteEntry(Db& db, KeyEntry* e) {
  unlinkEntry(db, e);
  KeyEntry::destroy(e);
}

void Store::deleteEntryLazy(Db& db, KeyEntry* e) {
  if (e->enc != KeyEntry::kObject) return deleteEntry(db, e);
  unlinkEntry(db, e);
  lazyFree_->submit([e] { KeyEntry::destroy(e); });
}

bool Store::deleteKey(Db& db, std::string_view key) {
  KeyEntry* e = db.keys.find(key);
  if (!e) return false;
  deleteEntry(db, e);
  return true;
}

KeyEntry* Store::detachEntry(Db& db, KeyEntry* e) {
  unlinkEntry(db, e);
  return e;
}

void Store::attachEntry(Db& db, KeyEntry* e) { db.keys.insert(e); }

KeyEntry* Store::renameEntry(Db& db, KeyEntry* e, std::string_view newKey) {
  bool hadExpire = e->hasExpire();
  int64_t when = getExpire(db, e);
  if (e->type == ValueType::Stream) signalKeyAsReady(db, e->key());  // it leaves its old name
  KeyEntry* n = KeyEntry::createTakingValue(newKey, e);
  deleteEntry(db, e);  // only the emptied shell is left to free
  db.keys.insert(n);
  if (mayWakeBlocked(n->type)) signalKeyAsReady(db, newKey);
  notify(kNotifyNew, "new", db, newKey);
  if (hadExpire) setExpire(db, n, when);
  return n;
}

void Store::moveEntry(Db& from, KeyEntry* e, Db& to) {
  bool hadExpire = e->hasExpire();
  int64_t when = getExpire(from, e);
  detachEntry(from, e);
  to.keys.insert(e);
  if (mayWakeBlocked(e->type)) signalKeyAsReady(to, e->key());
  notify(kNotifyNew, "new", to, e->key());
  if (hadExpire) setExpire(to, e, when);
}

void Store::setExpire(Db& db, KeyEntry* e, int64_t whenMs) {
  if (e->hasExpire()) {
    db.expires.find(e->key())->when = whenMs;
    return;
  }
  auto* x = new ExpireEntry{nullptr, e, whenMs};
  db.expires.insert(x);
  e->flags |= KeyEntry::kHasExpire;
}

bool Store::removeExpire(Db& db, KeyEntry* e) {
  if (!e->hasExpire()) return false;
  removeExpireEntry(db, e);
  return true;
}

int64_t Store::getExpire(const Db& db, const KeyEntry* e) const {
  if (!e->hasExpire()) return -1;
  ExpireEntry* x = db.expires.find(e->key());
  return x ? x->when : -1;
}

size_t Store::flushDb(Db& db, bool async) {
  size_t removed = db.keys.size();
  watches_.touchAllInDb(*this, db, nullptr, nowMs());
  signalStreamsGone(db, nullptr);
  if (async && removed > kLazyFreeThreshold) {
    auto* t = new DetachedTables{std::move(db.keys), std::move(db.expires)};
    lazyFree_->submit([t] {
      freeTables(t->keys, t->expires);
      delete t;
    });
  } else {
    freeTables(db.keys, db.expires);
  }
  db.expireCursor = 0;
  db.avgTtl = 0;
  return removed;
}

size_t Store::flushAll(bool async) {
  size_t removed = 0;
  for (auto& db : dbs_) removed += flushDb(*db, async);
  return removed;
}

void Store::swapDbs(Db& a, Db& b) {
  if (&a == &b) return;
  // Watchers of a key that exists on either side see a change (Redis touches both ways).
  int64_t now = nowMs();
  watches_.touchAllInDb(*this, a, &b, now);
  watches_.touchAllInDb(*this, b, &a, now);
  signalStreamsGone(a, &b);
  signalStreamsGone(b, &a);
  std::swap(a.keys, b.keys);
  std::swap(a.expires, b.expires);
  std::swap(a.expireCursor, b.expireCursor);
  std::swap(a.avgTtl, b.avgTtl);
  // A client blocked on a key of db N may now find data there (Redis scanDatabaseForReadyKeys).
  for (Db* db : {&a, &b})
    for (auto& [key, n] : db->blocked) {
      KeyEntry* e = db->keys.find(key);
      if (e && mayWakeBlocked(e->type)) events_.readyKeys.push_back({db->id, key});
    }
}

void Store::signalStreamsGone(Db& emptied, const Db* replacement) {
  for (auto& [key, n] : emptied.blocked) {
    KeyEntry* was = emptied.keys.find(key);
    KeyEntry* will = replacement ? replacement->keys.find(key) : nullptr;
    bool wasStream = was && was->type == ValueType::Stream;
    bool isStream = will && will->type == ValueType::Stream;
    if (wasStream && !isStream) events_.readyKeys.push_back({emptied.id, key});
  }
}

void Store::signalModifiedKey(Db& db, std::string_view key) {
  watches_.touch(*this, db, key);
}

void Store::signalKeyAsReady(Db& db, std::string_view key) {
  if (db.blocked.empty()) return;
  if (db.blocked.count(std::string(key))) events_.readyKeys.push_back({db.id, std::string(key)});
}

void Store::notify(uint32_t cls, std::string_view event, Db& db, std::string_view key) {
  // Modules (here: registrations) subscribe by class; "new" is not part of Redis's
  // NOTIFY_ALL, so registrations never see it.
  if (observer_ && cls != kNotifyNew) observer_->onKeyspaceEvent(*this, db, cls, event, key);
  if (!(notifyFlags_ & cls)) return;
  std::string dbPart = "@" + std::to_string(db.id) + "__:";
  if (notifyFlags_ & kNotifyKeyspace)
    events_.pubsub.push_back({"__keyspace" + dbPart + std::string(key), std::string(event)});
  if (notifyFlags_ & kNotifyKeyevent)
    events_.pubsub.push_back({"__keyevent" + dbPart + std::string(event), std::string(key)});
}

void Store::expireEntry(Db& db, KeyEntry* e) {
  std::string key(e->key());  // the entry is freed before the event fires
  deleteEntry(db, e);
  stats_.expiredKeys++;
  notify(kNotifyExpired, "expired", db, key);
  signalModifiedKey(db, key);
  addDirty();
}

// Active expiry, after Redis's activeExpireCycle: each loop samples about 20 keys with a
// TTL (walking the expires table with its cursor, so every key is reached in turn) and
// deletes the stale ones; a database gets another loop only while more than 10% of the
// sample was stale. So the cost follows the amount of expired data: a keyspace where
// nothing expires costs a few samples per call, and a burst of expiries is worked off
// within the caller's time budget, slice by slice.
namespace {
constexpr size_t kExpireKeysPerLoop = 20;
constexpr size_t kExpireAcceptableStalePerc = 10;
}  // namespace

std::pair<size_t, size_t> Store::activeExpireSample(Db& db, int64_t now) {
  size_t num = std::min(db.expires.size(), kExpireKeysPerLoop);
  size_t maxBuckets = num * 20;
  size_t sampled = 0, checkedBuckets = 0;
  int64_t ttlSum = 0, ttlSamples = 0;
  // Keys, not entries: an "expired" event may run a registration that deletes others.
  std::vector<std::string> stale;
  while (sampled < num && checkedBuckets < maxBuckets) {
    db.expireCursor = db.expires.scan(db.expireCursor, [&](ExpireEntry* x) {
      sampled++;
      if (now > x->when) {
        stale.emplace_back(x->entry->key());
      } else {
        ttlSum += x->when - now;
        ttlSamples++;
      }
    });
    checkedBuckets++;
    if (db.expireCursor == 0) break;  // a full pass: let the next loop start afresh
  }
  size_t expired = 0;
  for (const std::string& key : stale) {
    KeyEntry* e = db.keys.find(key);
    if (e && isExpired(db, e, now)) {
      expireEntry(db, e);
      expired++;
    }
  }
  if (ttlSamples > 0) {
    int64_t avg = ttlSum / ttlSamples;
    if (db.avgTtl == 0) db.avgTtl = avg;
    db.avgTtl = (db.avgTtl / 50) * 49 + avg / 50;
  }
  return {sampled, expired};
}

size_t Store::activeExpireCycle(int64_t now, int64_t budgetMicros) {
  int64_t start = nowUs();
  size_t removed = 0, totalSampled = 0, totalExpired = 0;
  bool timeUp = false;
  for (int n = 0; n < dbCount() && !timeUp; n++) {
    Db& db = *dbs_[activeExpireDb_];
    // Advance first, so a cycle cut short resumes with the next database.
    activeExpireDb_ = (activeExpireDb_ + 1) % dbCount();
    size_t sampled, expired;
    do {
      if (db.expires.empty()) {
        db.avgTtl = 0;
        break;
      }
      // A very sparse table makes sampling slow; it is about to shrink anyway.
      if (db.expires.bucketCount() > 4 && db.expires.size() * 100 / db.expires.bucketCount() < 1) break;
      std::tie(sampled, expired) = activeExpireSample(db, now);
      removed += expired;
      totalSampled += sampled;
      totalExpired += expired;
      if (nowUs() - start > budgetMicros) {
        timeUp = true;
        stats_.expiredTimeCapReached++;
        break;
      }
    } while (sampled > 0 && expired * 100 / sampled > kExpireAcceptableStalePerc);
  }
  uint64_t perc = totalSampled ? totalExpired * 100 / totalSampled : 0;
  stats_.expiredStalePerc = (perc * 5 + stats_.expiredStalePerc * 95) / 100;
  return removed;
}

void Store::rehashCron() {
  for (auto& db : dbs_) {
    db->keys.rehashFor(10);
    db->expires.rehashFor(10);
  }
}

}  // namespace gearsd::store
