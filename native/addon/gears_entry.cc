// The Gears entry points of the addon (RG.PYEXECUTE and friends in src/commands/gears.ts).
// Each opens with the same guard as the rest of the door (door.h); TS validates and
// normalises arguments, native executes.
#include <napi.h>

#include <optional>
#include <string>

#include "addon/channel.h"
#include "addon/door.h"
#include "engine/engine.h"
#include "python/allocator.h"
#include "python/errors.h"

namespace gearsd::addon {
namespace {

using engine::Engine;

// gearsStart({ executionThreads, onEvents, runCommand })
Napi::Value GearsStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = readyOrThrow(info);
  if (!a) return env.Undefined();
  if (a->channel) return env.Undefined();
  Napi::Object opts = info[0].As<Napi::Object>();
  Channel* ch = Channel::open(env, opts.Get("onEvents").As<Napi::Function>(), opts.Get("runCommand").As<Napi::Function>());
  if (!ch) {
    Napi::Error::New(env, "gearsStart: cannot create the native event channel").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  a->channel = ch;
  Engine::get().start(*a->store, *ch, opts.Get("executionThreads").As<Napi::Number>().Int32Value());
  return env.Undefined();
}

std::optional<std::string> optionalString(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsString()) return std::nullopt;
  return v.As<Napi::String>().Utf8Value();
}

// pyExecute(script: Buffer, db, blocking, { id?, description?, upgrade, replaceWith }?) ->
//   seq (run() started it) | { kind: 'ok' } | { kind: 'error', error }
//   | { kind: 'registered', unregistered: seq[], alsoRan?: seq }
// The common case, a run, answers a bare number: no object to build for a small job.
Napi::Value PyExecute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = gearsReadyOrThrow(info);
  int db;
  if (!a || !dbIndexOrThrow(info, a, 1, db)) return env.Undefined();
  Napi::Buffer<char> script = info[0].As<Napi::Buffer<char>>();
  engine::ScriptOptions opts;
  opts.blocking = info[2].ToBoolean().Value();
  if (info.Length() > 3 && info[3].IsObject()) {
    Napi::Object o = info[3].As<Napi::Object>();
    opts.id = optionalString(o, "id");
    opts.description = optionalString(o, "description");
    opts.upgrade = o.Get("upgrade").ToBoolean().Value();
    opts.replaceWith = optionalString(o, "replaceWith");
  }
  engine::ScriptOutcome out = Engine::get().runScript(std::string_view(script.Data(), script.Length()), db, opts);
  if (out.kind == engine::ScriptOutcome::Kind::Run) return Napi::Number::New(env, static_cast<double>(out.seq));
  Napi::Object r = Napi::Object::New(env);
  switch (out.kind) {
    case engine::ScriptOutcome::Kind::Ok:
      r.Set("kind", "ok");
      break;
    case engine::ScriptOutcome::Kind::Error:
      r.Set("kind", "error");
      r.Set("error", Napi::String::New(env, out.error));
      break;
    case engine::ScriptOutcome::Kind::Run:
      break;
    case engine::ScriptOutcome::Kind::Registered: {
      r.Set("kind", "registered");
      Napi::Array removed = Napi::Array::New(env, out.unregistered.size());
      for (size_t i = 0; i < out.unregistered.size(); i++) removed.Set(i, static_cast<double>(out.unregistered[i]));
      r.Set("unregistered", removed);
      if (out.alsoRan) r.Set("alsoRan", static_cast<double>(*out.alsoRan));
      break;
    }
  }
  return r;
}

// abortExecution(seq) -> true when the execution was live and is now being aborted
Napi::Value AbortExecution(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  return Napi::Boolean::New(env, Engine::get().abort(info[0].As<Napi::Number>().Int64Value()));
}

// describeExecution(seq) -> report of a live execution or of a finished one TS still lists,
// or null
Napi::Value DescribeExecution(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  auto report = Engine::get().describe(info[0].As<Napi::Number>().Int64Value());
  if (!report) return env.Null();
  return reportToJs(env, *report);
}

// executionReply(seq) -> a finished execution's reply bytes while TS still lists it, or null
Napi::Value ExecutionReply(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  auto report = Engine::get().finished(info[0].As<Napi::Number>().Int64Value());
  if (!report) return env.Null();
  return Napi::Buffer<char>::Copy(env, report->reply.data(), report->reply.size());
}

// forgetExecution(seq): TS will not ask about this finished execution again
Napi::Value ForgetExecution(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  Engine::get().forget(info[0].As<Napi::Number>().Int64Value());
  return env.Undefined();
}

// executionStatus(seq) -> status of a live execution, or null
Napi::Value ExecutionStatus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  const char* s = Engine::get().status(info[0].As<Napi::Number>().Int64Value());
  return s ? Napi::Value(Napi::String::New(env, s)) : env.Null();
}

// listExecution(seq, listed): mirrors the registry's listing in RedisGears' dict order
Napi::Value ListExecution(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  uint64_t seq = info[0].As<Napi::Number>().Int64Value();
  if (info[1].As<Napi::Boolean>().Value()) Engine::get().listExecution(seq);
  else Engine::get().unlistExecution(seq);
  return env.Undefined();
}

// unlistExecutions(seqs: Float64Array): listExecution(seq, false) for each, in one call
Napi::Value UnlistExecutions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  Napi::Float64Array seqs = info[0].As<Napi::Float64Array>();
  for (size_t i = 0; i < seqs.ElementLength(); i++) Engine::get().unlistExecution(static_cast<uint64_t>(seqs[i]));
  return env.Undefined();
}

// listedExecutions() -> the listed sequence numbers in RedisGears' dict order
Napi::Value ListedExecutions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  std::vector<uint64_t> order = Engine::get().listedOrder();
  Napi::Array arr = Napi::Array::New(env, order.size());
  for (size_t i = 0; i < order.size(); i++) arr.Set(i, static_cast<double>(order[i]));
  return arr;
}

// consumeExecutionId() -> the id internal work uses up
Napi::Value ConsumeExecutionId(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  return Napi::Number::New(env, static_cast<double>(Engine::get().consumeExecutionId()));
}

// completeTsCommand(id, reply: Buffer | null)
Napi::Value CompleteTsCommand(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  uint64_t id = info[0].As<Napi::Number>().Int64Value();
  if (info[1].IsBuffer()) {
    Napi::Buffer<char> b = info[1].As<Napi::Buffer<char>>();
    Engine::get().completeTsCommand(id, true, std::string(b.Data(), b.Length()));
  } else {
    Engine::get().completeTsCommand(id, false, std::string());
  }
  return env.Undefined();
}

// gearsConfigure(name, value): the options native reads (ProfileExecutions,
// PythonAttemptTraceback) and the extra configuration dictionary (configGet()).
Napi::Value GearsConfigure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!gearsReadyOrThrow(info)) return env.Undefined();
  std::string name = info[0].As<Napi::String>();
  if (name == "ProfileExecutions") {
    Engine::get().setProfileExecutions(info[1].As<Napi::Number>().Int64Value() != 0);
  } else if (name == "PythonAttemptTraceback") {
    python::setAttemptTraceback(info[1].As<Napi::Number>().Int64Value() != 0);
  } else if (name == "MaxExecutionsPerRegistration") {
    Engine::get().setMaxExecutionsPerRegistration(info[1].As<Napi::Number>().Int64Value());
  } else if (name == "extra") {
    Engine::get().setExtraConfig(info[1].As<Napi::String>(), info[2].As<Napi::String>());
  } else {
    Napi::Error::New(env, "gearsConfigure: unknown option " + name).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

// pyStats() -> [total, peak, current] bytes Python allocated (RG.PYSTATS)
Napi::Value PyStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!readyOrThrow(info)) return env.Undefined();
  python::AllocStats st = python::allocStats();
  Napi::Array r = Napi::Array::New(env, 3);
  r.Set(0u, static_cast<double>(st.total));
  r.Set(1u, static_cast<double>(st.peak));
  r.Set(2u, static_cast<double>(st.current));
  return r;
}

// gearsTakeEvents() -> the engine's queued events now (main thread), in order; null for none
Napi::Value GearsTakeEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = gearsReadyOrThrow(info);
  if (!a) return env.Undefined();
  Channel::Batch batch = a->channel->take();
  if (batch.events.empty() && batch.finished.empty()) return env.Null();
  return a->channel->toJs(env, batch);
}

// gearsTakeFinished() -> the registrations' finished executions waiting for TS, as a 'regdone'
// event (main thread); null for none. TS takes them before it reads its registry.
Napi::Value GearsTakeFinished(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Addon* a = gearsReadyOrThrow(info);
  if (!a) return env.Undefined();
  Channel::Finished f = a->channel->takeFinished();
  if (f.empty()) return env.Null();
  return a->channel->finishedToJs(env, f);
}

}  // namespace

void registerGearsEntries(Napi::Env env, Napi::Object exports) {
  exports.Set("gearsTakeEvents", Napi::Function::New(env, GearsTakeEvents));
  exports.Set("gearsTakeFinished", Napi::Function::New(env, GearsTakeFinished));
  registerRegistrationEntries(env, exports);
  exports.Set("gearsStart", Napi::Function::New(env, GearsStart));
  exports.Set("pyExecute", Napi::Function::New(env, PyExecute));
  exports.Set("abortExecution", Napi::Function::New(env, AbortExecution));
  exports.Set("describeExecution", Napi::Function::New(env, DescribeExecution));
  exports.Set("executionStatus", Napi::Function::New(env, ExecutionStatus));
  exports.Set("executionReply", Napi::Function::New(env, ExecutionReply));
  exports.Set("forgetExecution", Napi::Function::New(env, ForgetExecution));
  exports.Set("listExecution", Napi::Function::New(env, ListExecution));
  exports.Set("unlistExecutions", Napi::Function::New(env, UnlistExecutions));
  exports.Set("listedExecutions", Napi::Function::New(env, ListedExecutions));
  exports.Set("consumeExecutionId", Napi::Function::New(env, ConsumeExecutionId));
  exports.Set("completeTsCommand", Napi::Function::New(env, CompleteTsCommand));
  exports.Set("pyStats", Napi::Function::New(env, PyStats));
  exports.Set("gearsConfigure", Napi::Function::New(env, GearsConfigure));
}

}  // namespace gearsd::addon
