// The engine's keyspace observer (store/events.h): every keyspace event, fired at the point
// of mutation under the server lock on whichever thread wrote (the main thread for clients,
// an execution thread for execute(), the cron for expiry), is matched here against the
// registrations that listen to keys and streams.
//
// A registration never fires for what its own execution writes on this thread (sync or not),
// so a registration that updates the keys it watches does not feed itself. Sync executions
// are not run in the middle of the command that fired them, where the command may still hold
// pointers into the key they could change: they wait in `deferred_` until the command's
// handler has returned, and run then, with the server lock still held and before the command
// replies (afterCommand).
//
// An `xadd` to a stream a StreamReader registration watches is noted the same way and the
// registration is poked after the command (it may create its consumer group, start a batch).
//
// Everything here runs with the server lock held.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/execution.h"
#include "store/events.h"

namespace gearsd::engine {

class KeysRegistration;
class StreamRegistration;

class EventRouter final : public store::KeyspaceObserver {
 public:
  void onKeyspaceEvent(store::Store& store, store::Db& db, uint32_t cls, std::string_view event,
                       std::string_view key) override;
  void afterCommand(store::Store& store) override;

  void addKeys(std::shared_ptr<KeysRegistration> r);
  void removeKeys(const KeysRegistration* r);
  void addStreams(std::shared_ptr<StreamRegistration> r);
  void removeStreams(const StreamRegistration* r);

  // A sync execution to run once the current command's handler has returned.
  void defer(std::shared_ptr<Execution> ex) { deferred_.push_back(std::move(ex)); }

  // commands=: the hooked command running now (its events may fire commands= registrations),
  // and whether its client may wait for async executions.
  std::shared_ptr<CommandCtx> command;
  bool commandMayBlock = false;

 private:
  std::vector<std::shared_ptr<KeysRegistration>> keys_;
  std::vector<std::shared_ptr<Execution>> deferred_;
  std::vector<std::shared_ptr<StreamRegistration>> streams_;
  // Streams that got an entry during the command: poked once its handler has returned.
  struct Poke {
    std::shared_ptr<StreamRegistration> registration;
    int db;
    std::string key;
  };
  std::vector<Poke> pokes_;
};

}  // namespace gearsd::engine
