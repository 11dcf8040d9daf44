#include "addon/channel.h"

namespace gearsd::addon {
namespace {

Napi::Value eventToJs(Napi::Env env, const engine::Event& e) {
  Napi::Object o = Napi::Object::New(env);
  switch (e.kind) {
    case engine::Event::Kind::ExecutionCreated:
      o.Set("t", "created");
      o.Set("seq", static_cast<double>(e.id));
      o.Set("registered", e.registered);
      o.Set("drop", e.dropOnFinish);
      break;
    case engine::Event::Kind::ExecutionDone:
      o.Set("t", "done");
      o.Set("seq", static_cast<double>(e.id));
      o.Set("report", reportToJs(env, *e.report));
      break;
    case engine::Event::Kind::Log:
      o.Set("t", "log");
      o.Set("level", e.level);
      o.Set("text", Napi::String::New(env, e.text));
      break;
    case engine::Event::Kind::StoreEvents:
      o.Set("t", "events");
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

}  // namespace

Napi::Object reportToJs(Napi::Env env, const engine::ExecutionReport& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("seq", static_cast<double>(r.seq));
  o.Set("status", r.status);
  o.Set("finished", r.finished);
  o.Set("registered", r.registered);
  o.Set("results", static_cast<double>(r.results));
  o.Set("totalMs", static_cast<double>(r.totalMs));
  o.Set("readMs", static_cast<double>(r.readMs));
  if (r.finished) o.Set("reply", Napi::Buffer<char>::Copy(env, r.reply.data(), r.reply.size()));
  Napi::Array errors = Napi::Array::New(env, r.errors.size());
  for (size_t i = 0; i < r.errors.size(); i++) errors.Set(i, Napi::String::New(env, r.errors[i]));
  o.Set("errors", errors);
  Napi::Array steps = Napi::Array::New(env, r.steps.size());
  for (size_t i = 0; i < r.steps.size(); i++) {
    const engine::StepReport& s = r.steps[i];
    Napi::Array row = Napi::Array::New(env, 4);
    row.Set(0u, s.type);
    row.Set(1u, s.name);
    row.Set(2u, Napi::String::New(env, s.arg));
    row.Set(3u, static_cast<double>(s.durationMs));
    steps.Set(i, row);
  }
  o.Set("steps", steps);
  return o;
}

Channel* Channel::open(Napi::Env env, Napi::Function onEvents, Napi::Function runCommand) {
  Channel* ch = new Channel();
  ch->env_ = env;
  ch->mainThread_ = std::this_thread::get_id();
  ch->onEvents_ = Napi::Persistent(onEvents);
  ch->runCommand_ = Napi::Persistent(runCommand);
  napi_value name = Napi::String::New(env, "gearsd-native-events");
  if (napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, ch, deliver, &ch->tsfn_) !=
      napi_ok)
    return nullptr;
  // The channel must not keep the process alive on its own.
  napi_unref_threadsafe_function(env, ch->tsfn_);
  return ch;
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
    if (!wakeScheduled_) wake = wakeScheduled_ = true;
  }
  if (wake) napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
}

void Channel::deliver(napi_env env, napi_value, void* context, void*) {
  if (!env) return;  // the environment is going away
  Channel* ch = static_cast<Channel*>(context);
  std::vector<engine::Event> batch;
  {
    std::lock_guard<std::mutex> lk(ch->mu_);
    batch.swap(ch->queue_);
    ch->wakeScheduled_ = false;
    ch->storeEventsQueued_ = false;
  }
  Napi::Env e(env);
  Napi::HandleScope scope(e);
  Napi::Array arr = Napi::Array::New(e, batch.size());
  for (size_t i = 0; i < batch.size(); i++) arr.Set(i, eventToJs(e, batch[i]));
  ch->onEvents_.Call({arr});
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
