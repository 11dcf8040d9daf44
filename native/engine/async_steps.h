// Async steps and Gears' event loop (GEARS_API.md §4.3, §4.4, §4.6): the future object a held
// record waits on, the loop thread that runs coroutines, and the API functions built on them
// (gearsFuture, runCoroutine, isAsyncAllow's view of the step, run()'s awaitable).
//
// Tour:
//  - the event loop is gears_async.py's asyncio loop, run by one native thread started with the
//    engine. Coroutines are queued here (GIL held) and the loop is woken once per batch;
//  - a StepFuture (Python type gears.Future) belongs to one record held by one step. Settling it
//    (continueRun / continueFailed, from any Python thread) fills the record's slot; when an
//    execution that left its thread has no slot left waiting, it is queued on the pool again;
//  - StepCall marks the step callback running on this thread, so that gearsFuture() knows
//    which step asks (and whether it may wait at all).
//
// Locks: everything here runs with the GIL held and takes no other lock, except the pool's
// queue when an execution is resumed.
#pragma once
#include <Python.h>

#include <memory>

#include "engine/async_slot.h"
#include "engine/execution.h"
#include "engine/plan.h"

namespace gearsd::engine {

class StepRunner;

// The step callback running on this thread (set around each call by the step loop).
struct StepCall {
  StepKind kind;
  Execution* execution;
  PyObject* future = nullptr;  // the gearsFuture() this call made (a strong reference)
};
StepCall*& currentStepCall();

// Whether a step of this kind may hold its record.
bool stepMayWait(StepKind kind);
// How many records a step of this kind may hold at once (0: it cannot hold any).
size_t stepWaitCapacity(StepKind kind);

// A future for one record of `ex` held by a step of `kind` (new reference; GIL held).
PyObject* newStepFuture(Execution& ex, StepKind kind, const std::shared_ptr<AsyncSlot>& slot);
// The slot of a future a step callback returned, which now waits in the step's queue.
std::shared_ptr<AsyncSlot> heldSlot(PyObject* future);
// A future a step made but did not return: released, as RedisGears does.
void releaseUnreturned(PyObject* future);

// Runs `coro` on the loop for the execution running on this thread; its result settles
// `future` (both references are stolen; future may be null). GIL held.
void runOnLoop(PyObject* coro, PyObject* future);

// run()'s awaitable: a future of the loop (new reference), and its completion with
// [[results], [errors]] (called only when someone else holds the future).
PyObject* newAwaiter();
void completeAwaiter(PyObject* awaiter, PyObject* value);

// Prepares the types and starts the loop thread; main thread, GIL not held.
bool startAsync();

// Hooks of the gears module.
PyObject* gearsFuture();
PyObject* runCoroutine(PyObject* const* args, Py_ssize_t nargs);
PyObject* takeStarts();
bool isAsyncAllow();

}  // namespace gearsd::engine
