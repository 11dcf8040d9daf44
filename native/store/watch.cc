#include "store/watch.h"

#include <algorithm>

#include "store/keyspace.h"

namespace gearsd::store {
namespace {

bool keyIsExpired(Store& store, Db& db, std::string_view key, int64_t now) {
  KeyEntry* e = store.peek(db, key);
  return e && store.isExpired(db, e, now);
}

}  // namespace

void WatchTable::watch(Store& store, Db& db, uint64_t client, std::string_view key, int64_t now) {
  if (dirty_.count(client)) return;  // no point: EXEC will fail anyway
  auto& mine = byClient_[client];
  for (auto& [d, k] : mine)
    if (d == db.id && k == key) return;
  mine.emplace_back(db.id, std::string(key));
  db.watched[std::string(key)].push_back({client, keyIsExpired(store, db, key, now)});
}

void WatchTable::unwatchAll(Store& store, uint64_t client) {
  dirty_.erase(client);
  auto it = byClient_.find(client);
  if (it == byClient_.end()) return;
  for (auto& [dbId, key] : it->second) {
    Db& db = store.db(dbId);
    auto w = db.watched.find(key);
    if (w == db.watched.end()) continue;
    auto& list = w->second;
    list.erase(std::remove_if(list.begin(), list.end(), [&](const Watcher& x) { return x.clientId == client; }), list.end());
    if (list.empty()) db.watched.erase(w);
  }
  byClient_.erase(it);
}

bool WatchTable::watchedKeyExpired(Store& store, uint64_t client, int64_t now) {
  auto it = byClient_.find(client);
  if (it == byClient_.end()) return false;
  for (auto& [dbId, key] : it->second) {
    Db& db = store.db(dbId);
    auto w = db.watched.find(key);
    if (w == db.watched.end()) continue;
    for (const Watcher& x : w->second)
      if (x.clientId == client && !x.expired && keyIsExpired(store, db, key, now)) return true;
  }
  return false;
}

void WatchTable::markDirty(Store& store, const std::vector<uint64_t>& clients) {
  // Like Redis, a doomed transaction stops watching at once.
  for (uint64_t c : clients) {
    unwatchAll(store, c);
    dirty_.insert(c);
  }
}

void WatchTable::touch(Store& store, Db& db, std::string_view key) {
  if (db.watched.empty()) return;
  auto w = db.watched.find(std::string(key));
  if (w == db.watched.end()) return;
  std::vector<uint64_t> doomed;
  for (Watcher& x : w->second) {
    if (x.expired && !store.peek(db, key)) {
      x.expired = false;  // the expired key was deleted: logically no change
      continue;
    }
    doomed.push_back(x.clientId);
  }
  markDirty(store, doomed);
}

void WatchTable::touchAllInDb(Store& store, Db& emptied, Db* replacedWith, int64_t now) {
  std::vector<uint64_t> doomed;
  for (auto& [key, watchers] : emptied.watched) {
    bool inEmptied = store.peek(emptied, key) != nullptr;
    bool inReplacement = replacedWith && store.peek(*replacedWith, key) != nullptr;
    if (!inEmptied && !inReplacement) continue;
    for (Watcher& x : watchers) {
      if (x.expired) {
        if (!inReplacement) {
          x.expired = false;  // the expired key is gone: no logical change
          continue;
        }
        if (keyIsExpired(store, *replacedWith, key, now)) continue;  // still expired
      } else if (!inEmptied && replacedWith && keyIsExpired(store, *replacedWith, key, now)) {
        x.expired = true;  // a missing key replaced by an expired one
        continue;
      }
      doomed.push_back(x.clientId);
    }
  }
  markDirty(store, doomed);
}

}  // namespace gearsd::store
