// An execution: one run of a plan, from creation to its final report.
//
// Life: created (by run() in a script, in a step, or by a registration) → queued on the pool →
// running on one execution thread → done or aborted. While an async step waits (§4.6) it may
// leave its thread ("parked") and be queued again once its held records are settled, so its
// run state lives here between turns. Its status, abort flag and step timings are read from
// other threads (RG.GETEXECUTION, RG.ABORTEXECUTION on the main thread), so they are atomics;
// the async fields are guarded by the GIL; everything else belongs to the thread running it.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Python.h>

#include "engine/host.h"
#include "engine/plan.h"
#include "engine/session.h"
#include "engine/trigger_input.h"

namespace gearsd::engine {

class Registration;
struct CommandCtx;

// How the final reply of an execution is encoded: RG.GETRESULTS' [[results], [errors]], or
// what RG.TRIGGER and a command hook answer (GEARS_API.md §3 RG.TRIGGER, §5.6).
enum class ReplyStyle : uint8_t { Results, Trigger, Hook };
struct ExecutionRun;  // engine.cc: the reader and the step loop between turns

enum class ExecStatus : uint8_t { Created, Running, Done, Aborted };
const char* statusName(ExecStatus s);

// A TS-owned command an execution thread asked the main thread to run.
struct TsRequest {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool ok = false;
  std::string reply;
};

class Execution : public std::enable_shared_from_this<Execution> {
 public:
  Execution(uint64_t seq, std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session, int db);
  ~Execution();

  uint64_t seq() const { return seq_; }
  const Plan& plan() const { return *plan_; }
  const std::shared_ptr<Session>& session() const { return session_; }
  int db() const { return db_; }

  bool registered = false;    // started by a registration
  bool dropOnFinish = false;  // TS forgets it once finished (run() from a step)
  // A blocking RG.PYEXECUTE's: its reply goes to TS with the finished event and the engine
  // keeps no report of it (TS forgets it at once).
  bool replyInEvent = false;
  // Started from MULTI, Lua or a caller that denies blocking (a sync registration's trigger):
  // its steps may not wait (isAsyncAllow() is False, and holding a record is an error).
  bool noAsync = false;

  // ---- async steps (GIL held) ----------------------------------------------------------
  int waitingSlots = 0;         // held records whose future is not settled yet
  bool parked = false;          // left its thread; queued again when waitingSlots drops to 0
  PyObject* awaiter = nullptr;  // run()'s awaitable, completed at the end if anyone holds it
  std::unique_ptr<ExecutionRun> run;  // the reader and step loop while it is running

  // ---- started by a registration (engine/registration.h) ---------------------------------
  std::shared_ptr<Registration> registration;
  // What its reader reads (the event's key, a stream batch, a command's argv) in place of the
  // plan's reader spec: plans are shared by every run of a registration.
  std::unique_ptr<TriggerInput> input;
  // commands=: the hooked command whose reply waits for this execution (override_reply).
  std::shared_ptr<CommandCtx> commandCtx;
  ReplyStyle replyStyle = ReplyStyle::Results;
  // A KeysReader or StreamReader registration's execution, which TS hears of only when it
  // finishes: one event per event-triggered execution instead of two (RG.DUMPEXECUTIONS lists
  // it from then on).
  bool listWhenDone = false;
  // A command hook's execution: the hooked command, which call_next() runs.
  std::string hookedCommand;
  // Run inline by someone who answers its client at once (a sync RG.TRIGGER or hook): the
  // final reply is kept here too.
  bool keepReply = false;
  std::string keptReply;
  // A hook run by call_next() from the hook above it: its one result (a new reference, taken
  // by the caller with the GIL held), or the error it ended with.
  bool keepResult = false;
  PyObject* keptResult = nullptr;
  std::string keptError;

  ExecStatus status() const { return status_.load(std::memory_order_acquire); }
  void setStatus(ExecStatus s) { status_.store(s, std::memory_order_release); }

  // ---- abort (RG.ABORTEXECUTION) -------------------------------------------------------
  bool abortRequested() const { return abort_.load(std::memory_order_acquire); }
  // Sets the flag and wakes a TS-command wait; the engine also injects gears.forcestopped
  // into the Python step that is running (see Engine::abort).
  void requestAbort();
  // The Python thread id running this execution's Python right now, or 0. Written by the
  // execution thread with the GIL held; read by the aborting thread with the GIL held.
  unsigned long pythonThread = 0;
  // Set while a TS-command request is outstanding, so an abort can end the wait.
  void setPendingRequest(std::shared_ptr<TsRequest> r);
  // Waits `seconds` (finite, >= 0; a huge value waits for ever) or until an abort comes,
  // whichever is first; true when aborted. Called without the GIL (time.sleep in a step, see
  // hooks.cc).
  bool sleepUnlessAborted(double seconds);

  // ---- timings (ms in reports; ns while counting) ----------------------------------------
  void addStepNs(size_t step, int64_t ns) { stepNs_[step].fetch_add(ns, std::memory_order_relaxed); }
  void addReadNs(int64_t ns) { readNs_.fetch_add(ns, std::memory_order_relaxed); }
  void markStarted();
  void markFinished();
  int64_t durationNs() const;  // start to finish (or to now), 0 before it started

  // Status, timings and steps now (the engine adds the reply and errors when it finishes).
  std::shared_ptr<ExecutionReport> report() const;

 private:
  uint64_t seq_;
  std::shared_ptr<const Plan> plan_;
  std::shared_ptr<Session> session_;
  int db_;
  std::atomic<ExecStatus> status_{ExecStatus::Created};
  std::atomic<bool> abort_{false};
  std::vector<std::atomic<int64_t>> stepNs_;
  std::atomic<int64_t> readNs_{0};
  std::atomic<int64_t> startNs_{0};
  std::atomic<int64_t> endNs_{0};
  std::mutex requestMu_;
  std::shared_ptr<TsRequest> pending_;
  std::condition_variable abortCv_;  // wakes sleepUnlessAborted (guarded by requestMu_)
};

int64_t monotonicNs();

}  // namespace gearsd::engine
