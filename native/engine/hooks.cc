// The engine's side of the gears module (python/gears_module.h GearsHooks): what run(), log(),
// configGet(), isAsyncAllow() and friends do, given the thread's PyContext.
#include "engine/async_steps.h"
#include "engine/command_bridge.h"
#include "engine/context.h"
#include "engine/engine.h"
#include "python/errors.h"
#include "python/gil.h"
#include "python/gears_module.h"

namespace gearsd::engine {
namespace {

void log(std::string_view level, std::string_view msg) {
  Event e{Event::Kind::Log};
  e.level = std::string(level);
  e.text = std::string(msg);
  Engine::get().host().post(std::move(e));
}

PyObject* configGet(std::string_view key) {
  std::string value;
  if (!Engine::get().extraConfig(key, value)) Py_RETURN_NONE;
  return PyUnicode_DecodeUTF8(value.data(), static_cast<Py_ssize_t>(value.size()), "replace");
}

bool inGearsThread() { return currentContext() != nullptr; }

PyObject* checkRun() {
  PyContext* ctx = currentContext();
  if (ctx && ctx->inScript && ctx->created)
    return python::raiseGearsError("Can not run more then 1 executions in a single script");
  Py_RETURN_NONE;
}

// _run(reader, desc, steps, readerArgs, mode)
PyObject* run(PyObject* const* args, Py_ssize_t nargs) {
  PyContext* ctx = currentContext();
  if (!ctx) return python::raiseGearsError("Can not create a gearsCtx on a python created thread");
  if (PyObject* r = checkRun(); !r) return nullptr;
  else Py_DECREF(r);
  if (nargs != 5) return python::raiseGearsError("malformed plan");
  std::string error;
  std::shared_ptr<Plan> plan = Plan::build(args[0], args[1], args[2], args[3], error);
  if (!plan) return python::raiseGearsError(error);
  Engine& eng = Engine::get();
  std::shared_ptr<Execution> ex = eng.createExecution(std::move(plan), ctx->session, ctx->db);
  // run() returns an awaitable that gives [[results], [errors]] (§4.3).
  ex->awaiter = newAwaiter();
  if (!ex->awaiter) PyErr_Clear();
  PyObject* awaitable = ex->awaiter ? ex->awaiter : Py_None;
  Py_INCREF(awaitable);
  if (ctx->inScript) {
    ctx->created = ex;  // queued once the script has succeeded
  } else {
    // run() from a step: an independent execution, forgotten once it finishes.
    ex->dropOnFinish = true;
    Event e{Event::Kind::ExecutionCreated};
    e.id = ex->seq();
    e.dropOnFinish = true;
    eng.host().post(std::move(e));
    eng.submit(ex);
  }
  return awaitable;
}

// time.sleep(secs) in a step (gears_builder.py puts gears' sleep in place of time.sleep). CPython's
// own sleep on a thread other than the main one cannot be interrupted: an asynchronous exception
// only fires between bytecodes, and signals are handled on the main thread alone. So on an
// execution thread the sleep is a wait that RG.ABORTEXECUTION wakes, and the step gets
// gears.forcestopped. Anywhere else, and for arguments the real sleep would refuse (so that it
// gives its own error), the caller uses the real sleep.
int executionSleep(PyObject* secs) {
  PyContext* ctx = currentContext();
  if (!ctx || !ctx->execution || !(PyFloat_Check(secs) || PyLong_Check(secs))) return 0;
  double s = PyFloat_AsDouble(secs);
  if (s == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    return 0;
  }
  if (!(s >= 0)) return 0;  // negative or NaN: ValueError from the real one
  Execution& ex = *ctx->execution;
  bool aborted;
  {
    python::GilRelease nogil;
    aborted = ex.sleepUnlessAborted(s);
  }
  if (aborted) {
    PyErr_SetNone(python::forceStoppedType());
    return -1;
  }
  return 1;
}

}  // namespace

void installHooks() {
  python::GearsHooks h;
  h.execute = executeCommand;
  h.atomicEnter = atomicEnter;
  h.atomicExit = atomicExit;
  h.log = log;
  h.configGet = configGet;
  h.isAsyncAllow = isAsyncAllow;
  h.inGearsThread = inGearsThread;
  h.checkRun = checkRun;
  h.run = run;
  h.gearsFuture = gearsFuture;
  h.runCoroutine = runCoroutine;
  h.takeStarts = takeStarts;
  h.inAtomic = inAtomicBlock;
  h.executionSleep = executionSleep;
  python::setGearsHooks(h);
}

}  // namespace gearsd::engine
