#include "engine/execution.h"

#include <chrono>

namespace gearsd::engine {

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
  abort_.store(true, std::memory_order_release);
  std::shared_ptr<TsRequest> r;
  {
    std::lock_guard<std::mutex> lk(requestMu_);
    r = pending_;
  }
  if (r) {
    std::lock_guard<std::mutex> lk(r->mu);
    r->cv.notify_all();
  }
}

void Execution::setPendingRequest(std::shared_ptr<TsRequest> r) {
  std::lock_guard<std::mutex> lk(requestMu_);
  pending_ = std::move(r);
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
  int64_t start = startNs_.load(std::memory_order_relaxed);
  int64_t end = endNs_.load(std::memory_order_relaxed);
  if (start) r->totalMs = ((end ? end : monotonicNs()) - start) / 1000000;
  r->readMs = readNs_.load(std::memory_order_relaxed) / 1000000;
  const std::vector<Step>& steps = plan_->steps();
  for (size_t i = steps.size(); i-- > 0;) {
    r->steps.push_back(
        {steps[i].type, steps[i].name, steps[i].arg, stepNs_[i].load(std::memory_order_relaxed) / 1000000});
  }
  return r;
}

}  // namespace gearsd::engine
