// The one native → TS channel (DESIGN.md): a thread-safe function that carries the engine's
// events to TS in batches. post() queues an event and wakes the main thread only when the queue
// was empty, so a burst of events costs one wake-up; TS receives them in order as one array.
// Registrations' finished executions (postFinished) are packed apart and wake nobody: they go
// with the next batch, or wake TS once kFinishedWakeAt wait, and TS takes them (takeFinished)
// before it reads its registry. Under a flood of writes that is one wake-up per thousand
// executions instead of one per few.
// It also implements the engine's direct call into a TS command on the main thread.
//
// Created once by gearsStart() and never destroyed: execution threads may post until the
// process is gone (after the environment is torn down, posts are simply dropped).
#pragma once
#include <napi.h>
#include <uv.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/host.h"

namespace gearsd::addon {

class Channel final : public engine::Host {
 public:
  // onEvents(events[]) receives batches; runCommand(db, argv[]) runs a TS command and returns
  // its reply bytes (a Buffer) or null.
  static Channel* open(Napi::Env env, Napi::Function onEvents, Napi::Function runCommand);

  void post(engine::Event&& e) override;
  void postFinished(uint64_t seq, uint64_t registration, bool aborted, const std::vector<uint64_t>& evicted) override;
  // Whether the main thread posted events since the last take(): a sync registration ran
  // inside a command, and TS should hear of it before the command's reply goes out.
  bool mainThreadPosted() const { return mainPosted_.load(std::memory_order_relaxed); }
  // Registrations' finished executions, packed: (seq, registration, aborted) triples, and the
  // seqs the engine unlisted meanwhile.
  struct Finished {
    std::vector<double> items;
    std::vector<double> evicted;
    bool empty() const { return items.empty() && evicted.empty(); }
  };
  struct Batch {
    std::vector<engine::Event> events;
    Finished finished;
  };
  // Main thread: everything queued so far, in order (a later wake-up delivers what follows).
  Batch take();
  // Main thread: only the registrations' finished executions.
  Finished takeFinished();
  // A batch for TS; the finished executions first, as one 'regdone' (src/native.ts).
  Napi::Array toJs(Napi::Env env, const Batch& batch) const;
  // The 'regdone' event of a non-empty Finished.
  Napi::Object finishedToJs(Napi::Env env, const Finished& f) const;
  bool onMainThread() const override { return std::this_thread::get_id() == mainThread_; }
  void wantTurnEnd() override;
  bool callTsCommand(int db, const std::vector<std::string>& argv, std::string& reply) override;

 private:
  Channel() = default;
  static void deliver(napi_env env, napi_value, void* context, void*);
  // How many finished registration executions wait before they wake TS on their own.
  static constexpr size_t kFinishedWakeAt = 1024;
  // The names of a finished event, made once (kept in an array: N-API before version 10
  // refers to objects only): a name given as a C string is looked up in V8's string table on
  // every use, and one of these events goes to TS per finished execution.
  enum Name { kT, kSeq, kStatus, kReply, kDone, kAborted, kRegDone, kItems, kEvicted, kNames };
  struct Names {
    Napi::Value v[kNames];
  };
  Names names() const;
  Napi::Object eventToJs(Napi::Env env, const engine::Event& e) const;
  Napi::Object doneToJs(Napi::Env env, const engine::Event& e, const Names& names) const;
  Napi::ObjectReference names_;

  napi_env env_ = nullptr;
  // The end of every event-loop turn hands the pool what the turn's commands made
  // (Engine::endOfTurn); while there is something to hand over, an idle handle keeps the loop
  // from sleeping in its poll before the turn ends (a job made by a timer, say expiry).
  uv_check_t turnEnd_;
  uv_idle_t dontSleep_;
  napi_threadsafe_function tsfn_ = nullptr;
  Napi::FunctionReference onEvents_;
  Napi::FunctionReference runCommand_;
  std::thread::id mainThread_;

  std::mutex mu_;
  std::vector<engine::Event> queue_;
  Finished finished_;
  bool wakeScheduled_ = false;
  bool storeEventsQueued_ = false;  // one "drain the store" per batch is enough
  std::atomic<bool> mainPosted_{false};
};

// An execution report as the JS object TS reads (src/native.ts ExecutionReport), without the
// reply bytes (executionReply gives those).
Napi::Object reportToJs(Napi::Env env, const engine::ExecutionReport& r);

}  // namespace gearsd::addon
