#include "engine/event_router.h"

#include <algorithm>

#include "engine/context.h"
#include "engine/engine.h"
#include "engine/keys_registration.h"
#include "engine/registration.h"
#include "engine/stream_registration.h"
#include "store/command.h"

namespace gearsd::engine {
namespace {

// The registration whose execution (or, on the event loop, whose coroutine) is running on
// this thread, if any. Called under the server lock without the GIL: no Python here.
const Registration* runningRegistration() {
  PyContext* c = threadContext();
  if (!c) return nullptr;
  return c->execution ? c->execution->registration.get() : c->taskRegistration.get();
}

template <class T>
void eraseOne(std::vector<std::shared_ptr<T>>& v, const T* r) {
  v.erase(std::remove_if(v.begin(), v.end(), [r](const std::shared_ptr<T>& p) { return p.get() == r; }), v.end());
}

}  // namespace

void EventRouter::onKeyspaceEvent(store::Store& store, store::Db& db, uint32_t cls, std::string_view event,
                                  std::string_view key) {
  if (keys_.empty() && streams_.empty()) return;
  const Registration* self = runningRegistration();
  if (!streams_.empty() && event == "xadd") {
    for (const std::shared_ptr<StreamRegistration>& r : streams_)
      if (r.get() != self && r->matchesKey(key)) pokes_.push_back({r, db.id, std::string(key)});
  }
  // Only the hooked command's own writes link to it: not an execution thread's execute()
  // that took the lock meanwhile, nor a sync registration's writes.
  static const std::shared_ptr<CommandCtx> kNone;
  const std::shared_ptr<CommandCtx>& cmd =
      command && !self && Engine::get().host().onMainThread() ? command : kNone;
  // Firing never adds or removes registrations, so the lists are stable while walked.
  for (const std::shared_ptr<KeysRegistration>& r : keys_) {
    if (r.get() == self || !r->matches(store, db, event, key, cmd.get())) continue;
    r->fire(db, event, key, cmd, commandMayBlock, (store.runningCaller & store::kCallerDenyBlocking) != 0);
  }
}

void EventRouter::afterCommand(store::Store& store) {
  while (!deferred_.empty() || !pokes_.empty()) {
    std::vector<Poke> pokes;
    pokes.swap(pokes_);
    for (const Poke& p : pokes)
      if (p.registration->active()) p.registration->poke(store, store.db(p.db), p.key);
    // Taken out first: a sync execution's own writes run their registrations at the end of
    // each execute(), re-entering here with a list of their own.
    std::vector<std::shared_ptr<Execution>> batch;
    batch.swap(deferred_);
    for (const std::shared_ptr<Execution>& ex : batch) ex->registration->start(ex, false);
  }
}

void EventRouter::addKeys(std::shared_ptr<KeysRegistration> r) { keys_.push_back(std::move(r)); }

void EventRouter::removeKeys(const KeysRegistration* r) { eraseOne(keys_, r); }

void EventRouter::addStreams(std::shared_ptr<StreamRegistration> r) { streams_.push_back(std::move(r)); }

void EventRouter::removeStreams(const StreamRegistration* r) { eraseOne(streams_, r); }

}  // namespace gearsd::engine
