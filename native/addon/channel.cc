#include "addon/channel.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "engine/engine.h"

namespace gearsd::addon {

// An engine event as the JS object TS reads (src/native.ts EngineEvent).
Napi::Object Channel::eventToJs(Napi::Env env, const engine::Event& e) const {
  Napi::Object o = Napi::Object::New(env);
  switch (e.kind) {
    case engine::Event::Kind::ExecutionCreated:
      o.Set("t", "created");
      o.Set("seq", static_cast<double>(e.id));
      o.Set("registered", e.registered);
      o.Set("drop", e.dropOnFinish);
      break;
    case engine::Event::Kind::ExecutionDone:  // doneToJs
      break;
    case engine::Event::Kind::Log:
      o.Set("t", "log");
      o.Set("level", e.level);
      o.Set("text", Napi::String::New(env, e.text));
      break;
    case engine::Event::Kind::StoreEvents:
      o.Set("t", "events");
      break;
    case engine::Event::Kind::CommandDone:
      o.Set("t", "cmddone");
      o.Set("id", static_cast<double>(e.id));
      o.Set("reply", Napi::Buffer<char>::Copy(env, e.text.data(), e.text.size()));
      break;
    case engine::Event::Kind::TsCommand: {
      o.Set("t", "cmd");
      o.Set("id", static_cast<double>(e.id));
      o.Set("db", e.db);
      Napi::Array argv = Napi::Array::New(env, e.argv.size());
      for (size_t i = 0; i < e.argv.size(); i++)
        argv.Set(i, Napi::Buffer<char>::Copy(env, e.argv[i].data(), e.argv[i].size()));
      o.Set("argv", argv);
      break;
    }
  }
  return o;
}

// Only that it finished: the report stays in the engine (Engine::finished) for the few
// executions someone asks about, which saves building an object for each.
Napi::Object Channel::doneToJs(Napi::Env env, const engine::Event& e, const Names& n) const {
  Napi::Object o = Napi::Object::New(env);
  o.Set(n.v[kT], n.v[kDone]);
  o.Set(n.v[kSeq], Napi::Number::New(env, static_cast<double>(e.id)));
  bool aborted = e.report->status[0] == 'a';
  o.Set(n.v[kStatus], n.v[aborted ? kAborted : kDone]);
  if (e.withReply) {
    const std::string& reply = e.report->reply;
    o.Set(n.v[kReply], Napi::Buffer<char>::Copy(env, reply.data(), reply.size()));
  }
  return o;
}

Napi::Object reportToJs(Napi::Env env, const engine::ExecutionReport& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("seq", static_cast<double>(r.seq));
  o.Set("status", r.status);
  o.Set("finished", r.finished);
  o.Set("registered", r.registered);
  o.Set("results", static_cast<double>(r.results));
  o.Set("totalMs", static_cast<double>(r.totalMs));
  o.Set("readMs", static_cast<double>(r.readMs));
  Napi::Array errors = Napi::Array::New(env, r.errors.size());
  for (size_t i = 0; i < r.errors.size(); i++) errors.Set(i, Napi::String::New(env, r.errors[i]));
  o.Set("errors", errors);
  Napi::Array steps = Napi::Array::New(env, r.steps.size());
  for (size_t i = 0; i < r.steps.size(); i++) {
    const engine::StepReport& s = r.steps[i];
    Napi::Array row = Napi::Array::New(env, 4);
    row.Set(0u, s.type);
    row.Set(1u, s.name);
    row.Set(2u, Napi::String::New(env, s.arg.data(), s.arg.size()));
    row.Set(3u, static_cast<double>(s.durationMs));
    steps.Set(i, row);
  }
  o.Set("steps", steps);
  return o;
}

Channel::Names Channel::names() const {
  Napi::Object arr = names_.Value();
  Names n;
  for (uint32_t i = 0; i < kNames; i++) n.v[i] = arr.Get(i);
  return n;
}

Napi::Object Channel::finishedToJs(Napi::Env env, const Finished& f) const {
  Names n = names();
  Napi::Float64Array items = Napi::Float64Array::New(env, f.items.size());
  Napi::Float64Array evicted = Napi::Float64Array::New(env, f.evicted.size());
  std::copy(f.items.begin(), f.items.end(), items.Data());
  std::copy(f.evicted.begin(), f.evicted.end(), evicted.Data());
  Napi::Object o = Napi::Object::New(env);
  o.Set(n.v[kT], n.v[kRegDone]);
  o.Set(n.v[kItems], items);
  o.Set(n.v[kEvicted], evicted);
  return o;
}

Napi::Array Channel::toJs(Napi::Env env, const Batch& batch) const {
  Napi::Array arr = Napi::Array::New(env);
  uint32_t n = 0;
  if (!batch.finished.empty()) arr.Set(n++, finishedToJs(env, batch.finished));
  std::optional<Names> names;  // fetched for the first finished event
  for (const engine::Event& e : batch.events) {
    if (e.kind != engine::Event::Kind::ExecutionDone) {
      arr.Set(n++, eventToJs(env, e));
      continue;
    }
    if (!names) names = this->names();
    arr.Set(n++, doneToJs(env, e, *names));
  }
  return arr;
}

Channel* Channel::open(Napi::Env env, Napi::Function onEvents, Napi::Function runCommand) {
  Channel* ch = new Channel();
  ch->env_ = env;
  ch->mainThread_ = std::this_thread::get_id();
  ch->onEvents_ = Napi::Persistent(onEvents);
  ch->runCommand_ = Napi::Persistent(runCommand);
  static const char* const kNameText[kNames] = {"t", "seq", "status", "reply", "done", "aborted", "regdone", "items", "evicted"};
  Napi::Array names = Napi::Array::New(env, kNames);
  for (uint32_t i = 0; i < kNames; i++) names.Set(i, Napi::String::New(env, kNameText[i]));
  ch->names_ = Napi::Persistent(names.As<Napi::Object>());
  napi_value name = Napi::String::New(env, "gearsd-native-events");
  if (napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, ch, deliver, &ch->tsfn_) !=
      napi_ok)
    return nullptr;
  // The channel must not keep the process alive on its own.
  napi_unref_threadsafe_function(env, ch->tsfn_);
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop) return nullptr;
  uv_check_init(loop, &ch->turnEnd_);
  ch->turnEnd_.data = ch;
  uv_check_start(&ch->turnEnd_, [](uv_check_t* h) {
    engine::Engine::get().endOfTurn();
    uv_idle_stop(&static_cast<Channel*>(h->data)->dontSleep_);
  });
  uv_unref(reinterpret_cast<uv_handle_t*>(&ch->turnEnd_));
  uv_idle_init(loop, &ch->dontSleep_);
  uv_unref(reinterpret_cast<uv_handle_t*>(&ch->dontSleep_));
  return ch;
}

void Channel::wantTurnEnd() {
  uv_idle_start(&dontSleep_, [](uv_idle_t*) {});
}

void Channel::post(engine::Event&& e) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (e.kind == engine::Event::Kind::StoreEvents) {
      if (storeEventsQueued_) return;
      storeEventsQueued_ = true;
    }
    queue_.push_back(std::move(e));
    if (onMainThread()) mainPosted_.store(true, std::memory_order_relaxed);
    if (!wakeScheduled_) wake = wakeScheduled_ = true;
  }
  if (wake) napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
}

void Channel::postFinished(uint64_t seq, uint64_t registration, bool aborted, const std::vector<uint64_t>& evicted) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    finished_.items.insert(finished_.items.end(), {static_cast<double>(seq), static_cast<double>(registration), aborted ? 1.0 : 0.0});
    for (uint64_t s : evicted) finished_.evicted.push_back(static_cast<double>(s));
    if (finished_.items.size() >= 3 * kFinishedWakeAt && !wakeScheduled_) wake = wakeScheduled_ = true;
  }
  if (wake) napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
}

Channel::Batch Channel::take() {
  Batch batch;
  std::lock_guard<std::mutex> lk(mu_);
  batch.events.swap(queue_);
  batch.finished = std::exchange(finished_, Finished{});
  storeEventsQueued_ = false;
  mainPosted_.store(false, std::memory_order_relaxed);
  return batch;
}

Channel::Finished Channel::takeFinished() {
  std::lock_guard<std::mutex> lk(mu_);
  return std::exchange(finished_, Finished{});
}

void Channel::deliver(napi_env env, napi_value, void* context, void*) {
  if (!env) return;  // the environment is going away
  Channel* ch = static_cast<Channel*>(context);
  {
    std::lock_guard<std::mutex> lk(ch->mu_);
    ch->wakeScheduled_ = false;  // what is posted from now on wakes again
  }
  Batch batch = ch->take();
  if (batch.events.empty() && batch.finished.empty()) return;  // take() got there first
  Napi::Env e(env);
  Napi::HandleScope scope(e);
  ch->onEvents_.Call({ch->toJs(e, batch)});
}

bool Channel::callTsCommand(int db, const std::vector<std::string>& argv, std::string& reply) {
  Napi::Env env(env_);
  Napi::HandleScope scope(env);
  Napi::Array args = Napi::Array::New(env, argv.size());
  for (size_t i = 0; i < argv.size(); i++) args.Set(i, Napi::Buffer<char>::Copy(env, argv[i].data(), argv[i].size()));
  Napi::Value r = runCommand_.Call({Napi::Number::New(env, db), args});
  if (env.IsExceptionPending()) {
    env.GetAndClearPendingException();
    return false;
  }
  if (!r.IsBuffer()) return false;
  Napi::Buffer<char> b = r.As<Napi::Buffer<char>>();
  reply.assign(b.Data(), b.Length());
  return true;
}

}  // namespace gearsd::addon
