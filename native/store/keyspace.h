// The keyspace: databases of keys, their values and their expiry.
//
// Tour:
//  - KeyEntry is one allocation per key: chain pointer, header, key bytes, then either
//    the string value inline (small strings, the common case) or a pointer to the value
//    (a StrBuf for larger strings, an Object for every other type). Entries never move
//    while their key exists, so a KeyEntry* stays valid until the key is deleted.
//  - Db holds the key table and, like Redis, a second table of the keys with a TTL.
//  - Store owns the databases and the rules every command follows: lazy expiry on lookup,
//    keyspace events, signals for WATCH and blocked clients, the dirty counter, stats.
//  - Expiry is lazy (every lookup deletes an expired key it finds) and active: the TS cron
//    calls activeExpireCycle() with a time budget, which samples keys with a TTL the way
//    Redis's activeExpireCycle does and keeps going only while many of them are stale.
//  - Values too big to free inside the server lock (FLUSHALL ASYNC, UNLINK) go to the
//    lazy-free thread (lazyfree.h). Object destructors may therefore run on that thread:
//    they must only release memory, never touch the store or other shared state.
//
// Every write ends the same way (STYLE.md): mutate → signalModifiedKey → notify → dirty++.
// Nothing here takes the server lock; callers hold it (see server_lock.h).
#pragma once
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/dict.h"
#include "store/events.h"
#include "store/lazyfree.h"
#include "store/watch.h"

namespace gearsd::store {

enum class ValueType : uint8_t { String = 0, List, Set, ZSet, Hash, Stream };
const char* valueTypeName(ValueType t);
// Only these types can have clients blocked on them (BLPOP, BZPOPMIN, XREAD...), so only
// they signal ready keys when they appear under a key (Redis's signalKeyAsReady).
inline bool mayWakeBlocked(ValueType t) { return t == ValueType::List || t == ValueType::ZSet || t == ValueType::Stream; }

// Base of every non-string value. Each type lives in its own family file.
class Object {
 public:
  virtual ~Object() = default;
  virtual size_t memoryUsage() const = 0;
  virtual std::unique_ptr<Object> clone() const = 0;  // COPY
  virtual const char* encodingName() const = 0;       // OBJECT ENCODING, Redis 7.0's names
};

// A heap string for values too large to sit inline, growable for APPEND/SETRANGE.
struct StrBuf {
  uint32_t len;
  uint32_t cap;
  char data[];
  static StrBuf* create(std::string_view s, size_t cap);
  std::string_view view() const { return {data, len}; }
};

// How OBJECT ENCODING names a string value. Redis picks int/embstr/raw by how the value
// was made, not only by its bytes (SET "1" is int, INCRBYFLOAT's "1" is embstr, APPEND
// makes raw), so the entry remembers which rule applies; the name itself is computed on
// demand (t_string.h) and costs nothing on the write path.
enum class StrEncoding : uint8_t {
  Auto = 0,        // as Redis's tryObjectEncoding decides from the bytes (SET, MSET, INCR...)
  Raw,             // grown or patched in place (APPEND, SETRANGE)
  EmbstrOrRaw,     // built as a fresh string object (INCRBYFLOAT): embstr up to 44 bytes
  IntUnshared,     // an int that is not one of Redis's shared integers (COPY of one)
};

struct KeyEntry {
  enum : uint8_t { kInline = 0, kHeap = 1, kObject = 2 };
  enum : uint8_t { kHasExpire = 1 };

  KeyEntry* next;
  uint32_t keyLen;
  uint32_t valLen;  // length of an inline string
  ValueType type;
  uint8_t enc;
  uint8_t flags;
  StrEncoding strEnc;  // strings only
  uint32_t lru;        // last access, unix seconds mod 2^32 (OBJECT IDLETIME)
  char data[];  // key bytes, then the inline string or a pointer (StrBuf* / Object*)

  std::string_view key() const { return {data, keyLen}; }
  bool hasExpire() const { return flags & kHasExpire; }

  std::string_view str() const;  // type must be String
  Object* obj() const;           // type must not be String
  template <class T>
  T* as() const {
    return static_cast<T*>(obj());
  }

  static KeyEntry* createString(std::string_view key, std::string_view value);
  static KeyEntry* createObject(std::string_view key, ValueType type, Object* o);
  // A new entry named `key` that takes over `from`'s value (RENAME); `from` is left
  // holding an empty string and can be destroyed.
  static KeyEntry* createTakingValue(std::string_view key, KeyEntry* from);
  static void destroy(KeyEntry* e);

  void setString(std::string_view value);             // replaces any value (encoding Auto)
  void setObject(ValueType type, Object* o);          // replaces any value
  // Makes the string a growable StrBuf of at least minCapacity bytes, keeping its bytes
  // (encoding Raw, as Redis's dbUnshareStringValue).
  StrBuf* mutableString(size_t minCapacity);
  void releaseValue();                                // frees the current value
  size_t memoryUsage() const;

 private:
  size_t slotCapacity() const;  // bytes available after the key
  void* slot() { return data + keyLen; }
  const void* slot() const { return data + keyLen; }
};

struct KeyEntryTraits {
  static std::string_view key(const KeyEntry* e) { return e->key(); }
  static KeyEntry*& next(KeyEntry* e) { return e->next; }
};

struct ExpireEntry {
  ExpireEntry* next;
  KeyEntry* entry;
  int64_t when;  // absolute unix time in ms
};
struct ExpireEntryTraits {
  static std::string_view key(const ExpireEntry* e) { return e->entry->key(); }
  static ExpireEntry*& next(ExpireEntry* e) { return e->next; }
};

using KeyTable = Dict<KeyEntry, KeyEntryTraits>;
using ExpireTable = Dict<ExpireEntry, ExpireEntryTraits>;

struct Db {
  int id = 0;
  KeyTable keys;
  ExpireTable expires;
  std::unordered_map<std::string, std::vector<Watcher>> watched;  // see watch.h
  std::unordered_map<std::string, uint32_t> blocked;  // key -> number of blocked clients (TS keeps who)
  uint64_t expireCursor = 0;                          // active expiry resumes here
  int64_t avgTtl = 0;  // ms, running estimate from active expiry (INFO keyspace avg_ttl)
};

struct StoreStats {
  uint64_t keyspaceHits = 0;
  uint64_t keyspaceMisses = 0;
  uint64_t expiredKeys = 0;
  uint64_t commandsProcessed = 0;
  uint64_t expiredStalePerc = 0;       // % of sampled keys found expired, running estimate
  uint64_t expiredTimeCapReached = 0;  // active expiry cycles cut short by their budget
};

// lookup() flags, as Redis's LOOKUP_*.
enum LookupFlags : uint32_t {
  kLookupNone = 0,
  kLookupWrite = 1 << 0,     // no hit/miss stats, no keymiss event
  kLookupNoTouch = 1 << 1,   // leave the access time alone (EXISTS, TYPE, TTL, OBJECT)
  kLookupNoNotify = 1 << 2,  // no keymiss event
  kLookupNoStats = 1 << 3,   // no hit/miss stats
};

class Store {
 public:
  explicit Store(int numDbs);

  // The caller flags (command.h) of the command running under the lock: what it fires (a sync
  // Gears registration) inherits whether it may wait. Set by whoever runs a handler.
  uint32_t runningCaller = 0;
  ~Store();

  int dbCount() const { return static_cast<int>(dbs_.size()); }
  Db& db(int i) { return *dbs_[i]; }

  // --- lookups; all apply lazy expiry (which fires "expired") ------------------------
  // A read lookup counts a keyspace hit or miss and fires "keymiss" on a miss; both
  // update the key's access time.
  KeyEntry* lookup(Db& db, std::string_view key, int64_t now, uint32_t flags);
  KeyEntry* lookupRead(Db& db, std::string_view key, int64_t now) { return lookup(db, key, now, kLookupNone); }
  KeyEntry* lookupWrite(Db& db, std::string_view key, int64_t now) { return lookup(db, key, now, kLookupWrite); }
  // No side effects at all: no expiry, no stats (TYPE of an expired key still expires;
  // this is for internal walks that must not change the keyspace).
  KeyEntry* peek(Db& db, std::string_view key) const;
  bool isExpired(const Db& db, const KeyEntry* e, int64_t now) const;

  // --- writes --------------------------------------------------------------------------
  // Creates the key (which must not exist) and fires the "new" event.
  KeyEntry* addString(Db& db, std::string_view key, std::string_view value);
  KeyEntry* addObject(Db& db, std::string_view key, ValueType type, Object* o);
  // SET semantics: creates or overwrites, dropping any TTL unless keepTtl.
  KeyEntry* setString(Db& db, std::string_view key, std::string_view value, bool keepTtl, int64_t now);
  // Removes a key and frees its value; true when it existed. No events: callers fire them.
  bool deleteKey(Db& db, std::string_view key);
  void deleteEntry(Db& db, KeyEntry* e);
  // Removes a key like deleteEntry, but hands a collection value to the lazy-free
  // thread (UNLINK).
  void deleteEntryLazy(Db& db, KeyEntry* e);
  // Moves an entry out of the table without freeing it (RENAME/MOVE); expiry is dropped.
  KeyEntry* detachEntry(Db& db, KeyEntry* e);
  void attachEntry(Db& db, KeyEntry* e);  // key must not exist in db

  // RENAME: `e` (in db) becomes `newKey` (which must not exist), keeping its value, TTL
  // and access time; fires "new" for newKey. Returns the new entry; `e` is gone.
  KeyEntry* renameEntry(Db& db, KeyEntry* e, std::string_view newKey);
  // MOVE: `e` leaves `from` for `to` (where its key must not exist), keeping its TTL;
  // fires "new" in `to`.
  void moveEntry(Db& from, KeyEntry* e, Db& to);

  void setExpire(Db& db, KeyEntry* e, int64_t whenMs);
  bool removeExpire(Db& db, KeyEntry* e);
  int64_t getExpire(const Db& db, const KeyEntry* e) const;  // -1 when none

  // Empties a database (touching watched keys that existed); returns the keys removed.
  // With `async` the memory is released by the lazy-free thread.
  size_t flushDb(Db& db, bool async = false);
  size_t flushAll(bool async = false);
  // SWAPDB: exchanges the data of two databases; watchers and blocked clients stay with
  // their database number, so both are told.
  void swapDbs(Db& a, Db& b);

  // --- signals ---------------------------------------------------------------------------
  void signalModifiedKey(Db& db, std::string_view key);   // WATCH
  void signalKeyAsReady(Db& db, std::string_view key);    // blocked clients
  void notify(uint32_t cls, std::string_view event, Db& db, std::string_view key);
  void addDirty(uint64_t n = 1) { dirty_ += n; }
  uint64_t dirty() const { return dirty_; }

  // Deletes an expired key the way Redis does (event "expired", stats).
  void expireEntry(Db& db, KeyEntry* e);

  // One bounded step of active expiry across databases; returns keys removed.
  size_t activeExpireCycle(int64_t now, int64_t budgetMicros);
  // Samples up to ~20 keys with a TTL in db and expires the stale ones; returns
  // {sampled, expired}. One loop of activeExpireCycle.
  std::pair<size_t, size_t> activeExpireSample(Db& db, int64_t now);
  // Background rehashing of idle tables.
  void rehashCron();

  // The access-time clock (seconds) that new and looked-up entries are stamped with;
  // every lookup advances it to the command's time.
  uint32_t lruClock() const { return lruClock_; }

  LazyFree& lazyFree() { return *lazyFree_; }

  std::mt19937_64& rng() { return rng_; }
  StoreStats& stats() { return stats_; }
  EventQueue& events() { return events_; }
  WatchTable& watches() { return watches_; }

  // Set by the engine: sees every keyspace event (registrations).
  void setObserver(KeyspaceObserver* o) { observer_ = o; }
  // Every caller that runs a command handler, or otherwise fires events under the server
  // lock (expiry cycles), calls this once done, before it lets the lock go.
  void afterCommand() {
    if (observer_) observer_->afterCommand(*this);
  }
  void setNotifyFlags(uint32_t f) { notifyFlags_ = f; }
  uint32_t notifyFlags() const { return notifyFlags_; }

 private:
  void removeExpireEntry(Db& db, KeyEntry* e);
  // Takes an entry out of db (and its expires) without freeing it.
  void unlinkEntry(Db& db, KeyEntry* e);
  // Before db's data is flushed or swapped for `replacement`'s: readies the keys clients
  // block on that were streams and will not be (Redis's scanDatabaseForDeletedStreams).
  void signalStreamsGone(Db& emptied, const Db* replacement);

  std::vector<std::unique_ptr<Db>> dbs_;
  std::unique_ptr<LazyFree> lazyFree_;
  std::mt19937_64 rng_;
  uint32_t lruClock_ = 0;
  StoreStats stats_;
  EventQueue events_;
  WatchTable watches_;
  KeyspaceObserver* observer_ = nullptr;
  uint32_t notifyFlags_ = 0;
  uint64_t dirty_ = 0;
  int activeExpireDb_ = 0;
};

int64_t nowMs();
int64_t nowUs();

}  // namespace gearsd::store
