// The addon's one door, shared by the entry-point files of this folder: the per-environment
// state (Addon) and the guard every entry point after init() opens with.
#pragma once
#include <napi.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/keyspace.h"
#include "store/resp_reply.h"

namespace gearsd::addon {

class Channel;

struct Addon {
  // The keyspace. Once the Gears engine has started, execution threads may still be reading
  // it while the process exits, so it is then left to the OS rather than freed.
  std::unique_ptr<store::Store> store;
  store::RespReply out;
  std::vector<std::string_view> argv;
  std::vector<std::string> retryArgv;  // from the last exec that would block
  Channel* channel = nullptr;          // native → TS channel; lives for the process
  Napi::ObjectReference noEvents;      // drainEvents() when nothing is queued (made once)

  ~Addon() {
    if (channel) (void)store.release();
  }
};

inline Addon* instance(const Napi::Env& env) { return env.GetInstanceData<Addon>(); }

// The guard every entry point after init() opens with.
inline Addon* readyOrThrow(const Napi::CallbackInfo& info) {
  Addon* a = instance(info.Env());
  if (!a || !a->store) {
    Napi::Error::New(info.Env(), "gearsd native: init() has not been called").ThrowAsJavaScriptException();
    return nullptr;
  }
  return a;
}

inline bool dbIndexOrThrow(const Napi::CallbackInfo& info, Addon* a, size_t argIndex, int& db) {
  db = info[argIndex].As<Napi::Number>().Int32Value();
  if (db < 0 || db >= a->store->dbCount()) {
    Napi::RangeError::New(info.Env(), "database index out of range").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

// The guard of the Gears entry points: init() done and the engine started (gearsStart()).
inline Addon* gearsReadyOrThrow(const Napi::CallbackInfo& info) {
  Addon* a = readyOrThrow(info);
  if (a && !a->channel) {
    Napi::Error::New(info.Env(), "gearsd native: gearsStart() has not been called").ThrowAsJavaScriptException();
    return nullptr;
  }
  return a;
}

// Registers the Gears entry points on the addon's exports (gears_entry.cc), and those of
// registrations (registrations_entry.cc).
void registerGearsEntries(Napi::Env env, Napi::Object exports);
void registerRegistrationEntries(Napi::Env env, Napi::Object exports);

}  // namespace gearsd::addon
