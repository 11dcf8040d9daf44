// The server lock: guards the keyspace (DESIGN.md "Threads and locks").
//
// Lock order: the server lock may be taken before the Python GIL, never after. A thread
// holding the GIL releases it before waiting here (python/gil.h has the guard that does
// this), and nobody waits for JS while holding this lock.
//
// The lock is re-entrant per thread (a depth counter), because a sync registration runs
// Python inline while the firing command holds the lock, and its execute() calls land
// here again on the same thread.
#pragma once
#include <mutex>

namespace gearsd::store {

class ServerLock {
 public:
  void lock() {
    if (depth_++ == 0) acquire();
  }
  // Takes it only if that needs no waiting (or this thread holds it already).
  bool tryLock() {
    if (depth_ > 0 || mutex_.try_lock()) {
      depth_++;
      return true;
    }
    return false;
  }
  void unlock() {
    if (--depth_ == 0) mutex_.unlock();
  }
  bool heldByThisThread() const { return depth_ > 0; }

 private:
  void acquire();
  static constexpr int kSpinRounds = 100;     // about 10-20 µs in all
  static constexpr int kPausesPerRound = 30;
  std::mutex mutex_;
  static thread_local int depth_;
};

ServerLock& serverLock();

// Scoped holder.
class ServerLockGuard {
 public:
  ServerLockGuard() { serverLock().lock(); }
  ~ServerLockGuard() { serverLock().unlock(); }
  ServerLockGuard(const ServerLockGuard&) = delete;
  ServerLockGuard& operator=(const ServerLockGuard&) = delete;
};

}  // namespace gearsd::store
