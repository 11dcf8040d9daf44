// Readers: where an execution's records come from (GEARS_API.md §5).
//
// A reader runs on the execution thread without the GIL and without the server lock, and takes
// each for as long as it needs it: the keyspace readers hold the server lock for one batch of
// keys (a few hundred), copy them out, let go, and only then take the GIL to turn the batch into
// records and push them through the steps. So a job over a million keys never holds up the
// clients for more than one batch at a time.
//
// A reader pauses when the step loop is blocked (an async step's queue is full) and carries on
// from where it was when called again, possibly on another thread.
#pragma once
#include <memory>
#include <string>

#include "engine/execution.h"
#include "engine/step_loop.h"
#include "store/keyspace.h"

namespace gearsd::python {
class KeyBatch;
}
namespace gearsd::store {
class StreamEntry;
}

namespace gearsd::engine {

class Reader {
 public:
  virtual ~Reader() = default;
  // Feeds records to the runner until the input ends or runner.readerDone() (true: the
  // reader is finished), or until runner.blocked() (false: call again later). Called without
  // the GIL (unless runsWithGil()) or the server lock held. Destroyed with the GIL held.
  virtual bool run(StepRunner& runner) = 0;
  // Called once before the first run(), without the GIL or the server lock held: a reader
  // that reads all it needs under the server lock up front does so here...
  virtual void prepare() {}
  // ...and then says so: its run() is called with the GIL held, which saves the execution
  // thread giving the GIL up and taking it back.
  virtual bool runsWithGil() const { return false; }
};

std::unique_ptr<Reader> makeReader(Execution& ex, store::Store& store);

// One stream entry as both StreamReaders copy it: its id, then its fields and values as a
// hash item list (stream_reader.cc). Server lock held.
void addStreamEntry(python::KeyBatch& batch, const store::StreamEntry& e);

// A KeysReader registration's run: the one key an event touched, read now, and its record's
// 'event' set to the event's name (keys_reader.cc).
std::unique_ptr<Reader> makeKeyEventReader(Execution& ex, store::Store& store, const std::string& key,
                                           const std::string& event, bool readValue);
// An execution between its turns on the pool: its reader and step loop (GIL held to destroy).
struct ExecutionRun {
  std::unique_ptr<StepRunner> runner;
  std::unique_ptr<Reader> reader;
  bool readerFinished = false;
};

// How many keys a keyspace reader copies per hold of the server lock, and how many table
// entries it may look at per hold (so a pattern that matches little does not hold the lock
// for a whole scan).
inline constexpr size_t kKeysPerBatch = 512;
inline constexpr size_t kVisitsPerBatch = 4096;

}  // namespace gearsd::engine
