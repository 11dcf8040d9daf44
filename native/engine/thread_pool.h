// The execution threads (ExecutionThreads, default 3): a fixed set of threads taking jobs from
// one FIFO queue. Created once and never destroyed: at process exit a thread may still be inside
// a job, and joining it then would hang the exit.
//
// Jobs the main thread makes while it serves clients (a registration's execution per write)
// can be held back until the end of its event-loop turn (defer, then kick): one wake-up of a
// thread for all the writes of a turn instead of one per write, which on a busy server saves
// both threads a system call and a context switch per event.
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
  // Main thread only: queues the job at the next kick(). True for the first since the last kick.
  bool defer(std::function<void()> job);
  // Main thread only: hands the deferred jobs to the threads.
  void kick();
  size_t size() const { return threads_.size(); }

 private:
  void loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::vector<std::function<void()>> deferred_;  // main thread only
};

}  // namespace gearsd::engine
