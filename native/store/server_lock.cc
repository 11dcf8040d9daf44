#include "store/server_lock.h"

namespace gearsd::store {

thread_local int ServerLock::depth_ = 0;

namespace {

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

void ServerLock::acquire() {
  // Holders keep it for a few µs (one command, or an execution's read or execute()). A
  // waiter that sleeps costs the holder a futex wake-up, a system call, when it lets go, and
  // itself the latency of being woken: under a registration's flood of executions that was
  // about 6% of the main thread's time. So wait a little awake first.
  for (int i = 0; i < kSpinRounds; i++) {
    if (mutex_.try_lock()) return;
    for (int j = 0; j < kPausesPerRound; j++) cpuRelax();
  }
  mutex_.lock();
}

ServerLock& serverLock() {
  static ServerLock lock;
  return lock;
}

}  // namespace gearsd::store
