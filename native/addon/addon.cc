// The addon's one door: every function TS can call, each opening with the same checks.
//
// State lives in one Addon instance (the store, the reply arena), created by init() and
// torn down by Node's cleanup hook. Replies of data commands are appended to the arena;
// TS takes them with takeOutput() when it writes to a socket, so a pipeline of commands
// costs one copy, not one Buffer per reply.
#include <napi.h>

#include <malloc.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "addon/channel.h"
#include "addon/door.h"
#include "python/interpreter.h"
#include "store/command.h"
#include "store/glob.h"
#include "store/hashing.h"
#include "store/keyspace.h"
#include "store/resp_reply.h"
#include "store/server_lock.h"
#include "store/tuning.h"

namespace gearsd::addon {
namespace {

using store::CommandContext;
using store::CommandRegistry;
using store::ServerLockGuard;

// exec() result bits, mirrored in src/native.ts.
enum ExecStatus : uint32_t {
  kExecWouldBlock = 1 << 0,
  kExecEventsPending = 1 << 1,
  kExecRetryArgv = 1 << 2,  // takeRetryArgv() has the argv to re-run on wake-up
  kExecGearsEvents = 1 << 3,  // the command ran sync registrations: gearsTakeEvents() has news
};

// init({ databases, overridePythonAllocators }) -> { python: version string }
Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = instance(env);
  if (a->store) return env.Undefined();
  Napi::Object opts = info[0].As<Napi::Object>();
  int databases = opts.Get("databases").As<Napi::Number>().Int32Value();
  store::initHashSeed();
  a->store = std::make_unique<store::Store>(databases);
  store::registerAllFamilies(store::commandRegistry());
  Napi::Value allocators = opts.Get("overridePythonAllocators");
  bool countAllocations = !allocators.IsBoolean() || allocators.As<Napi::Boolean>().Value();
  std::string error;
  if (!python::startInterpreter(error, countAllocations)) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("python", python::interpreterVersion());
  return result;
}

// bindCommand(name, arity, flags, firstKey, lastKey, keyStep) -> id, hasNativeHandler
Napi::Value BindCommand(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>();
  CommandRegistry& reg = store::commandRegistry();
  int id = reg.bind(name, info[1].As<Napi::Number>().Int32Value(), info[2].As<Napi::Number>().Uint32Value(),
                    info[3].As<Napi::Number>().Int32Value(), info[4].As<Napi::Number>().Int32Value(),
                    info[5].As<Napi::Number>().Int32Value());
  Napi::Object r = Napi::Object::New(env);
  r.Set("id", id);
  r.Set("native", reg.byId(id)->handler != nullptr);
  return r;
}

Napi::Value UnboundHandlers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto names = store::commandRegistry().unboundHandlers();
  Napi::Array arr = Napi::Array::New(env, names.size());
  for (size_t i = 0; i < names.size(); i++) arr.Set(i, names[i]);
  return arr;
}

// Runs one native command on a.argv with the server lock held; returns ExecStatus bits.
uint32_t runCommand(Addon* a, const store::CommandInfo& cmd, int db, uint32_t caller) {
  uint32_t status = 0;
  a->out.setResp3((caller & store::kCallerResp3) != 0);
  CommandContext ctx{*a->store, &a->store->db(db), a->argv, a->out, store::nowMs(), caller};
  a->store->runningCaller = caller;
  cmd.handler(ctx);
  a->store->stats().commandsProcessed++;
  a->store->afterCommand();  // sync registrations the command fired run now, before it replies
  a->store->runningCaller = 0;
  if (ctx.wouldBlock) status |= kExecWouldBlock;
  if (ctx.wouldBlock && !ctx.blockRetryArgv.empty()) {
    a->retryArgv = std::move(ctx.blockRetryArgv);
    status |= kExecRetryArgv;
  }
  if (!a->store->events().empty()) status |= kExecEventsPending;
  if (a->channel && a->channel->mainThreadPosted()) status |= kExecGearsEvents;
  return status;
}

// exec(id, db, argv: Buffer[], callerFlags) -> ExecStatus bits; the reply is in the arena.
Napi::Value Exec(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  const store::CommandInfo* cmd = store::commandRegistry().byId(info[0].As<Napi::Number>().Int32Value());
  int db;
  if (!cmd || !cmd->handler) {
    Napi::Error::New(env, "exec: not a native command").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!dbIndexOrThrow(info, a, 1, db)) return env.Undefined();
  Napi::Array args = info[2].As<Napi::Array>();
  uint32_t n = args.Length();
  a->argv.clear();
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    napi_get_element(env, args, i, &v);
    void* data;
    size_t len;
    if (napi_get_buffer_info(env, v, &data, &len) != napi_ok) {
      Napi::TypeError::New(env, "exec: arguments must be Buffers").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    a->argv.emplace_back(static_cast<const char*>(data), len);
  }
  uint32_t caller = info[3].As<Napi::Number>().Uint32Value();

  uint32_t status;
  {
    ServerLockGuard lock;
    status = runCommand(a, *cmd, db, caller);
  }
  // The arena's size rides along (above the 4 status bits), so TS can size the Buffer it
  // copies the replies into without another call.
  return Napi::Number::New(env, static_cast<double>(status) + 16.0 * static_cast<double>(a->out.size()));
}

// execBatch(buf, desc: Int32Array, descPos, count, db, callerFlags) -> packed result.
// Runs up to `count` commands described in desc from descPos ([id, argc, start0, len0, ...],
// offsets into buf) under one acquisition of the server lock. It stops early after a
// command that would block or queued events, so TS handles those in order before the
// rest runs (a blocked client must not run its later commands; a woken client must be
// served before the next command of this pipeline). Returns status bits + 16 × commands
// run + 2^20 × the arena's size.
Napi::Value ExecBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  int db;
  if (!a || !dbIndexOrThrow(info, a, 4, db)) return env.Undefined();
  void* bufData;
  size_t bufLen;
  napi_typedarray_type type;
  size_t descLen;
  void* descData;
  napi_value ab;
  size_t byteOffset;
  if (napi_get_buffer_info(env, info[0], &bufData, &bufLen) != napi_ok ||
      napi_get_typedarray_info(env, info[1], &type, &descLen, &descData, &ab, &byteOffset) != napi_ok ||
      type != napi_int32_array) {
    Napi::TypeError::New(env, "execBatch: expected a Buffer and an Int32Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int32_t* desc = static_cast<const int32_t*>(descData);
  const char* base = static_cast<const char*>(bufData);
  size_t pos = info[2].As<Napi::Number>().Uint32Value();
  uint32_t count = info[3].As<Napi::Number>().Uint32Value();
  uint32_t caller = info[5].As<Napi::Number>().Uint32Value();
  const CommandRegistry& reg = store::commandRegistry();

  uint32_t status = 0;
  uint32_t ran = 0;
  {
    ServerLockGuard lock;
    while (ran < count && pos + 2 <= descLen) {
      const store::CommandInfo* cmd = reg.byId(desc[pos]);
      size_t argc = static_cast<size_t>(desc[pos + 1]);
      if (!cmd || !cmd->handler || pos + 2 + 2 * argc > descLen) break;
      a->argv.clear();
      for (size_t j = 0; j < argc; j++) {
        size_t start = static_cast<size_t>(desc[pos + 2 + 2 * j]);
        size_t len = static_cast<size_t>(desc[pos + 3 + 2 * j]);
        if (start + len > bufLen) len = start > bufLen ? 0 : bufLen - start;  // never read past buf
        a->argv.emplace_back(base + std::min(start, bufLen), len);
      }
      pos += 2 + 2 * argc;
      status = runCommand(a, *cmd, db, caller);
      ran++;
      if (status & (kExecWouldBlock | kExecEventsPending)) break;
    }
  }
  return Napi::Number::New(env, static_cast<double>(status) + 16.0 * ran + 1048576.0 * static_cast<double>(a->out.size()));
}

// takeRetryArgv() -> Buffer[]: the argv a blocked command is to be re-run with.
Napi::Value TakeRetryArgv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  Napi::Array arr = Napi::Array::New(env, a->retryArgv.size());
  for (size_t i = 0; i < a->retryArgv.size(); i++)
    arr.Set(i, Napi::Buffer<char>::Copy(env, a->retryArgv[i].data(), a->retryArgv[i].size()));
  a->retryArgv.clear();
  return arr;
}

// takeOutput() -> Buffer with every reply written since the last call.
Napi::Value TakeOutput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  std::string& buf = a->out.buffer();
  Napi::Buffer<char> b = Napi::Buffer<char>::Copy(env, buf.data(), buf.size());
  buf.clear();
  return b;
}

// copyOutput(dst: Buffer) -> bytes copied. Moves the arena into a Buffer TS allocated
// (from Node's pool, far cheaper than a new external Buffer per batch); the arena must
// fit, which TS ensures by sizing dst from exec()'s return value.
Napi::Value CopyOutput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  void* data;
  size_t cap;
  if (napi_get_buffer_info(env, info[0], &data, &cap) != napi_ok) {
    Napi::TypeError::New(env, "copyOutput: expected a Buffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string& buf = a->out.buffer();
  size_t n = std::min(cap, buf.size());
  std::memcpy(data, buf.data(), n);
  buf.erase(0, n);
  return Napi::Number::New(env, static_cast<double>(n));
}

Napi::Value OutputSize(const Napi::CallbackInfo& info) {
  Addon* a = readyOrThrow(info);
  if (!a) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), static_cast<double>(a->out.size()));
}

// drainEvents() -> { pubsub: [channel, message, ...] (Buffers), ready: [db, key, ...] }
Napi::Value DrainEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  store::EventQueue q;
  {
    ServerLockGuard lock;
    std::swap(q, a->store->events());
  }
  // Callers drain after every command that may have queued something; mostly nothing was.
  if (q.empty()) {
    if (a->noEvents.IsEmpty()) {
      Napi::Object none = Napi::Object::New(env);
      none.Set("pubsub", Napi::Array::New(env));
      none.Set("ready", Napi::Array::New(env));
      none.Freeze();
      a->noEvents = Napi::Persistent(none);
    }
    return a->noEvents.Value();
  }
  Napi::Array pubsub = Napi::Array::New(env, q.pubsub.size() * 2);
  for (size_t i = 0; i < q.pubsub.size(); i++) {
    pubsub.Set(2 * i, Napi::Buffer<char>::Copy(env, q.pubsub[i].channel.data(), q.pubsub[i].channel.size()));
    pubsub.Set(2 * i + 1, Napi::Buffer<char>::Copy(env, q.pubsub[i].message.data(), q.pubsub[i].message.size()));
  }
  Napi::Array ready = Napi::Array::New(env, q.readyKeys.size() * 2);
  for (size_t i = 0; i < q.readyKeys.size(); i++) {
    ready.Set(2 * i, q.readyKeys[i].db);
    ready.Set(2 * i + 1, Napi::Buffer<char>::Copy(env, q.readyKeys[i].key.data(), q.readyKeys[i].key.size()));
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("pubsub", pubsub);
  r.Set("ready", ready);
  return r;
}

// cron(expireBudgetMicros) -> keys expired; the periodic work of Redis's serverCron.
Napi::Value Cron(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  int64_t budget = info[0].As<Napi::Number>().Int64Value();
  size_t expired;
  {
    ServerLockGuard lock;
    expired = a->store->activeExpireCycle(store::nowMs(), budget);
    a->store->afterCommand();
    a->store->rehashCron();
  }
  return Napi::Number::New(env, static_cast<double>(expired));
}

// keyspaceInfo() -> [[db, keys, expires], ...] for non-empty databases (INFO keyspace).
Napi::Value KeyspaceInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  Napi::Array arr = Napi::Array::New(env);
  ServerLockGuard lock;
  for (int i = 0; i < a->store->dbCount(); i++) {
    store::Db& db = a->store->db(i);
    if (db.keys.empty()) continue;
    Napi::Array row = Napi::Array::New(env, 3);
    row.Set(0u, i);
    row.Set(1u, static_cast<double>(db.keys.size()));
    row.Set(2u, static_cast<double>(db.expires.size()));
    arr.Set(arr.Length(), row);
  }
  return arr;
}

// stats() -> counters for INFO (stats).
Napi::Value Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  Napi::Object r = Napi::Object::New(env);
  ServerLockGuard lock;
  const store::StoreStats& s = a->store->stats();
  r.Set("keyspaceHits", static_cast<double>(s.keyspaceHits));
  r.Set("keyspaceMisses", static_cast<double>(s.keyspaceMisses));
  r.Set("expiredKeys", static_cast<double>(s.expiredKeys));
  r.Set("commandsProcessed", static_cast<double>(s.commandsProcessed));
  r.Set("dirty", static_cast<double>(a->store->dirty()));
  return r;
}

// heapUsed() -> bytes malloc has handed out (the keyspace, Python, Node's buffers). Apart
// from stats() because mallinfo2() walks malloc's arenas: with a large keyspace it costs
// far more than the counters, so only INFO memory and the slow peak sampler ask for it.
Napi::Value HeapUsed(const Napi::CallbackInfo& info) {
  struct mallinfo2 mi = mallinfo2();
  return Napi::Number::New(info.Env(), static_cast<double>(mi.uordblks + mi.hblkhd));
}

// blockKeys(db, keys: Buffer[]) / unblockKeys(db, keys: Buffer[]): one more / one fewer
// blocked client on each key (Db::blocked), so signalKeyAsReady() knows what to report.
Napi::Value ChangeBlockedKeys(const Napi::CallbackInfo& info, bool block) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  int db;
  if (!a || !dbIndexOrThrow(info, a, 0, db)) return env.Undefined();
  Napi::Array keys = info[1].As<Napi::Array>();
  ServerLockGuard lock;
  store::Db& d = a->store->db(db);
  for (uint32_t i = 0; i < keys.Length(); i++) {
    Napi::Buffer<char> k = keys.Get(i).As<Napi::Buffer<char>>();
    std::string key(k.Data(), k.Length());
    if (block) {
      d.blocked[key]++;
    } else if (auto it = d.blocked.find(key); it != d.blocked.end() && --it->second == 0) {
      d.blocked.erase(it);
    }
  }
  return env.Undefined();
}

Napi::Value BlockKeys(const Napi::CallbackInfo& info) { return ChangeBlockedKeys(info, true); }
Napi::Value UnblockKeys(const Napi::CallbackInfo& info) { return ChangeBlockedKeys(info, false); }

// keyType(db, key: Buffer) -> "list" | "zset" | ... | null: what a ready key holds now,
// with no side effects (an expired key reads as missing but is left to expiry).
Napi::Value KeyType(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  int db;
  if (!a || !dbIndexOrThrow(info, a, 0, db)) return env.Undefined();
  Napi::Buffer<char> k = info[1].As<Napi::Buffer<char>>();
  ServerLockGuard lock;
  store::Db& d = a->store->db(db);
  store::KeyEntry* e = a->store->peek(d, std::string_view(k.Data(), k.Length()));
  if (!e || a->store->isExpired(d, e, store::nowMs())) return env.Null();
  return Napi::String::New(env, store::valueTypeName(e->type));
}

Napi::Value SetNotifyFlags(const Napi::CallbackInfo& info) {
  Addon* a = readyOrThrow(info);
  if (!a) return info.Env().Undefined();
  ServerLockGuard lock;
  a->store->setNotifyFlags(info[0].As<Napi::Number>().Uint32Value());
  return info.Env().Undefined();
}

// setTuning(name, value) -> false when native has no such option.
Napi::Value SetTuning(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>();
  int64_t value = info[1].As<Napi::Number>().Int64Value();
  ServerLockGuard lock;
  return Napi::Boolean::New(info.Env(), store::setTuning(name, value));
}

// --- transactions -------------------------------------------------------------------------

// watch(clientId, db, keys: Buffer[])
Napi::Value Watch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  int db;
  if (!a || !dbIndexOrThrow(info, a, 1, db)) return env.Undefined();
  uint64_t client = info[0].As<Napi::Number>().Int64Value();
  Napi::Array keys = info[2].As<Napi::Array>();
  ServerLockGuard lock;
  int64_t now = store::nowMs();
  for (uint32_t i = 0; i < keys.Length(); i++) {
    Napi::Buffer<char> k = keys.Get(i).As<Napi::Buffer<char>>();
    a->store->watches().watch(*a->store, a->store->db(db), client, std::string_view(k.Data(), k.Length()), now);
  }
  return env.Undefined();
}

// unwatch(clientId): forget its keys and its dirty flag.
Napi::Value Unwatch(const Napi::CallbackInfo& info) {
  Addon* a = readyOrThrow(info);
  if (!a) return info.Env().Undefined();
  ServerLockGuard lock;
  a->store->watches().unwatchAll(*a->store, info[0].As<Napi::Number>().Int64Value());
  return info.Env().Undefined();
}

// watchFailed(clientId) -> true when EXEC must answer nil (a watched key changed or expired).
Napi::Value WatchFailed(const Napi::CallbackInfo& info) {
  Addon* a = readyOrThrow(info);
  if (!a) return info.Env().Undefined();
  uint64_t client = info[0].As<Napi::Number>().Int64Value();
  ServerLockGuard lock;
  store::WatchTable& w = a->store->watches();
  return Napi::Boolean::New(info.Env(), w.isDirty(client) || w.watchedKeyExpired(*a->store, client, store::nowMs()));
}

// lockServer() / unlockServer(): hold the server lock across several exec() calls (EXEC).
// The lock is re-entrant per thread, so the exec() calls inside take it again cheaply.
Napi::Value LockServer(const Napi::CallbackInfo& info) {
  store::serverLock().lock();
  return info.Env().Undefined();
}

Napi::Value UnlockServer(const Napi::CallbackInfo& info) {
  store::serverLock().unlock();
  return info.Env().Undefined();
}

// globMatch(pattern, subject[, nocase]) with Redis's rules (pub/sub patterns; CONFIG GET and
// COMMAND LIST patterns, which ignore case).
Napi::Value GlobMatch(const Napi::CallbackInfo& info) {
  Napi::Buffer<char> p = info[0].As<Napi::Buffer<char>>();
  Napi::Buffer<char> s = info[1].As<Napi::Buffer<char>>();
  bool nocase = info.Length() > 2 && info[2].ToBoolean();
  return Napi::Boolean::New(info.Env(), store::globMatch({p.Data(), p.Length()}, {s.Data(), s.Length()}, nocase));
}

Napi::Object Initialize(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new Addon());  // deleted by Node at environment teardown
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("bindCommand", Napi::Function::New(env, BindCommand));
  exports.Set("unboundHandlers", Napi::Function::New(env, UnboundHandlers));
  exports.Set("exec", Napi::Function::New(env, Exec));
  exports.Set("takeOutput", Napi::Function::New(env, TakeOutput));
  exports.Set("copyOutput", Napi::Function::New(env, CopyOutput));
  exports.Set("execBatch", Napi::Function::New(env, ExecBatch));
  exports.Set("takeRetryArgv", Napi::Function::New(env, TakeRetryArgv));
  exports.Set("outputSize", Napi::Function::New(env, OutputSize));
  exports.Set("drainEvents", Napi::Function::New(env, DrainEvents));
  exports.Set("cron", Napi::Function::New(env, Cron));
  exports.Set("keyspaceInfo", Napi::Function::New(env, KeyspaceInfo));
  exports.Set("stats", Napi::Function::New(env, Stats));
  exports.Set("heapUsed", Napi::Function::New(env, HeapUsed));
  exports.Set("setNotifyFlags", Napi::Function::New(env, SetNotifyFlags));
  exports.Set("setTuning", Napi::Function::New(env, SetTuning));
  exports.Set("blockKeys", Napi::Function::New(env, BlockKeys));
  exports.Set("unblockKeys", Napi::Function::New(env, UnblockKeys));
  exports.Set("keyType", Napi::Function::New(env, KeyType));
  registerGearsEntries(env, exports);
  exports.Set("watch", Napi::Function::New(env, Watch));
  exports.Set("unwatch", Napi::Function::New(env, Unwatch));
  exports.Set("watchFailed", Napi::Function::New(env, WatchFailed));
  exports.Set("lockServer", Napi::Function::New(env, LockServer));
  exports.Set("unlockServer", Napi::Function::New(env, UnlockServer));
  exports.Set("globMatch", Napi::Function::New(env, GlobMatch));
  return exports;
}

}  // namespace
}  // namespace gearsd::addon

static Napi::Object InitGearsd(Napi::Env env, Napi::Object exports) { return gearsd::addon::Initialize(env, exports); }
NODE_API_MODULE(gearsd_native, InitGearsd)
