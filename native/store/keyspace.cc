#include "store/keyspace.h"

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

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
  e->reserved = 0;
  std::memcpy(e->data, key.data(), key.size());
  return e;
}
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
  if (enc == kHeap) {
    StrBuf* b = loadPtr<StrBuf>(slot());
    if (b->cap >= minCapacity) return b;
    // Grow geometrically so repeated APPENDs stay linear overall.
    size_t cap = std::max(minCapacity, std::min<size_t>(static_cast<size_t>(b->cap) * 2, minCapacity + (1 << 20)));
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

Store::Store(int numDbs) : rng_(std::random_device{}()) {
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

KeyEntry* Store::lookupWrite(Db& db, std::string_view key, int64_t now) {
  KeyEntry* e = db.keys.find(key);
  if (e && e->hasExpire() && isExpired(db, e, now)) {
    expireEntry(db, e);
    e = nullptr;
  }
  return e;
}

KeyEntry* Store::lookupRead(Db& db, std::string_view key, int64_t now) {
  KeyEntry* e = lookupWrite(db, key, now);
  if (e) {
    stats_.keyspaceHits++;
  } else {
    stats_.keyspaceMisses++;
    notify(kNotifyKeyMiss, "keymiss", db, key);
  }
  return e;
}

KeyEntry* Store::addString(Db& db, std::string_view key, std::string_view value) {
  KeyEntry* e = KeyEntry::createString(key, value);
  db.keys.insert(e);
  notify(kNotifyNew, "new", db, key);
  return e;
}

KeyEntry* Store::addObject(Db& db, std::string_view key, ValueType type, Object* o) {
  KeyEntry* e = KeyEntry::createObject(key, type, o);
  db.keys.insert(e);
  notify(kNotifyNew, "new", db, key);
  return e;
}

KeyEntry* Store::setString(Db& db, std::string_view key, std::string_view value, bool keepTtl, int64_t now) {
  KeyEntry* e = lookupWrite(db, key, now);
  if (!e) return addString(db, key, value);
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

void Store::deleteEntry(Db& db, KeyEntry* e) {
  removeExpireEntry(db, e);
  db.keys.unlink(e->key());
  KeyEntry::destroy(e);
}

bool Store::deleteKey(Db& db, std::string_view key) {
  KeyEntry* e = db.keys.find(key);
  if (!e) return false;
  deleteEntry(db, e);
  return true;
}

KeyEntry* Store::detachEntry(Db& db, KeyEntry* e) {
  removeExpireEntry(db, e);
  db.keys.unlink(e->key());
  return e;
}

void Store::attachEntry(Db& db, KeyEntry* e) { db.keys.insert(e); }

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

void Store::flushDb(Db& db) {
  watches_.touchAllInDb(*this, db, nullptr, nowMs());
  db.expires.clear([](ExpireEntry* x) { delete x; });
  db.keys.clear([](KeyEntry* e) { KeyEntry::destroy(e); });
  db.expireCursor = 0;
}

void Store::flushAll() {
  for (auto& db : dbs_) flushDb(*db);
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

size_t Store::activeExpireCycle(int64_t now, int64_t budgetMicros) {
  int64_t start = nowUs();
  size_t removed = 0;
  std::vector<KeyEntry*> victims;
  for (int n = 0; n < dbCount(); n++) {
    Db& db = *dbs_[activeExpireDb_];
    while (!db.expires.empty()) {
      victims.clear();
      db.expireCursor = db.expires.scan(db.expireCursor, [&](ExpireEntry* x) {
        if (now > x->when) victims.push_back(x->entry);
      });
      for (KeyEntry* e : victims) expireEntry(db, e);
      removed += victims.size();
      if (nowUs() - start > budgetMicros) return removed;
      if (db.expireCursor == 0) break;
    }
    activeExpireDb_ = (activeExpireDb_ + 1) % dbCount();
  }
  return removed;
}

void Store::rehashCron() {
  for (auto& db : dbs_) {
    db->keys.rehashFor(10);
    db->expires.rehashFor(10);
  }
}

}  // namespace gearsd::store
