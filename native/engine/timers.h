// One timer thread for the engine: StreamReader registrations wait `duration` ms for a batch
// to fill and `onFailedRetryInterval` seconds before a retry (GEARS_API.md §5.3). Jobs run on
// the timer thread, one at a time, holding neither the GIL nor the server lock on entry; they
// must be short (take the lock, start executions, let go).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace gearsd::engine {

class Timers {
 public:
  // Runs `job` about `ms` milliseconds from now. The thread starts with the first job.
  void after(int64_t ms, std::function<void()> job);

 private:
  void loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<int64_t, std::function<void()>> jobs_;  // by monotonic due time, ns
  bool started_ = false;
};

}  // namespace gearsd::engine
