// The builtin `gears` module: the native half of the Gears Python API.
//
// One method table (gears_module.cc) with a docstring per entry. What a method needs from the
// engine (running a plan, executing a command, the current execution's context) reaches it
// through GearsHooks, which the engine fills in once at start-up: native/python stays free of
// engine code (native/README.md), and the engine stays free of Python method tables.
//
// The Python half (lib/gears_builder.py: GearsBuilder, the sugar operations, atomic) imports
// this module and adds its names to it, so `import gears` offers the whole API. The module is
// also importable as `redisgears` with RedisGears 1.x's C names (executeCommand, atomicCtx...).
#pragma once
#include <Python.h>

#include <string_view>

namespace gearsd::python {

struct GearsHooks {
  // execute(cmd, *args): runs a command, returns its reply as Python objects (§2.3).
  PyObject* (*execute)(PyObject* const* args, Py_ssize_t nargs) = nullptr;
  // atomic(): takes / releases the server lock for a `with atomic():` block.
  PyObject* (*atomicEnter)() = nullptr;
  PyObject* (*atomicExit)() = nullptr;
  // log(): level is one of debug|verbose|notice|warning; msg is already prefixed "GEARS: ".
  void (*log)(std::string_view level, std::string_view msg) = nullptr;
  // configGet(key): str or None (new reference).
  PyObject* (*configGet)(std::string_view key) = nullptr;
  bool (*isAsyncAllow)() = nullptr;
  // True on a thread the engine runs Python on (a script or an execution), false on threads
  // the user's Python created.
  bool (*inGearsThread)() = nullptr;
  // _check_run(): raises when this script already started an execution.
  PyObject* (*checkRun)() = nullptr;
  // _run(reader, desc, steps, readerArgs, mode): starts an execution of a plan; returns its
  // awaitable.
  PyObject* (*run)(PyObject* const* args, Py_ssize_t nargs) = nullptr;
  // gearsFuture(): a future that holds the running step's record.
  PyObject* (*gearsFuture)() = nullptr;
  // _run_coroutine(cr, f, delay): runs cr on the event loop, settling f with its outcome.
  PyObject* (*runCoroutine)(PyObject* const* args, Py_ssize_t nargs) = nullptr;
  // _take_starts(): the coroutines queued for the event loop since it last looked (a list).
  PyObject* (*takeStarts)() = nullptr;
  // _in_atomic(): whether this thread is inside an atomic() block.
  bool (*inAtomic)() = nullptr;
  // time.sleep(secs) on an engine thread: 1 slept, 0 the real time.sleep must do it, -1 an
  // exception is set (gears.forcestopped: the execution was aborted).
  int (*executionSleep)(PyObject* secs) = nullptr;
};

// Makes `gears` importable; call before the interpreter starts.
bool registerGearsModule();

// After the embedded lib is loaded: aliases `redisgears`, checks the module is complete.
bool finishGearsModule();

void setGearsHooks(const GearsHooks& hooks);

// The module's exception classes (borrowed references; valid once the module is imported).
PyObject* gearsErrorType();       // gears.error
PyObject* flatErrorType();        // gears.flat_error
PyObject* forceStoppedType();     // gears.forcestopped

// A new dict holding a session's fresh globals (GB, execute, atomic, log... and
// __name__ = "not_main"), made by the embedded lib. GIL held.
PyObject* newSessionGlobals();

}  // namespace gearsd::python
