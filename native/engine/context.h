// What the Python running on this thread belongs to: a script body (RG.PYEXECUTE, main
// thread), an execution (an execution thread), or a coroutine on Gears' event loop. The gears
// module's functions read it: execute() uses its database, run() its session, atomic() its lock
// depth. Threads the user's Python starts have no context, and the API refuses them as
// RedisGears does.
#pragma once
#include <Python.h>

#include <memory>
#include <vector>

#include "engine/execution.h"
#include "engine/session.h"

namespace gearsd::engine {

struct PyContext {
  std::shared_ptr<Session> session;
  Execution* execution = nullptr;      // null in a script body and on the event loop
  int db = 0;
  bool inScript = false;
  bool onLoop = false;                 // the event-loop thread: session and db are the running task's
  std::shared_ptr<Execution> created;  // the execution run() made in this script body
  // register() in this script body: made, not active until the script has succeeded.
  std::vector<std::shared_ptr<Registration>> registrations;
  std::shared_ptr<Session> replaces;   // UPGRADE / REPLACE_WITH: the session being replaced
  // On the event loop: the registration of the running task's execution, as last set by
  // currentContext() (so that its writes, made without the GIL, can be recognised).
  std::shared_ptr<Registration> taskRegistration;
};

// The thread's context (GIL held). On the event-loop thread, its session and database are
// first set from the task that runs (what the coroutine's execution had).
PyContext* currentContext();

// The thread's context as it stands, without asking Python: for code that runs without
// the GIL (keyspace events under the server lock). On the event loop, its task fields are
// those of the last currentContext() call on this thread.
PyContext* threadContext();

// The context variable the event loop's tasks carry (gears_async._task_ctx), and the value
// to put in it for the context of this thread (a new reference; None without one).
void setTaskContextVar(PyObject* var);
PyObject* taskContextValue();

// Installs a context for a scope, restoring the previous one after (a step may run a script
// body's code path re-entrantly, e.g. a sync registration in the future).
class ContextScope {
 public:
  explicit ContextScope(PyContext* ctx);
  ~ContextScope();
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  PyContext* previous_;
};

}  // namespace gearsd::engine
