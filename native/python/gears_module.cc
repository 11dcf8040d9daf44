#include "python/gears_module.h"

#include <cstring>
#include <string>
#include <utility>

#include "python/errors.h"

namespace gearsd::python {
namespace {

GearsHooks gHooks;
PyObject* gGearsError = nullptr;
PyObject* gFlatError = nullptr;
PyObject* gForceStopped = nullptr;

PyObject* notReady() { return raiseGearsError("gears engine is not running"); }

PyObject* Execute(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  return gHooks.execute ? gHooks.execute(args, nargs) : notReady();
}

PyObject* Log(PyObject*, PyObject* args, PyObject* kwargs) {
  Py_ssize_t n = PyTuple_GET_SIZE(args);
  if (n < 1 || n > 2) return raiseGearsError("log function must get a log message as input");
  PyObject* level = kwargs ? PyDict_GetItemString(kwargs, "level") : nullptr;
  PyObject* msg = PyTuple_GET_ITEM(args, 0);
  if (n == 2) {
    if (gHooks.log)
      gHooks.log("warning",
                 "Specify log level as the first argument to log function is depricated, use key argument 'level' instead");
    level = PyTuple_GET_ITEM(args, 0);
    msg = PyTuple_GET_ITEM(args, 1);
  }
  if (!PyUnicode_Check(msg)) return raiseGearsError("Log message must be a string");
  const char* levelStr = "notice";
  if (level) {
    if (!PyUnicode_Check(level)) return raiseGearsError("Log level must be a sting (debug/verbose/notice/warning)");
    levelStr = PyUnicode_AsUTF8(level);
    if (!levelStr) return nullptr;
    if (std::strcmp(levelStr, "debug") != 0 && std::strcmp(levelStr, "verbose") != 0 &&
        std::strcmp(levelStr, "notice") != 0 && std::strcmp(levelStr, "warning") != 0)
      return raiseGearsError("Log level should be one of the following : debug,verbose,notice,warning");
  }
  Py_ssize_t len;
  const char* text = PyUnicode_AsUTF8AndSize(msg, &len);
  if (!text) return nullptr;
  if (gHooks.log) gHooks.log(levelStr, "GEARS: " + std::string(text, len));
  Py_RETURN_NONE;
}

PyObject* ConfigGet(PyObject*, PyObject* args) {
  if (PyTuple_GET_SIZE(args) != 1) return raiseGearsError("get_config function must get a single key input");
  PyObject* key = PyTuple_GET_ITEM(args, 0);
  if (!PyUnicode_Check(key)) return raiseGearsError("get_config key must be a string");
  Py_ssize_t len;
  const char* k = PyUnicode_AsUTF8AndSize(key, &len);
  if (!k) return nullptr;
  if (!gHooks.configGet) Py_RETURN_NONE;
  return gHooks.configGet(std::string_view(k, len));
}

PyObject* Hashtag(PyObject*, PyObject*) {
  // Stand-alone: a tag that hashes to slot 0's shard, as RedisGears answers without a cluster.
  return PyUnicode_FromString("06S");
}

PyObject* FlatError(PyObject*, PyObject* args) {
  if (PyTuple_GET_SIZE(args) != 1) return raiseGearsError("not enough arguments for time flat error");
  PyErr_SetObject(gFlatError, PyTuple_GET_ITEM(args, 0));
  return nullptr;
}

PyObject* IsAsyncAllow(PyObject*, PyObject*) {
  if (gHooks.isAsyncAllow && gHooks.isAsyncAllow()) Py_RETURN_TRUE;
  Py_RETURN_FALSE;
}

PyObject* AtomicEnter(PyObject*, PyObject*) { return gHooks.atomicEnter ? gHooks.atomicEnter() : notReady(); }

PyObject* AtomicExit(PyObject*, PyObject*) { return gHooks.atomicExit ? gHooks.atomicExit() : notReady(); }

PyObject* InGearsThread(PyObject*, PyObject*) {
  if (gHooks.inGearsThread && gHooks.inGearsThread()) Py_RETURN_TRUE;
  Py_RETURN_FALSE;
}

PyObject* CheckRun(PyObject*, PyObject*) { return gHooks.checkRun ? gHooks.checkRun() : notReady(); }

PyObject* Run(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  return gHooks.run ? gHooks.run(args, nargs) : notReady();
}

PyObject* GearsFuture(PyObject*, PyObject* args) {
  if (PyTuple_GET_SIZE(args) != 0) return raiseGearsError("Future gets no arguments");
  return gHooks.gearsFuture ? gHooks.gearsFuture() : notReady();
}

PyObject* RunCoroutine(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  return gHooks.runCoroutine ? gHooks.runCoroutine(args, nargs) : notReady();
}

PyObject* TakeStarts(PyObject*, PyObject*) { return gHooks.takeStarts ? gHooks.takeStarts() : PyList_New(0); }

PyObject* InAtomic(PyObject*, PyObject*) {
  if (gHooks.inAtomic && gHooks.inAtomic()) Py_RETURN_TRUE;
  Py_RETURN_FALSE;
}

// The time.sleep put in place of the real one (its `self`), so that a step's sleep ends when
// its execution is aborted. Native, so that tracebacks show no extra frame.
PyObject* AbortableSleep(PyObject* real, PyObject* secs) {
  int slept = gHooks.executionSleep ? gHooks.executionSleep(secs) : 0;
  if (slept < 0) return nullptr;
  if (slept > 0) Py_RETURN_NONE;
  return PyObject_CallOneArg(real, secs);
}

PyMethodDef kAbortableSleep = {"sleep", AbortableSleep, METH_O,
                               "sleep(seconds): delay for the given number of seconds; in a Gears step, "
                               "RG.ABORTEXECUTION ends the delay with gears.forcestopped"};

PyObject* AbortableSleepOf(PyObject*, PyObject* real) { return PyCFunction_NewEx(&kAbortableSleep, real, nullptr); }

PyMethodDef kMethods[] = {
    {"execute", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(Execute)), METH_FASTCALL,
     "execute(command, *args): run a Redis command and return its reply (the server lock is held for this call only)"},
    {"log", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(Log)), METH_VARARGS | METH_KEYWORDS,
     "log(message, level='notice'): write 'GEARS: <message>' to the server log"},
    {"configGet", ConfigGet, METH_VARARGS,
     "configGet(key): the value of a key of the extra configuration dictionary, or None"},
    {"hashtag", Hashtag, METH_NOARGS, "hashtag(): a hash tag that maps to this shard ('06S' without a cluster)"},
    {"flat_error", FlatError, METH_VARARGS,
     "flat_error(message): raise an error whose text reaches the client as is, without a traceback"},
    {"isAsyncAllow", IsAsyncAllow, METH_NOARGS,
     "isAsyncAllow(): whether the running step may wait (False in MULTI, Lua, or when blocking is denied)"},
    {"_atomic_enter", AtomicEnter, METH_NOARGS, "internal: start an atomic() block (take the server lock)"},
    {"_atomic_exit", AtomicExit, METH_NOARGS, "internal: end an atomic() block (release the server lock)"},
    {"_in_gears_thread", InGearsThread, METH_NOARGS,
     "internal: whether this thread runs Gears Python (a script or an execution)"},
    {"_check_run", CheckRun, METH_NOARGS, "internal: raise if this script already started an execution"},
    {"_run", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(Run)), METH_FASTCALL,
     "internal: _run(reader, desc, steps, readerArgs, mode) starts an execution of a built plan"},
    {"gearsFuture", GearsFuture, METH_VARARGS,
     "gearsFuture(): a future holding the running step's record until f.continueRun(v) or f.continueFailed(e); "
     "the step must return it"},
    {"_run_coroutine", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(RunCoroutine)), METH_FASTCALL,
     "internal: _run_coroutine(cr, f, delay) runs cr on the event loop and settles f with its outcome"},
    {"_take_starts", TakeStarts, METH_NOARGS, "internal: the coroutines queued for the event loop"},
    {"_in_atomic", InAtomic, METH_NOARGS, "internal: whether this thread is inside an atomic() block"},
    {"_abortable_sleep", AbortableSleepOf, METH_O,
     "internal: _abortable_sleep(time.sleep) is a time.sleep that RG.ABORTEXECUTION can end in a step"},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef kModule = {
    PyModuleDef_HEAD_INIT,
    "gears",
    "gearsd's Gears API: RedisGears 1.x scripts import it as gears (or redisgears)",
    -1,
    kMethods,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

PyObject* InitModule() {
  PyObject* m = PyModule_Create(&kModule);
  if (!m) return nullptr;
  gGearsError = PyErr_NewException("gears.error", nullptr, nullptr);
  gFlatError = PyErr_NewException("gears.flat_error", nullptr, nullptr);
  gForceStopped = PyErr_NewException("gears.forcestopped", nullptr, nullptr);
  if (!gGearsError || !gFlatError || !gForceStopped) return nullptr;
  // Each name holds its own reference; the globals above keep one more for the process.
  const std::pair<const char*, PyObject*> names[] = {
      {"error", gGearsError},           {"GearsError", gGearsError},        {"forcestopped", gForceStopped},
      {"GearsForceStopped", gForceStopped}, {"GearsFlatError", gFlatError},
  };
  for (auto& [name, obj] : names) {
    Py_INCREF(obj);
    if (PyModule_AddObject(m, name, obj) < 0) {
      Py_DECREF(obj);
      Py_DECREF(m);
      return nullptr;
    }
  }
  return m;
}

}  // namespace

bool registerGearsModule() { return PyImport_AppendInittab("gears", InitModule) == 0; }

bool finishGearsModule() {
  PyObject* m = PyImport_ImportModule("gears");
  if (!m) return false;
  // RedisGears 1.x's module name and C names, for scripts written against them.
  static const char* const kAliases[][2] = {
      {"executeCommand", "execute"}, {"atomicCtx", "atomic"}, {"config_get", "configGet"},
      {"getMyHashTag", "hashtag"},   {"flatError", "flat_error"},
  };
  bool ok = true;
  for (auto& a : kAliases) {
    PyObject* v = PyObject_GetAttrString(m, a[1]);
    ok = ok && v && PyObject_SetAttrString(m, a[0], v) == 0;
    Py_XDECREF(v);
  }
  PyObject* modules = PyImport_GetModuleDict();
  ok = ok && PyDict_SetItemString(modules, "redisgears", m) == 0;
  Py_DECREF(m);
  if (!ok) PyErr_Clear();
  return ok;
}

void setGearsHooks(const GearsHooks& hooks) { gHooks = hooks; }

PyObject* gearsErrorType() { return gGearsError; }
PyObject* flatErrorType() { return gFlatError; }
PyObject* forceStoppedType() { return gForceStopped; }

PyObject* newSessionGlobals() {
  // Looked up once: an import per RG.PYEXECUTE costs more than the small job it runs. The
  // GIL guards this (every caller holds it).
  static PyObject* make = nullptr;
  if (!make) {
    PyObject* mod = PyImport_ImportModule("gears_builder");
    if (!mod) return nullptr;
    make = PyObject_GetAttrString(mod, "_new_session_globals");
    Py_DECREF(mod);
    if (!make) return nullptr;
  }
  return PyObject_CallNoArgs(make);
}

}  // namespace gearsd::python
