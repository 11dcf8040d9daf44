// What the collection families (hash, set, and alike) share around their commands.
#pragma once
#include <cstdint>
#include <string_view>

#include "store/command.h"
#include "store/errors.h"

namespace gearsd::store {

// Replies WRONGTYPE and returns false when the entry holds another type than `type`;
// `out` is null when there is no entry.
template <class T>
bool valueOfTypeOrReply(CommandContext& c, KeyEntry* e, ValueType type, T*& out) {
  out = nullptr;
  if (!e) return true;
  if (e->type != type) {
    c.reply.error(err::kWrongType);
    return false;
  }
  out = e->as<T>();
  return true;
}

// The value of `type` at key, through a read (stats, keymiss) or write lookup.
template <class T>
bool lookupReadOrReply(CommandContext& c, std::string_view key, ValueType type, T*& out) {
  return valueOfTypeOrReply(c, c.store.lookupRead(*c.db, key, c.now), type, out);
}
template <class T>
bool lookupWriteOrReply(CommandContext& c, std::string_view key, ValueType type, T*& out) {
  return valueOfTypeOrReply(c, c.store.lookupWrite(*c.db, key, c.now), type, out);
}

// The body of HDEL and SREM: removes argv[2..] from the collection at argv[1] with
// `remove(member) -> bool`, deleting the key as soon as `size()` reaches 0 (Redis stops
// there), then ends the write (signal, `event`, then "del" for an emptied key, dirty) and
// replies how many were removed.
template <class Remove, class Size>
void removeArgsAndReply(CommandContext& c, uint32_t cls, const char* event, Remove&& remove, Size&& size) {
  std::string_view key = c.arg(1);
  int64_t removed = 0;
  bool keyRemoved = false;
  for (size_t j = 2; j < c.argc() && !keyRemoved; j++) {
    if (!remove(c.arg(j))) continue;
    removed++;
    if (size() == 0) {
      c.store.deleteKey(*c.db, key);
      keyRemoved = true;
    }
  }
  if (removed) {
    c.store.signalModifiedKey(*c.db, key);
    c.store.notify(cls, event, *c.db, key);
    if (keyRemoved) c.store.notify(kNotifyGeneric, "del", *c.db, key);
    c.store.addDirty(removed);
  }
  c.reply.integer(removed);
}

}  // namespace gearsd::store
