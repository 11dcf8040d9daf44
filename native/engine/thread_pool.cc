#include "engine/thread_pool.h"

#include "python/gil.h"

namespace gearsd::engine {

ThreadPool::ThreadPool(int threads) {
  for (int i = 0; i < threads; i++) {
    threads_.emplace_back([this] { loop(); });
    threads_.back().detach();
  }
}

void ThreadPool::submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

bool ThreadPool::defer(std::function<void()> job) {
  deferred_.push_back(std::move(job));
  return deferred_.size() == 1;
}

void ThreadPool::kick() {
  if (deferred_.empty()) return;
  size_t n = deferred_.size();
  {
    std::lock_guard<std::mutex> lk(mu_);
    for (auto& job : deferred_) queue_.push_back(std::move(job));
  }
  deferred_.clear();
  if (n == 1) cv_.notify_one();
  else cv_.notify_all();
}

void ThreadPool::loop() {
  python::keepThreadState();
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return !queue_.empty(); });
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace gearsd::engine
