#include "engine/async_steps.h"

#include <new>
#include <thread>

#include "engine/context.h"
#include "engine/engine.h"
#include "python/errors.h"
#include "python/gil.h"

namespace gearsd::engine {
namespace {

// ---- the loop's entry points (gears_async.py), kept for the process --------------------------

struct LoopFunctions {
  PyObject* kick = nullptr;          // _kick(): wake the loop to drain the queued coroutines
  PyObject* createFuture = nullptr;  // createFuture()
  PyObject* setResults = nullptr;    // setFutureResults(f, value)
  PyObject* runLoop = nullptr;       // _run_loop(): the loop thread's body
  PyObject* starts = nullptr;        // list of (coro, future, ctx, delay) not yet drained (GIL)
};
LoopFunctions gLoop;

// ---- gears.Future -------------------------------------------------------------------------

struct StepFutureFields {
  std::shared_ptr<Execution> execution;
  std::shared_ptr<AsyncSlot> slot;
  StepKind kind;
  bool returned = false;  // the step returned it: its record waits on it
  bool consumed = false;  // settled, or released without being returned
};

struct StepFuture {
  PyObject_HEAD
  StepFutureFields f;
};

PyTypeObject gStepFutureType = {PyVarObject_HEAD_INIT(nullptr, 0)};

// Settles a future: its record gets `value` (error: the error text), and an execution that
// left its thread goes back to the pool once nothing else it holds is waiting.
void settle(StepFutureFields& f, PyObject* value, const std::string* error) {
  f.consumed = true;
  AsyncSlot& s = *f.slot;
  if (s.state != AsyncSlot::State::Waiting) return;  // abandoned: the execution moved on
  if (error) {
    s.state = AsyncSlot::State::Failed;
    s.error = *error;
  } else if (f.kind == StepKind::Filter) {
    int keep = PyObject_IsTrue(value);
    if (keep < 0) {
      s.state = AsyncSlot::State::Failed;
      s.error = python::takeErrorText();
    } else {
      s.value = keep ? Py_True : Py_False;
      Py_INCREF(s.value);
      s.state = AsyncSlot::State::Ready;
    }
  } else {
    if (f.kind != StepKind::ForEach) {  // foreach goes on with its own record
      Py_INCREF(value);
      s.value = value;
    }
    s.state = AsyncSlot::State::Ready;
  }
  if (!s.counted) return;
  s.counted = false;
  Execution& ex = *f.execution;
  if (--ex.waitingSlots == 0 && ex.parked) Engine::get().resume(f.execution);
}

bool oneArgument(Py_ssize_t nargs) {
  if (nargs == 1) return true;
  python::raiseGearsError("Continue function expect an object");
  return false;
}

PyObject* ContinueRun(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  StepFutureFields& f = reinterpret_cast<StepFuture*>(self)->f;
  if (!oneArgument(nargs)) return nullptr;
  if (f.consumed) return python::raiseGearsError("Can not continue with the same future twice");
  if (!f.returned) return python::raiseGearsError("Can not handle future untill it returned from the callback");
  settle(f, args[0], nullptr);
  Py_RETURN_NONE;
}

PyObject* ContinueFailed(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  StepFutureFields& f = reinterpret_cast<StepFuture*>(self)->f;
  if (!oneArgument(nargs)) return nullptr;
  if (f.consumed) return python::raiseGearsError("Can not continue with the same future twice");
  std::string text = python::strOf(args[0]);
  settle(f, nullptr, &text);
  Py_RETURN_NONE;
}

void DeallocStepFuture(PyObject* self) {
  StepFutureFields& f = reinterpret_cast<StepFuture*>(self)->f;
  if (f.returned && !f.consumed) {
    // Dropped before anyone settled it: the record becomes an error, as in RedisGears.
    static const std::string kNeverSettled = "Async record did not called continue";
    settle(f, nullptr, &kNeverSettled);
  }
  f.~StepFutureFields();
  PyObject_Free(self);
}

PyMethodDef kStepFutureMethods[] = {
    {"continueRun", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(ContinueRun)), METH_FASTCALL,
     "continueRun(value): the held record goes on with value (a filter keeps it when value is true)"},
    {"continueFailed", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(ContinueFailed)), METH_FASTCALL,
     "continueFailed(error): the held record becomes an error record with str(error)"},
    {nullptr, nullptr, 0, nullptr},
};

bool readyStepFutureType() {
  gStepFutureType.tp_name = "gears.Future";
  gStepFutureType.tp_basicsize = sizeof(StepFuture);
  gStepFutureType.tp_flags = Py_TPFLAGS_DEFAULT;
  gStepFutureType.tp_doc = "A record held by a step until continueRun() or continueFailed()";
  gStepFutureType.tp_dealloc = DeallocStepFuture;
  gStepFutureType.tp_methods = kStepFutureMethods;
  return PyType_Ready(&gStepFutureType) == 0;
}

StepFutureFields& fieldsOf(PyObject* future) { return reinterpret_cast<StepFuture*>(future)->f; }

thread_local StepCall* tStepCall = nullptr;

// Queues (coro, future, ctx, delay) for the loop; the loop is woken only when the queue was
// empty, so a batch of held records costs one wake-up.
void queueStart(PyObject* coro, PyObject* future, PyObject* delay) {
  PyObject* ctx = taskContextValue();
  PyObject* item = ctx ? PyTuple_Pack(4, coro, future ? future : Py_None, ctx, delay) : nullptr;
  Py_XDECREF(ctx);
  bool wake = PyList_GET_SIZE(gLoop.starts) == 0;
  if (!item || PyList_Append(gLoop.starts, item) < 0) {
    Py_XDECREF(item);
    PyErr_Clear();
    return;
  }
  Py_DECREF(item);
  if (!wake) return;
  PyObject* r = PyObject_CallNoArgs(gLoop.kick);
  if (r) Py_DECREF(r);
  else PyErr_Clear();
}

}  // namespace

StepCall*& currentStepCall() { return tStepCall; }

bool stepMayWait(StepKind kind) { return stepWaitCapacity(kind) > 0; }

size_t stepWaitCapacity(StepKind kind) {
  switch (kind) {
    case StepKind::Map:
    case StepKind::FlatMapper:
    case StepKind::Filter:
    case StepKind::ForEach:
      return 1000;
    case StepKind::Accumulate:
    case StepKind::AccumulateByKey:
      return 1;
    default:
      return 0;
  }
}

PyObject* newStepFuture(Execution& ex, StepKind kind, const std::shared_ptr<AsyncSlot>& slot) {
  StepFuture* obj = PyObject_New(StepFuture, &gStepFutureType);
  if (!obj) return nullptr;
  new (&obj->f) StepFutureFields{ex.shared_from_this(), slot, kind};
  // A coroutine's future is the step's answer from the start; a gearsFuture() only once the
  // step returns it.
  return reinterpret_cast<PyObject*>(obj);
}

std::shared_ptr<AsyncSlot> heldSlot(PyObject* future) {
  StepFutureFields& f = fieldsOf(future);
  f.returned = true;
  return f.slot;
}

void releaseUnreturned(PyObject* future) { fieldsOf(future).consumed = true; }

void runOnLoop(PyObject* coro, PyObject* future) {
  fieldsOf(future).returned = true;
  PyObject* zero = PyLong_FromLong(0);
  queueStart(coro, future, zero ? zero : Py_None);
  Py_XDECREF(zero);
  Py_DECREF(coro);
  Py_DECREF(future);
}

PyObject* newAwaiter() { return PyObject_CallNoArgs(gLoop.createFuture); }

void completeAwaiter(PyObject* awaiter, PyObject* value) {
  PyObject* r = PyObject_CallFunctionObjArgs(gLoop.setResults, awaiter, value, nullptr);
  if (r) Py_DECREF(r);
  else PyErr_Clear();
}

bool startAsync() {
  {
    python::GilHold gil;
    PyObject* mod = readyStepFutureType() ? PyImport_ImportModule("gears_async") : nullptr;
    PyObject* var = mod ? PyObject_GetAttrString(mod, "_task_ctx") : nullptr;
    if (mod) {
      gLoop.kick = PyObject_GetAttrString(mod, "_kick");
      gLoop.createFuture = PyObject_GetAttrString(mod, "createFuture");
      gLoop.setResults = PyObject_GetAttrString(mod, "setFutureResults");
      gLoop.runLoop = PyObject_GetAttrString(mod, "_run_loop");
    }
    gLoop.starts = PyList_New(0);
    setTaskContextVar(var);
    Py_XDECREF(var);
    Py_XDECREF(mod);
    if (!var || !gLoop.kick || !gLoop.createFuture || !gLoop.setResults || !gLoop.runLoop || !gLoop.starts) {
      PyErr_Print();
      return false;
    }
  }
  // The loop thread: runs Python with the GIL like an execution thread, and is never joined.
  std::thread([] {
    python::GilHold gil;
    PyContext ctx;
    ctx.onLoop = true;
    ContextScope scope(&ctx);
    PyObject* r = PyObject_CallNoArgs(gLoop.runLoop);
    if (!r) PyErr_Print();
    Py_XDECREF(r);
  }).detach();
  return true;
}

PyObject* gearsFuture() {
  StepCall* call = tStepCall;
  if (!call) return python::raiseGearsError("Future object can only be created inside certain execution steps");
  if (call->future) return python::raiseGearsError("Can not create async record twice on the same step");
  if (call->execution->noAsync) return python::raiseGearsError("Creating async record is not allowed");
  if (!stepMayWait(call->kind)) return python::raiseGearsError("Step does not support async");
  PyObject* f = newStepFuture(*call->execution, call->kind, std::make_shared<AsyncSlot>());
  if (!f) return nullptr;
  Py_INCREF(f);
  call->future = f;
  return f;
}

// _run_coroutine(cr, f, delay)
PyObject* runCoroutine(PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 3) return python::raiseGearsError("runCoroutine: wrong number of arguments");
  queueStart(args[0], args[1] == Py_None ? nullptr : args[1], args[2]);
  Py_RETURN_NONE;
}

PyObject* takeStarts() {
  PyObject* fresh = PyList_New(0);
  if (!fresh) return nullptr;
  PyObject* taken = gLoop.starts;
  gLoop.starts = fresh;
  return taken;
}

bool isAsyncAllow() {
  PyContext* ctx = currentContext();
  return ctx && ctx->execution && !ctx->execution->noAsync;
}

}  // namespace gearsd::engine
