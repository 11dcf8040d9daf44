// The step loop: records from a reader pushed through a plan's steps, calling the Python
// callables, with RedisGears' semantics (GEARS_API.md §4.2, §6.3).
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
// Every method is called with the GIL held, including the destructor.
#pragma once
#include <Python.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/execution.h"
#include "python/gears_dict.h"

namespace gearsd::engine {

class StepRunner {
 public:
  StepRunner(Execution& ex, bool profile);
  ~StepRunner();
  StepRunner(const StepRunner&) = delete;
  StepRunner& operator=(const StepRunner&) = delete;

  // A record from the reader (a new reference, which the runner takes).
  void feed(PyObject* record) { push(0, record, nullptr); }
  // The reader itself failed: an error record, and the reader stops.
  void readerError(std::string text);
  // The input has ended: accumulating steps emit what they hold.
  void finish();
  // The reader must stop: an error reached the end, a limit is satisfied, or an abort came.
  bool readerDone() const { return errorSeen_ || cutAt_ != kNone || ex_.abortRequested(); }

  const std::vector<PyObject*>& results() const { return results_; }
  const std::vector<std::string>& errors() const { return errors_; }
  bool profiling() const { return profile_; }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  struct KeyedAccumulator {
    PyObject* key;  // str
    PyObject* acc;
  };
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
  };

  void push(size_t i, PyObject* rec, PyObject* key);
  void accumulateByKey(size_t i, PyObject* rec, PyObject* key);
  void group(size_t i, PyObject* rec, PyObject* key);
  void fail();
  // True when step i may no longer emit: a limit after it is satisfied.
  bool cutAfter(size_t i) const { return cutAt_ != kNone && i < cutAt_; }

  PyObject* call(size_t i, PyObject* fn, PyObject* a);
  PyObject* call(size_t i, PyObject* fn, PyObject* a, PyObject* b);
  PyObject* call(size_t i, PyObject* fn, PyObject* a, PyObject* b, PyObject* c);

  Execution& ex_;
  const std::vector<Step>& steps_;
  bool profile_;
  std::vector<StepState> state_;
  std::vector<PyObject*> results_;
  std::vector<std::string> errors_;
  bool errorSeen_ = false;
  size_t cutAt_ = kNone;
};

}  // namespace gearsd::engine
