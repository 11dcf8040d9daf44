#include "engine/timers.h"

#include "engine/execution.h"

namespace gearsd::engine {

void Timers::after(int64_t ms, std::function<void()> job) {
  std::lock_guard<std::mutex> lk(mu_);
  jobs_.emplace(monotonicNs() + ms * 1000000, std::move(job));
  if (!started_) {
    started_ = true;
    // Like the pool, it lives as long as the process (the engine is never destroyed).
    std::thread([this] { loop(); }).detach();
  }
  cv_.notify_one();
}

void Timers::loop() {
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    if (jobs_.empty()) {
      cv_.wait(lk);
      continue;
    }
    int64_t now = monotonicNs();
    auto first = jobs_.begin();
    if (first->first > now) {
      cv_.wait_for(lk, std::chrono::nanoseconds(first->first - now));
      continue;
    }
    std::function<void()> job = std::move(first->second);
    jobs_.erase(first);
    lk.unlock();
    job();
    lk.lock();
  }
}

}  // namespace gearsd::engine
