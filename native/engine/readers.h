// Readers: where an execution's records come from (GEARS_API.md §5).
//
// A reader runs on the execution thread without the GIL and without the server lock, and takes
// each for as long as it needs it: the keyspace readers hold the server lock for one batch of
// keys (a few hundred), copy them out, let go, and only then take the GIL to turn the batch into
// records and push them through the steps. So a job over a million keys never holds up the
// clients for more than one batch at a time.
#pragma once
#include <memory>

#include "engine/execution.h"
#include "engine/step_loop.h"
#include "store/keyspace.h"

namespace gearsd::engine {

class Reader {
 public:
  virtual ~Reader() = default;
  // Feeds records to the runner until the input ends or runner.readerDone(). Called without
  // the GIL or the server lock held.
  virtual void run(StepRunner& runner) = 0;
};

std::unique_ptr<Reader> makeReader(Execution& ex, store::Store& store);

// How many keys a keyspace reader copies per hold of the server lock, and how many table
// entries it may look at per hold (so a pattern that matches little does not hold the lock
// for a whole scan).
inline constexpr size_t kKeysPerBatch = 512;
inline constexpr size_t kVisitsPerBatch = 4096;

}  // namespace gearsd::engine
