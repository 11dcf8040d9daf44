#include "store/lazyfree.h"

namespace gearsd::store {

LazyFree::~LazyFree() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LazyFree::submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  wake_.notify_one();
}

size_t LazyFree::pending() {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size() + running_;
}

void LazyFree::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return jobs_.empty() && running_ == 0; });
}

void LazyFree::run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stop_ with nothing left
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    running_++;
    lock.unlock();
    job();
    lock.lock();
    running_--;
    if (jobs_.empty() && running_ == 0) idle_.notify_all();
  }
}

}  // namespace gearsd::store
