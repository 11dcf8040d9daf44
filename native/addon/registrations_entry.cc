// The registration entry points of the addon (RG.DUMPREGISTRATIONS, RG.UNREGISTER and friends
// in src/commands/gears-registrations.ts). Each opens with the door's guard; the registration
// table is only touched with the server lock held.
#include <napi.h>

#include <string>
#include <vector>

#include "addon/door.h"
#include "engine/command_ctx.h"
#include "engine/command_registration.h"
#include "engine/engine.h"
#include "engine/registrations.h"
#include "store/command.h"
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

std::vector<std::string> argvOf(const Napi::Array& arr, uint32_t from) {
  std::vector<std::string> out;
  for (uint32_t i = from; i < arr.Length(); i++) {
    Napi::Buffer<char> b = arr.Get(i).As<Napi::Buffer<char>>();
    out.emplace_back(b.Data(), b.Length());
  }
  return out;
}

// What a trigger or hook execution that was just started means for its client: the reply
// now (sync: it has finished), or the execution to wait for (async, or a sync one whose step
// awaited and so goes on as async_local, GEARS_API.md §4.6).
Napi::Value outcome(Napi::Env env, Addon* a, const std::shared_ptr<engine::Execution>& ex) {
  Napi::Object r = Napi::Object::New(env);
  engine::ExecStatus status = ex->status();
  bool finished = status == engine::ExecStatus::Done || status == engine::ExecStatus::Aborted;
  if (ex->keepReply && finished) {
    a->store->afterCommand();  // what its writes fired
    r.Set("kind", "reply");
    r.Set("reply", bytes(env, ex->keptReply));
  } else {
    r.Set("kind", "wait");
    r.Set("seq", static_cast<double>(ex->seq()));
  }
  return r;
}

Napi::Value errorOutcome(Napi::Env env, const char* text) {
  Napi::Object r = Napi::Object::New(env);
  r.Set("kind", "error");
  r.Set("error", text);
  return r;
}

// trigger(db, argv, mayBlock): RG.TRIGGER / RG.TRIGGERONKEY (argv[1] is the trigger, the rest
// its arguments) -> { kind: 'reply', reply } | { kind: 'wait', seq } | { kind: 'error', error }
Napi::Value Trigger(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = gearsReadyOrThrow(info);
  int db;
  if (!a || !dbIndexOrThrow(info, a, 0, db)) return env.Undefined();
  std::vector<std::string> record = argvOf(info[1].As<Napi::Array>(), 1);
  bool mayBlock = info[2].ToBoolean().Value();
  store::ServerLockGuard lock;
  std::shared_ptr<engine::CommandRegistration> r = Engine::get().registry().findTrigger(record.front());
  if (!r) return errorOutcome(env, "ERR subcommand not found");
  if (r->mode() != engine::ExecMode::Sync && !mayBlock)
    return errorOutcome(env, "ERR can not run a non-sync execution inside a MULTI/LUA (blocking is not allowed) or on loading.");
  return outcome(env, a, r->fire(db, std::move(record), false, false, mayBlock));
}

// runHook(db, argv, mayBlock): a client's command that a CommandReader hook may serve ->
// { kind: 'none' } (run the command itself) | as trigger()
Napi::Value RunHook(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = gearsReadyOrThrow(info);
  int db;
  if (!a || !dbIndexOrThrow(info, a, 0, db)) return env.Undefined();
  std::vector<std::string> argv = argvOf(info[1].As<Napi::Array>(), 0);
  bool mayBlock = info[2].ToBoolean().Value();
  std::string lower = store::lowerCommandName(argv.front());
  store::ServerLockGuard lock;
  const auto* chain = Engine::get().registry().hooksOf(lower);
  if (chain) {
    for (const auto& r : *chain) {
      if (!r->hookMatches(argv)) continue;
      if (r->mode() != engine::ExecMode::Sync && !mayBlock) break;
      return outcome(env, a, r->fire(db, std::move(argv), true, false, mayBlock));
    }
  }
  Napi::Object none = Napi::Object::New(env);
  none.Set("kind", "none");
  return none;
}

Napi::Array names(Napi::Env env, const std::vector<std::string>& v) {
  Napi::Array arr = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); i++) arr.Set(i, v[i]);
  return arr;
}

// interceptedCommands() -> { hooks, commands }: the lower-case names TS shows the engine
// first (runHook; beginHookedCommand for KeysReader's commands=)
Napi::Value InterceptedCommands(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  Napi::Object r = Napi::Object::New(env);
  store::ServerLockGuard lock;
  r.Set("hooks", names(env, Engine::get().registry().hookedCommands()));
  r.Set("commands", names(env, Engine::get().registry().keysCommands()));
  return r;
}

// beginHookedCommand(argv, mayBlock): the client's command is about to run; the keyspace
// events it fires may trigger KeysReader registrations with commands= (GEARS_API.md §5.1).
Napi::Value BeginHookedCommand(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  auto ctx = std::make_shared<engine::CommandCtx>(argvOf(info[0].As<Napi::Array>(), 0));
  store::ServerLockGuard lock;
  engine::EventRouter& router = Engine::get().registry().router();
  router.command = std::move(ctx);
  router.commandMayBlock = info[1].ToBoolean().Value();
  return env.Undefined();
}

// endHookedCommand(reply, waitId) -> the reply for the client now, or null: it comes as a
// CommandDone event under waitId once the executions the command triggered have finished.
Napi::Value EndHookedCommand(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  Napi::Buffer<char> own = info[0].As<Napi::Buffer<char>>();
  uint64_t waitId = static_cast<uint64_t>(info[1].As<Napi::Number>().Int64Value());
  std::shared_ptr<engine::CommandCtx> ctx;
  {
    store::ServerLockGuard lock;
    engine::EventRouter& router = Engine::get().registry().router();
    ctx = std::move(router.command);
    router.command.reset();
    router.commandMayBlock = false;
  }
  if (!ctx) return env.Null();
  ctx->setReply(std::string(own.Data(), own.Length()));
  // Nobody else holds it once no execution does: answer now.
  if (ctx.use_count() == 1) return bytes(env, ctx->finalReply());
  ctx->waitAs(waitId);
  return env.Null();
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
  exports.Set("trigger", Napi::Function::New(env, Trigger));
  exports.Set("runHook", Napi::Function::New(env, RunHook));
  exports.Set("interceptedCommands", Napi::Function::New(env, InterceptedCommands));
  exports.Set("beginHookedCommand", Napi::Function::New(env, BeginHookedCommand));
  exports.Set("endHookedCommand", Napi::Function::New(env, EndHookedCommand));
  exports.Set("pauseRegistration", Napi::Function::New(env, PauseRegistration));
  exports.Set("clearRegistrationsStats", Napi::Function::New(env, ClearRegistrationsStats));
  exports.Set("pyDumpSessions", Napi::Function::New(env, PyDumpSessions));
}

}  // namespace gearsd::addon
