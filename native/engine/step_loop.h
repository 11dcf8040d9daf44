// The step loop: records from a reader pushed through a plan's steps, calling the Python
// callables, with RedisGears' semantics (GEARS_API.md §4.2, §4.6, §6.3).
//
// RedisGears pulls records through its steps; this loop pushes them, depth first, which visits
// records and calls callbacks in the same order. What the pull model implies is kept:
//  - an exception turns the record into an error record that skips the later steps; once an
//    error has reached the end, the reader produces nothing more (records in flight finish);
//  - a list returned to flatmap comes out last element first (RedisGears pops its list record),
//    which is why sort(), descending inside, emits ascending;
//  - limit(n, start) stops everything upstream once a record past its window arrives;
//  - accumulate, accumulatebykey and group hold records until the input ends, then emit, in
//    step order, so a later accumulator sees everything an earlier one emits; accumulatebykey
//    emits in RedisGears' dict order (GearsDict) and group in reverse first-seen order.
//
// Async steps (§4.6). A callback of map, flatmap, filter, foreach, accumulate or accumulatebykey
// that returns a coroutine (or the gearsFuture() it made) holds its record: the record gets a
// slot at the back of the step's queue, and while the queue is not empty every later output of
// the step queues behind it, so records leave each step in the order they came. pump() moves
// settled heads on. A step takes no new input while its queue is full (1000 records for map,
// flatmap, filter and foreach, 1 for the accumulators), and then neither does anything
// upstream: blocked() tells the reader to pause. A flatmap list cut short by a full queue keeps
// its remaining elements for later. Nothing of this costs anything until the first slot exists.
//
// Every method is called with the GIL held, including the destructor.
#pragma once
#include <Python.h>

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "engine/async_slot.h"
#include "engine/execution.h"
#include "python/gears_dict.h"

namespace gearsd::engine {

class StepRunner {
 public:
  StepRunner(Execution& ex, bool profile);
  ~StepRunner();
  StepRunner(const StepRunner&) = delete;
  StepRunner& operator=(const StepRunner&) = delete;

  // A record from the reader (a new reference, which the runner takes). The reader checks
  // readerDone() and blocked() first.
  void feed(PyObject* record) { push(0, record, nullptr); }
  // The reader itself failed: an error record, and the reader stops.
  void readerError(std::string text);
  // The reader must stop: an error reached the end, a limit is satisfied, or an abort came.
  bool readerDone() const { return errorSeen_ || cutAt_ != kNone || ex_.abortRequested(); }
  // The reader must pause: a step cannot take another record until held ones move on.
  bool blocked() const { return async_ && !roomFrom(0); }

  // Moves settled records out of the step queues as far as they can go.
  void pump();
  // The input has ended: accumulating steps emit what they hold, each once everything before
  // it has gone through. True when all is done; false while records are held (call again once
  // the execution's waiting slots are settled).
  bool finish();
  // Drops whatever the steps still hold (the execution ends early: abort).
  void abandon();

  const std::vector<PyObject*>& results() const { return results_; }
  const std::vector<std::string>& errors() const { return errors_; }
  bool profiling() const { return profile_; }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  struct GroupEntry {
    PyObject* key;
    PyObject* list;
  };
  struct StepState {
    PyObject* acc = nullptr;  // Accumulate: null until the first record (the callback sees None)
    uint64_t index = 0;       // Limit: records seen
    std::unique_ptr<python::GearsDict<KeyedAccumulator>> byKey;
    std::unique_ptr<python::GearsDict<size_t>> groupIndex;
    std::vector<GroupEntry> groups;
    // async steps
    std::list<std::shared_ptr<AsyncSlot>> pending;  // a list: nothing allocated while empty, as it mostly is
    PyObject* expand = nullptr;   // FlatExpand: a list not fully emitted
    Py_ssize_t expandLeft = 0;    //   and how many of its elements are still to go (last first)
    // finish(): what an accumulatebykey or group step still has to emit
    std::vector<KeyedAccumulator> outKeyed;
    std::vector<GroupEntry> outGroups;
    size_t outPos = 0;
    bool flushing = false;
  };

  // What a step's callback gave: a value, a held record (a slot), or a failure (a Python
  // exception is set).
  enum class Outcome : uint8_t { Value, Held, Failed };

  void push(size_t i, PyObject* rec, PyObject* key);
  void accumulateByKey(size_t i, PyObject* rec, PyObject* key);
  void group(size_t i, PyObject* rec, PyObject* key);
  // An error in step i (the pending Python exception): it goes after whatever i still holds.
  void fail(size_t i);
  // An error record entering step i: it lands in the results' errors, or queues behind the
  // first step from i on that holds records.
  void emitError(size_t i, std::string text);
  // True when step i may no longer emit: a limit after it is satisfied.
  bool cutAfter(size_t i) const { return cutAt_ != kNone && i < cutAt_; }

  template <class... A>
  Outcome invoke(size_t i, PyObject*& out, std::shared_ptr<AsyncSlot>& slot, A... args);
  PyObject* rawCall(size_t i, PyObject* a);
  PyObject* rawCall(size_t i, PyObject* a, PyObject* b);
  PyObject* rawCall(size_t i, PyObject* a, PyObject* b, PyObject* c);

  // ---- async ----
  size_t capacity(size_t i) const;
  bool queued(size_t i) const { return async_ && !state_[i].pending.empty(); }
  // Whether steps i.. can take one more record.
  bool roomFrom(size_t i) const;
  // Whether steps 0..i hold anything.
  bool heldUpTo(size_t i) const;
  void hold(size_t i, std::shared_ptr<AsyncSlot> slot);
  void queueReady(size_t i, PyObject* value, PyObject* origin);
  void release(size_t i, AsyncSlot& slot);
  void expandFrom(size_t i);
  bool flushStep(size_t i);
  void dropHeld(size_t i);

  Execution& ex_;
  const std::vector<Step>& steps_;
  bool profile_;
  std::vector<StepState> state_;
  std::vector<PyObject*> results_;
  std::vector<std::string> errors_;
  bool errorSeen_ = false;
  size_t cutAt_ = kNone;
  bool async_ = false;     // some step has held a record: the queues are in use
  size_t flushAt_ = 0;     // finish(): the next step to flush
};

}  // namespace gearsd::engine
