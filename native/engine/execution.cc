#include "engine/execution.h"

#include <chrono>

#include "engine/command_ctx.h"
#include "engine/readers.h"
#include "engine/registration.h"
#include "engine/trigger_input.h"
#include "python/gil.h"

namespace gearsd::engine {

Execution::Execution(uint64_t seq, std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session, int db)
    : seq_(seq), plan_(std::move(plan)), session_(std::move(session)), db_(db), stepNs_(plan_->steps().size()) {}

Execution::~Execution() {
  if (!run && !awaiter && !keptResult) return;
  python::GilHold gil;
  run.reset();
  Py_CLEAR(awaiter);
  Py_CLEAR(keptResult);
}

const char* statusName(ExecStatus s) {
  switch (s) {
    case ExecStatus::Created: return "created";
    case ExecStatus::Running: return "running";
    case ExecStatus::Done: return "done";
    case ExecStatus::Aborted: return "aborted";
  }
  return "created";
}

int64_t monotonicNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Execution::requestAbort() {
  std::shared_ptr<TsRequest> r;
  {
    std::lock_guard<std::mutex> lk(requestMu_);
    abort_.store(true, std::memory_order_release);
    r = pending_;
  }
  abortCv_.notify_all();
  if (r) {
    std::lock_guard<std::mutex> lk(r->mu);
    r->cv.notify_all();
  }
}

void Execution::setPendingRequest(std::shared_ptr<TsRequest> r) {
  std::lock_guard<std::mutex> lk(requestMu_);
  pending_ = std::move(r);
}

int64_t Execution::durationNs() const {
  int64_t start = startNs_.load(std::memory_order_relaxed);
  if (!start) return 0;
  int64_t end = endNs_.load(std::memory_order_relaxed);
  return (end ? end : monotonicNs()) - start;
}

bool Execution::sleepUnlessAborted(double seconds) {
  std::unique_lock<std::mutex> lk(requestMu_);
  auto aborted = [this] { return abort_.load(std::memory_order_acquire); };
  // Past about three years the deadline arithmetic could overflow: that is "for ever".
  if (seconds > 1e8) {
    abortCv_.wait(lk, aborted);
    return true;
  }
  return abortCv_.wait_for(lk, std::chrono::duration<double>(seconds), aborted);
}

void Execution::markStarted() { startNs_.store(monotonicNs(), std::memory_order_relaxed); }

void Execution::markFinished() { endNs_.store(monotonicNs(), std::memory_order_relaxed); }

std::shared_ptr<ExecutionReport> Execution::report() const {
  auto r = std::make_shared<ExecutionReport>();
  r->seq = seq_;
  ExecStatus s = status();
  r->status = statusName(s);
  r->finished = s == ExecStatus::Done || s == ExecStatus::Aborted;
  r->registered = registered;
  r->totalMs = durationNs() / 1000000;
  r->readMs = readNs_.load(std::memory_order_relaxed) / 1000000;
  const std::vector<Step>& steps = plan_->steps();
  r->plan = plan_;
  r->steps.reserve(steps.size());
  for (size_t i = steps.size(); i-- > 0;) {
    r->steps.push_back(
        {steps[i].type, steps[i].name, steps[i].arg, stepNs_[i].load(std::memory_order_relaxed) / 1000000});
  }
  return r;
}

}  // namespace gearsd::engine
