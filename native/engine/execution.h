// An execution: one run of a plan, from creation to its final report.
//
// Life: created (by run() in a script, in a step, or by a registration) → queued on the pool →
// running on one execution thread → done or aborted. Its status, abort flag and step timings are
// read from other threads (RG.GETEXECUTION, RG.ABORTEXECUTION on the main thread), so they are
// atomics; everything else belongs to the thread running it.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/host.h"
#include "engine/plan.h"
#include "engine/session.h"

namespace gearsd::engine {

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

class Execution {
 public:
  Execution(uint64_t seq, std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session, int db)
      : seq_(seq), plan_(std::move(plan)), session_(std::move(session)), db_(db), stepNs_(plan_->steps().size()) {}

  uint64_t seq() const { return seq_; }
  const Plan& plan() const { return *plan_; }
  const std::shared_ptr<Session>& session() const { return session_; }
  int db() const { return db_; }

  bool registered = false;    // started by a registration
  bool dropOnFinish = false;  // TS forgets it once finished (run() from a step)

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

  // ---- timings (ms in reports; ns while counting) ----------------------------------------
  void addStepNs(size_t step, int64_t ns) { stepNs_[step].fetch_add(ns, std::memory_order_relaxed); }
  void addReadNs(int64_t ns) { readNs_.fetch_add(ns, std::memory_order_relaxed); }
  void markStarted();
  void markFinished();

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
};

int64_t monotonicNs();

}  // namespace gearsd::engine
