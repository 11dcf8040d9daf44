#include "engine/command_bridge.h"

#include <cctype>
#include <string>
#include <vector>

#include "engine/context.h"
#include "engine/engine.h"
#include "python/errors.h"
#include "python/gears_module.h"
#include "python/gil.h"
#include "python/reply_objects.h"
#include "store/command.h"
#include "store/server_lock.h"

namespace gearsd::engine {
namespace {

thread_local bool tInAtomic = false;

// Arguments: bytes and bytearray raw, anything else as str(x).
bool argvFromPython(PyObject* const* args, Py_ssize_t n, std::vector<std::string>& argv) {
  argv.reserve(n);
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject* a = args[i];
    if (PyBytes_Check(a)) {
      argv.emplace_back(PyBytes_AS_STRING(a), PyBytes_GET_SIZE(a));
    } else if (PyByteArray_Check(a)) {
      argv.emplace_back(PyByteArray_AS_STRING(a), PyByteArray_GET_SIZE(a));
    } else {
      PyObject* s = PyUnicode_Check(a) ? (Py_INCREF(a), a) : PyObject_Str(a);
      if (!s) return false;
      Py_ssize_t len;
      const char* p = PyUnicode_AsUTF8AndSize(s, &len);
      if (p) argv.emplace_back(p, len);
      Py_DECREF(s);
      if (!p) return false;
    }
  }
  return true;
}

PyObject* runNative(const store::CommandInfo& cmd, const std::vector<std::string>& argv, int db) {
  Engine& eng = Engine::get();
  std::vector<std::string_view> views(argv.begin(), argv.end());
  python::PyReply reply;
  bool eventsQueued = false;
  bool threw = false;
  auto run = [&] {
    store::ServerLockGuard lock;
    store::Store& st = eng.store();
    store::CommandContext c{st, &st.db(db), views, reply, store::nowMs(),
                            store::kCallerDenyBlocking | store::kCallerPython};
    try {
      cmd.handler(c);
    } catch (...) {
      threw = true;  // no C++ exception crosses into Python
    }
    st.stats().commandsProcessed++;
    eventsQueued = !st.events().empty();
  };
  if (store::serverLock().heldByThisThread()) {
    run();  // inside atomic(): the lock is ours already, no reason to give up the GIL
  } else {
    python::GilRelease nogil;
    run();
  }
  if (threw) return python::raiseGearsError("Failed executing command");
  if (eventsQueued && !eng.host().onMainThread()) eng.storeEventsPending();
  return reply.build();
}

PyObject* runOnMainThread(std::vector<std::string> argv, int db) {
  if (tInAtomic)
    return python::raiseGearsError("Can not execute '" + argv[0] +
                                   "' inside an atomic block: it is served by the main thread");
  Engine& eng = Engine::get();
  PyContext* ctx = currentContext();
  Execution* ex = ctx ? ctx->execution : nullptr;
  std::string reply;
  bool ok;
  {
    python::GilRelease nogil;
    ok = eng.host().onMainThread() ? eng.host().callTsCommand(db, argv, reply)
                                   : eng.callTsFromWorker(db, std::move(argv), ex, reply);
  }
  if (!ok) {
    if (ex && ex->abortRequested()) {
      PyErr_SetString(python::forceStoppedType(), "Execution was aborted");
      return nullptr;
    }
    return python::raiseGearsError("Failed executing command");
  }
  return python::respToPython(reply);
}

}  // namespace

PyObject* executeCommand(PyObject* const* args, Py_ssize_t nargs) {
  if (nargs < 1) return PyList_New(0);
  if (!PyUnicode_Check(args[0])) return python::raiseGearsError("the given command must be a string");
  std::vector<std::string> argv;
  if (!argvFromPython(args, nargs, argv)) return nullptr;
  std::string name = argv[0];
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  store::CommandRegistry& registry = store::commandRegistry();
  const store::CommandInfo* cmd = registry.find(name);
  // RedisGears reports a call that could not be made with strerror(errno).
  if (!cmd || cmd->id < 0) return python::raiseGearsError("No such file or directory");
  if (!registry.arityOk(*cmd, argv.size())) return python::raiseGearsError("Invalid argument");
  PyContext* ctx = currentContext();
  int db = ctx ? ctx->db : 0;
  if (cmd->handler) return runNative(*cmd, argv, db);
  return runOnMainThread(std::move(argv), db);
}

PyObject* atomicEnter() {
  if (tInAtomic) return python::raiseGearsError("Already inside an atomic block");
  {
    python::GilRelease nogil;  // lock order: never wait for the server lock holding the GIL
    store::serverLock().lock();
  }
  tInAtomic = true;
  Py_RETURN_NONE;
}

PyObject* atomicExit() {
  if (!tInAtomic) return python::raiseGearsError("Not inside an atomic block");
  tInAtomic = false;
  Engine& eng = Engine::get();
  bool eventsQueued = !eng.store().events().empty();
  store::serverLock().unlock();
  if (eventsQueued && !eng.host().onMainThread()) eng.storeEventsPending();
  Py_RETURN_NONE;
}

bool leaveForgottenAtomic() {
  if (!tInAtomic) return false;
  tInAtomic = false;
  store::serverLock().unlock();
  return true;
}

}  // namespace gearsd::engine
