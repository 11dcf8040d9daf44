// One record an async step holds (GEARS_API.md §4.6): the step's callback returned a coroutine,
// or returned the gearsFuture() it made, and the record waits in the step's queue until the
// future is settled (continueRun / continueFailed, or the coroutine's end).
//
// Slots are shared between the step's queue (engine/step_loop.h) and the future object
// (engine/async_steps.h), and are read and written only with the GIL held: the GIL is what
// serialises a settlement on the event-loop thread with the execution thread that reads the
// queue. Destroyed with the GIL held.
#pragma once
#include <Python.h>

#include <string>

namespace gearsd::engine {

struct KeyedAccumulator {
  PyObject* key;  // str
  PyObject* acc;
};

struct AsyncSlot {
  enum class State : unsigned char {
    Waiting,    // the future is not settled yet
    Ready,      // settled with a value
    Failed,     // settled with an error, or an error record waiting its turn
    Abandoned,  // the execution no longer wants it (finished, aborted, cut by a limit)
  };
  State state = State::Waiting;
  bool counted = false;   // in its execution's waitingSlots
  bool passing = false;   // Failed: an error from upstream, not the step's own failure
  PyObject* value = nullptr;   // Ready: the step's result (filter: Py_True / Py_False)
  PyObject* origin = nullptr;  // filter / foreach: the record that goes on
  KeyedAccumulator* entry = nullptr;  // accumulatebykey: the key's accumulator (in the step's dict)
  std::string error;

  AsyncSlot() = default;
  AsyncSlot(const AsyncSlot&) = delete;
  AsyncSlot& operator=(const AsyncSlot&) = delete;
  ~AsyncSlot() {
    Py_XDECREF(value);
    Py_XDECREF(origin);
  }
};

}  // namespace gearsd::engine
