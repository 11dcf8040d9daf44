// The lazy-free thread: releases memory that would take too long to free while holding
// the server lock (FLUSHALL ASYNC, UNLINK of a large value), as Redis's lazyfree.c hands
// such work to a background thread.
//
// A job must only free memory that nothing else can reach any more: it runs without the
// server lock, concurrently with commands.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gearsd::store {

class LazyFree {
 public:
  LazyFree() = default;
  ~LazyFree();  // finishes the queued jobs, then stops the thread
  LazyFree(const LazyFree&) = delete;
  LazyFree& operator=(const LazyFree&) = delete;

  // Queues a job; the thread starts on first use.
  void submit(std::function<void()> job);
  // Jobs queued or running (INFO's lazyfree_pending_objects counts these).
  size_t pending();
  // Blocks until every job submitted so far has run.
  void drain();

 private:
  void run();

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  size_t running_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gearsd::store
