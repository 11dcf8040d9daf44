// The registration entry points of the addon (RG.DUMPREGISTRATIONS, RG.UNREGISTER and friends
// in src/commands/gears-registrations.ts). Each opens with the door's guard; the registration
// table is only touched with the server lock held.
#include <napi.h>

#include "addon/door.h"
#include "engine/engine.h"
#include "engine/registrations.h"
#include "store/resp_reply.h"
#include "store/server_lock.h"

namespace gearsd::addon {
namespace {

using engine::Engine;

Napi::Value bytes(Napi::Env env, const std::string& s) { return Napi::Buffer<char>::Copy(env, s.data(), s.size()); }

// dumpRegistrations() -> RESP bytes of RG.DUMPREGISTRATIONS
Napi::Value DumpRegistrations(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  store::RespReply out;
  {
    store::ServerLockGuard lock;
    auto regs = Engine::get().registry().listed();
    out.arrayHeader(regs.size());
    for (const auto& r : regs) r->writeDump(out, true);
  }
  return bytes(env, out.bytes());
}

// unregister(seq, abortPending) -> true, or false when there is no such registration
Napi::Value Unregister(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  uint64_t seq = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
  bool abortPending = info[1].As<Napi::Boolean>().Value();
  std::shared_ptr<engine::Registration> removed;
  {
    store::ServerLockGuard lock;
    removed = Engine::get().registry().remove(seq, abortPending);
  }
  return Napi::Boolean::New(env, removed != nullptr);
}

// pauseRegistration(seq, pause) -> null when there is no such registration, "" when done,
// otherwise the name of its reader, which cannot pause
Napi::Value PauseRegistration(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = gearsReadyOrThrow(info);
  if (!a) return env.Undefined();
  uint64_t seq = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
  bool pause = info[1].As<Napi::Boolean>().Value();
  store::ServerLockGuard lock;
  std::shared_ptr<engine::Registration> r = Engine::get().registry().find(seq);
  if (!r) return env.Null();
  if (!r->pausable()) return Napi::String::New(env, r->readerName());
  if (pause) r->pause();
  else r->unpause();
  a->store->afterCommand();  // an unpause may have started batches
  return Napi::String::New(env, "");
}

// clearRegistrationsStats()
Napi::Value ClearRegistrationsStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  Engine& eng = Engine::get();
  eng.consumeExecutionId();  // RedisGears does it with an internal execution
  store::ServerLockGuard lock;
  eng.registry().clearStats();
  return env.Undefined();
}

// pyDumpSessions(verbose, dead, names: string[] | null) -> RESP bytes of RG.PYDUMPSESSIONS
Napi::Value PyDumpSessions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  bool verbose = info[0].ToBoolean().Value();
  bool dead = info[1].ToBoolean().Value();
  store::RespReply out;
  {
    store::ServerLockGuard lock;
    engine::RegistrationTable& table = Engine::get().registry();
    engine::SessionTable& sessions = table.sessions();
    if (info[2].IsArray()) {
      Napi::Array names = info[2].As<Napi::Array>();
      out.arrayHeader(names.Length());
      for (uint32_t i = 0; i < names.Length(); i++) {
        std::string name = names.Get(i).As<Napi::String>().Utf8Value();
        std::shared_ptr<engine::Session> s = sessions.find(name);
        if (s) table.writeSession(out, s, verbose);
        else out.bulk("Session " + name + " does not exists");
      }
    } else {
      auto list = dead ? sessions.deadSessions() : sessions.linkedSessions();
      out.arrayHeader(list.size());
      for (const auto& s : list) table.writeSession(out, s, verbose);
    }
  }
  return bytes(env, out.bytes());
}

}  // namespace

void registerRegistrationEntries(Napi::Env env, Napi::Object exports) {
  exports.Set("dumpRegistrations", Napi::Function::New(env, DumpRegistrations));
  exports.Set("unregister", Napi::Function::New(env, Unregister));
  exports.Set("pauseRegistration", Napi::Function::New(env, PauseRegistration));
  exports.Set("clearRegistrationsStats", Napi::Function::New(env, ClearRegistrationsStats));
  exports.Set("pyDumpSessions", Napi::Function::New(env, PyDumpSessions));
}

}  // namespace gearsd::addon
