#include "engine/event_router.h"

#include <algorithm>

#include "engine/context.h"
#include "engine/keys_registration.h"
#include "engine/registration.h"

namespace gearsd::engine {
namespace {

// The registration whose execution is running on this thread, if any.
const Registration* runningRegistration() {
  PyContext* c = currentContext();
  return c && c->execution ? c->execution->registration.get() : nullptr;
}

template <class T>
void eraseOne(std::vector<std::shared_ptr<T>>& v, const T* r) {
  v.erase(std::remove_if(v.begin(), v.end(), [r](const std::shared_ptr<T>& p) { return p.get() == r; }), v.end());
}

}  // namespace

void EventRouter::onKeyspaceEvent(store::Store& store, store::Db& db, uint32_t cls, std::string_view event,
                                  std::string_view key) {
  if (keys_.empty()) return;
  const Registration* self = runningRegistration();
  // Firing never adds or removes registrations, so the lists are stable while walked.
  for (const std::shared_ptr<KeysRegistration>& r : keys_) {
    if (r.get() == self || !r->matches(store, db, event, key, command.get())) continue;
    r->fire(db, event, key, command, commandMayBlock);
  }
}

void EventRouter::afterCommand(store::Store&) {
  while (!deferred_.empty()) {
    // Taken out first: a sync execution's own writes run their registrations at the end of
    // each execute(), re-entering here with a list of their own.
    std::vector<std::shared_ptr<Execution>> batch;
    batch.swap(deferred_);
    for (const std::shared_ptr<Execution>& ex : batch) ex->registration->start(ex, false);
  }
}

void EventRouter::addKeys(std::shared_ptr<KeysRegistration> r) { keys_.push_back(std::move(r)); }

void EventRouter::removeKeys(const KeysRegistration* r) { eraseOne(keys_, r); }

}  // namespace gearsd::engine
