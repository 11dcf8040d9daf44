#include "engine/command_bridge.h"

#include <list>
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

// The arguments of one execute() call, as views: into the str and bytes objects themselves
// (immutable, and kept alive by the call), into copies of bytearrays (another thread could
// resize one while this thread runs the command without the GIL), and into str(x) of anything
// else. Destroyed with the GIL held.
class Args {
 public:
  explicit Args(Py_ssize_t n) { views.reserve(static_cast<size_t>(n)); }
  ~Args() {
    for (PyObject* o : temps_) Py_DECREF(o);
  }
  Args(const Args&) = delete;
  Args& operator=(const Args&) = delete;

  bool fill(PyObject* const* args, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
      PyObject* a = args[i];
      if (PyBytes_Check(a)) {
        views.emplace_back(PyBytes_AS_STRING(a), PyBytes_GET_SIZE(a));
      } else if (PyByteArray_Check(a)) {
        copies_.emplace_back(PyByteArray_AS_STRING(a), PyByteArray_GET_SIZE(a));
        views.emplace_back(copies_.back());
      } else {
        PyObject* s = a;
        if (!PyUnicode_Check(a)) {
          s = PyObject_Str(a);
          if (!s) return false;
          temps_.push_back(s);
        }
        Py_ssize_t len;
        const char* p = PyUnicode_AsUTF8AndSize(s, &len);
        if (!p) return false;
        views.emplace_back(p, static_cast<size_t>(len));
      }
    }
    return true;
  }

  std::vector<std::string_view> views;

 private:
  std::vector<PyObject*> temps_;
  std::list<std::string> copies_;  // stable addresses for the views; empty costs no allocation
};

// The command named by a str, remembered per thread for the str object last asked about: a
// step calling execute('DEL', ...) per record looks DEL up once. (The cache holds a reference,
// so the object, and so its address, stays what it was.)
const store::CommandInfo* findCommand(PyObject* nameObj, std::string_view name) {
  thread_local PyObject* lastName = nullptr;
  thread_local const store::CommandInfo* lastCmd = nullptr;
  if (nameObj == lastName) return lastCmd;
  const store::CommandInfo* cmd = store::commandRegistry().find(store::lowerCommandName(name));
  if (cmd && cmd->id < 0) cmd = nullptr;  // declared by a family but not in the table
  Py_INCREF(nameObj);
  Py_XSETREF(lastName, nameObj);
  lastCmd = cmd;
  return cmd;
}

PyObject* runNative(const store::CommandInfo& cmd, const std::vector<std::string_view>& views, int db) {
  Engine& eng = Engine::get();
  python::PyReply reply;
  bool eventsQueued = false;
  bool threw = false;
  auto run = [&] {
    store::ServerLockGuard lock;
    store::Store& st = eng.store();
    store::CommandContext c{st, &st.db(db), views, reply, store::nowMs(),
                            store::kCallerDenyBlocking | store::kCallerPython};
    uint32_t outer = st.runningCaller;  // a sync registration's execute() runs inside a command
    st.runningCaller = c.caller;
    try {
      cmd.handler(c);
      st.afterCommand();  // sync registrations the write fired
    } catch (...) {
      threw = true;  // no C++ exception crosses into Python
    }
    st.runningCaller = outer;
    st.stats().commandsProcessed++;
    eventsQueued = !st.events().empty();
  };
  store::ServerLock& serverLock = store::serverLock();
  if (serverLock.tryLock()) {
    // Free, or ours already (inside atomic()): no reason to give up the GIL.
    run();
    serverLock.unlock();
  } else {
    python::GilRelease nogil;  // lock order: never wait for the server lock holding the GIL
    run();
  }
  if (threw) return python::raiseGearsError("Failed executing command");
  if (eventsQueued && !eng.host().onMainThread()) eng.storeEventsPending();
  return reply.build();
}

PyObject* runOnMainThread(std::vector<std::string> argv, int db) {
  Engine& eng = Engine::get();
  if (tInAtomic)
    return python::raiseGearsError("Can not execute '" + argv[0] +
                                   "' inside an atomic block: it is served by the main thread");
  // A sync registration fired by an execution thread's write runs with the server lock held,
  // and the main thread may be waiting for that lock.
  if (!eng.host().onMainThread() && store::serverLock().heldByThisThread())
    return python::raiseGearsError("Can not execute '" + argv[0] +
                                   "' in a sync execution on an execution thread: it is served by the main thread");
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

bool appendArgv(PyObject* const* args, Py_ssize_t nargs, std::vector<std::string>& out) {
  Args a(nargs);
  if (!a.fill(args, nargs)) return false;
  for (std::string_view v : a.views) out.emplace_back(v);
  return true;
}

PyObject* executeCommand(PyObject* const* args, Py_ssize_t nargs) {
  if (nargs < 1) return PyList_New(0);
  if (!PyUnicode_Check(args[0])) return python::raiseGearsError("the given command must be a string");
  Args argv(nargs);
  if (!argv.fill(args, nargs)) return nullptr;
  const store::CommandInfo* cmd = findCommand(args[0], argv.views[0]);
  // RedisGears reports a call that could not be made with strerror(errno).
  if (!cmd) return python::raiseGearsError("No such file or directory");
  if (!store::commandRegistry().arityOk(*cmd, argv.views.size())) return python::raiseGearsError("Invalid argument");
  PyContext* ctx = currentContext();
  int db = ctx ? ctx->db : 0;
  if (cmd->handler) return runNative(*cmd, argv.views, db);
  return runOnMainThread(std::vector<std::string>(argv.views.begin(), argv.views.end()), db);
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

AtomicFrame::AtomicFrame() : outer_(tInAtomic) { tInAtomic = false; }

AtomicFrame::~AtomicFrame() { tInAtomic = outer_; }
bool inAtomicBlock() { return tInAtomic; }

bool leaveForgottenAtomic() {
  if (!tInAtomic) return false;
  tInAtomic = false;
  store::serverLock().unlock();
  return true;
}

}  // namespace gearsd::engine
