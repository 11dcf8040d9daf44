// Keyspace events and the queue that carries store signals to TS.
//
// notify() in keyspace.h fires every event at the point of mutation. Two consumers:
//  - the KeyspaceObserver (the Gears engine's registrations) sees every event, whatever
//    notify-keyspace-events says, as Redis modules do;
//  - pub/sub: when the event's class is enabled by notify-keyspace-events, the
//    `__keyspace@N__:key` / `__keyevent@N__:event` messages are queued for TS to publish.
// The EventQueue is filled under the server lock and drained by TS on the main thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gearsd::store {

// Redis's NOTIFY_* bits, with the same flag letters (see notifyFlagsFromString in TS).
enum NotifyClass : uint32_t {
  kNotifyKeyspace = 1 << 0,  // K
  kNotifyKeyevent = 1 << 1,  // E
  kNotifyGeneric = 1 << 2,   // g
  kNotifyString = 1 << 3,    // $
  kNotifyList = 1 << 4,      // l
  kNotifySet = 1 << 5,       // s
  kNotifyHash = 1 << 6,      // h
  kNotifyZset = 1 << 7,      // z
  kNotifyExpired = 1 << 8,   // x
  kNotifyEvicted = 1 << 9,   // e
  kNotifyStream = 1 << 10,   // t
  kNotifyKeyMiss = 1 << 11,  // m
  kNotifyModule = 1 << 13,   // d
  kNotifyNew = 1 << 14,      // n
};

struct Db;
class Store;

class KeyspaceObserver {
 public:
  virtual ~KeyspaceObserver() = default;
  virtual void onKeyspaceEvent(Store& store, Db& db, uint32_t cls, std::string_view event,
                               std::string_view key) = 0;
  // A command (or another unit of keyspace work: an expiry cycle) has finished and the
  // server lock is still held: work the events asked for that must not run in the middle
  // of a command (sync registrations change keys the command may still point into).
  virtual void afterCommand(Store& store) {}
};

struct PubsubMessage {
  std::string channel;
  std::string message;
};

struct ReadyKey {
  int db;
  std::string key;
};

// What native has to tell TS. Appended to under the server lock.
struct EventQueue {
  std::vector<PubsubMessage> pubsub;
  std::vector<ReadyKey> readyKeys;
  bool empty() const { return pubsub.empty() && readyKeys.empty(); }
};

}  // namespace gearsd::store
