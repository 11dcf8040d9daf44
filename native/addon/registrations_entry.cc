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

}  // namespace

void registerRegistrationEntries(Napi::Env env, Napi::Object exports) {
  exports.Set("dumpRegistrations", Napi::Function::New(env, DumpRegistrations));
  exports.Set("unregister", Napi::Function::New(env, Unregister));
}

}  // namespace gearsd::addon
