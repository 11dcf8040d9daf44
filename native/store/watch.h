// WATCH bookkeeping, with Redis 7.0's rules (multi.c): who watches which key, which
// clients' transactions are already doomed (CAS-dirty), and the special case of keys that
// were already logically expired when they were watched (their deletion by expiry is
// not a change).
//
// TS owns the client and its MULTI queue; this table only answers "is EXEC still
// allowed?". It lives in native because the touches happen at the point of mutation.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace gearsd::store {

class Store;
struct Db;

struct Watcher {
  uint64_t clientId;
  bool expired;  // the key was logically expired when WATCH ran
};

class WatchTable {
 public:
  void watch(Store& store, Db& db, uint64_t client, std::string_view key, int64_t now);
  // Forgets every key of the client and its dirty flag (UNWATCH, EXEC, DISCARD, disconnect).
  void unwatchAll(Store& store, uint64_t client);
  bool isDirty(uint64_t client) const { return dirty_.count(client) > 0; }
  // A watched key that was live when watched and is logically expired now.
  bool watchedKeyExpired(Store& store, uint64_t client, int64_t now);

  // touchWatchedKey: a write to `key`.
  void touch(Store& store, Db& db, std::string_view key);
  // touchAllWatchedKeysInDb: `emptied` is flushed, or swapped with `replacedWith`.
  void touchAllInDb(Store& store, Db& emptied, Db* replacedWith, int64_t now);

 private:
  void markDirty(Store& store, const std::vector<uint64_t>& clients);

  std::unordered_map<uint64_t, std::vector<std::pair<int, std::string>>> byClient_;
  std::unordered_set<uint64_t> dirty_;
};

}  // namespace gearsd::store
