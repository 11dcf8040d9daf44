#include "store/server_lock.h"

namespace gearsd::store {

thread_local int ServerLock::depth_ = 0;

ServerLock& serverLock() {
  static ServerLock lock;
  return lock;
}

}  // namespace gearsd::store
