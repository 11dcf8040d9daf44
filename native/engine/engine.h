// The Gears engine: runs RG.PYEXECUTE scripts, their executions on the pool, and tells TS
// about them through the Host channel.
//
// Tour:
//  - runScript (main thread): compiles and runs a script in a fresh session; run() in it builds
//    a plan and an execution, which is queued once the script has succeeded;
//  - runExecution (an execution thread): the reader feeds the step loop; at the end the results
//    are encoded once into reply bytes and an ExecutionDone event carries them to TS. An
//    execution whose async steps wait leaves its thread and is queued again when they are
//    settled (async_steps.h);
//  - abort / describe: RG.ABORTEXECUTION and RG.GETEXECUTION of a live execution;
//  - the hooks behind the gears module (execute, atomic, log, configGet...) live in
//    command_bridge.cc and hooks.cc.
// One Engine per process (the interpreter is one per process too); it is created at start-up
// and never destroyed, because execution threads may still be running at exit.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/execution.h"
#include "engine/host.h"
#include "engine/thread_pool.h"
#include "engine/timers.h"
#include "python/gears_dict.h"
#include "store/keyspace.h"

namespace gearsd::engine {

class RegistrationTable;

// RG.PYEXECUTE's session options (GEARS_API.md §3, §8).
struct ScriptOptions {
  std::optional<std::string> id;           // ID; a random one otherwise
  std::optional<std::string> description;  // DESCRIPTION
  bool upgrade = false;                    // UPGRADE
  std::optional<std::string> replaceWith;  // REPLACE_WITH (implies UPGRADE)
  bool blocking = false;                   // not UNBLOCKING: run()'s reply goes to TS at its end
};

struct ScriptOutcome {
  enum class Kind { Ok, Error, Run, Registered } kind = Kind::Ok;
  std::string error;  // Kind::Error: the reply text (§2.2)
  uint64_t seq = 0;   // Kind::Run: the execution it started
  // Kind::Registered: the old session's registrations that were removed (TS forgets their
  // executions), and an execution run() also started, if any (listed, kept).
  std::vector<uint64_t> unregistered;
  std::optional<uint64_t> alsoRan;
};

class Engine {
 public:
  static Engine& get();

  // Starts the pool and installs the gears module's hooks. Main thread, GIL not held.
  void start(store::Store& store, Host& host, int executionThreads);
  bool started() const { return store_ != nullptr; }

  // RG.PYEXECUTE's script body, on the main thread (GIL not held on entry).
  ScriptOutcome runScript(std::string_view script, int db, const ScriptOptions& opts = {});

  // RG.ABORTEXECUTION: false when the execution is not live (finished or unknown).
  bool abort(uint64_t seq);
  // The executions of a registration made and not finished yet (queued, running or parked);
  // runs its queue has not made into executions yet are not among them (SerialQueue::dropUnmade).
  std::vector<uint64_t> liveOf(const Registration* r);
  // RG.GETEXECUTION: a live execution's report now, or a finished one's final report while TS
  // still lists it; nullptr otherwise.
  std::shared_ptr<const ExecutionReport> describe(uint64_t seq);
  // A finished execution's final report, kept here (not copied to TS) until TS forgets the
  // execution: TS hears only "seq finished" and asks for the reply bytes or the plan when a
  // client wants them. nullptr when not kept.
  std::shared_ptr<const ExecutionReport> finished(uint64_t seq);
  void forget(uint64_t seq);
  // RG.DUMPEXECUTIONS: the status of a live execution ("created" until a thread takes it);
  // nullptr when not live.
  const char* status(uint64_t seq);
  // The executions RG.DUMPEXECUTIONS lists, in RedisGears' own executions dict (keyed by its
  // binary ids), so that the listing comes out in its order: TS's registry lists what it
  // starts; a registration's finished executions are listed here (Registration::keepFinished)
  // and TS mirrors that. Unlisting also forgets the execution's final report.
  void listExecution(uint64_t seq);
  void unlistExecution(uint64_t seq);
  std::vector<uint64_t> listedOrder();
  // Internal work that RedisGears does with an execution of its own uses up an id.
  uint64_t consumeExecutionId() { return nextSeq_.fetch_add(1); }
  // Every GB(), every registration and every internal plan uses up a plan number; a
  // registration's id is its plan number (GEARS_API.md §1).
  uint64_t consumePlanId() { return nextPlanSeq_.fetch_add(1); }

  // The registrations (registrations.h): main thread, server lock held.
  RegistrationTable& registry() { return *registry_; }

  // TS's answer to a TsCommand event.
  void completeTsCommand(uint64_t id, bool ok, std::string reply);

  // Options pushed from TS (RG.CONFIGSET and start-up).
  void setProfileExecutions(bool on) { profile_.store(on, std::memory_order_relaxed); }
  // MaxExecutionsPerRegistration (≤ 0: unlimited).
  void setMaxExecutionsPerRegistration(int64_t n) { maxPerRegistration_.store(n, std::memory_order_relaxed); }
  void setExtraConfig(std::string key, std::string value);

  // ---- for the hooks -----------------------------------------------------------------------
  store::Store& store() { return *store_; }
  Host& host() { return *host_; }
  std::shared_ptr<Execution> createExecution(std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session,
                                             int db);
  void submit(const std::shared_ptr<Execution>& ex);
  // Any job for the pool (a registration's queue runs its executions through it).
  void post(std::function<void()> job);
  // The same, but made on the main thread while it serves clients, it waits for the end of
  // the event-loop turn (endOfTurn), with the others of that turn (thread_pool.h).
  void postSoon(std::function<void()> job);
  // Main thread, once per event-loop turn: hands the pool what postSoon held back.
  void endOfTurn();
  // Delayed jobs (StreamReader's duration and retry interval).
  Timers& timers() { return timers_; }
  // Runs an execution to its end on this thread (an execution thread's job).
  void runExecution(const std::shared_ptr<Execution>& ex);
  // Runs a sync registration's execution on the thread that fired it, which holds the
  // server lock (GEARS_API.md §6.1), whatever that thread was doing in Python.
  void runInline(const std::shared_ptr<Execution>& ex);
  // A parked execution whose held records are settled (or that is aborted) is queued again.
  // GIL held.
  void resume(const std::shared_ptr<Execution>& ex);
  // Runs a TS-owned command from an execution thread: posts it to the main thread and waits
  // (GIL and server lock not held). False when it could not run or the execution was aborted.
  bool callTsFromWorker(int db, std::vector<std::string> argv, Execution* ex, std::string& reply);
  // configGet(): the extra configuration dictionary only.
  bool extraConfig(std::string_view key, std::string& value);
  // After an execute() on an execution thread wrote: TS must drain the store's queue.
  void storeEventsPending();

 private:
  Engine();
  void finishExecution(const std::shared_ptr<Execution>& ex, std::string reply, std::vector<std::string> errors,
                       int64_t results);

  store::Store* store_ = nullptr;
  Host* host_ = nullptr;
  ThreadPool* pool_ = nullptr;
  std::atomic<int64_t> maxPerRegistration_{100};
  std::atomic<uint64_t> nextSeq_{0};
  std::atomic<uint64_t> nextPlanSeq_{0};
  std::unique_ptr<RegistrationTable> registry_;
  Timers timers_;
  std::atomic<bool> profile_{false};

  std::mutex liveMu_;
  std::unordered_map<uint64_t, std::shared_ptr<Execution>> live_;
  std::unordered_map<uint64_t, std::shared_ptr<const ExecutionReport>> finished_;  // see finished()

  std::mutex requestsMu_;
  uint64_t nextRequest_ = 1;
  std::unordered_map<uint64_t, std::shared_ptr<TsRequest>> requests_;

  std::mutex listedMu_;
  python::GearsDict<uint64_t> listed_;

  std::mutex configMu_;
  std::unordered_map<std::string, std::string> extraConfig_;

  // Compiled scripts by source (main thread only, GIL held): a small job sent again and again
  // is compiled once. Bounded by total source size; emptied when full.
  PyObject* compile(const std::string& source);
  std::unordered_map<std::string, PyObject*> codeCache_;
  size_t codeCacheBytes_ = 0;
};

// Installs the gears module's hooks (hooks.cc) and its registration half (register_api.cc).
void installHooks();
void installRegistrationHooks();
// call_next(*args) in a command hook's execution (command_registration.cc).
PyObject* callNextHook(PyObject* args);

}  // namespace gearsd::engine
