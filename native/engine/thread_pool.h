// The execution threads (ExecutionThreads, default 3): a fixed set of threads taking jobs from
// one FIFO queue. Created once and never destroyed: at process exit a thread may still be inside
// a job, and joining it then would hang the exit.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gearsd::engine {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(std::function<void()> job);
  size_t size() const { return threads_.size(); }

 private:
  void loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
};

}  // namespace gearsd::engine
