#include "store/hashing.h"

#include <random>

namespace gearsd::store {

uint64_t gHashSeed = 0x2545f4914f6cdd1dULL;

void initHashSeed() {
  std::random_device rd;
  gHashSeed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace gearsd::store
