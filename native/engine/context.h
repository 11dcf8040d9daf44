// What the Python running on this thread belongs to: a script body (RG.PYEXECUTE, main
// thread) or an execution (an execution thread). The gears module's functions read it:
// execute() uses its database, run() its session, atomic() its lock depth. Threads the user's
// Python starts have no context, and the API refuses them as RedisGears does.
#pragma once
#include <memory>

#include "engine/execution.h"
#include "engine/session.h"

namespace gearsd::engine {

struct PyContext {
  std::shared_ptr<Session> session;
  Execution* execution = nullptr;      // null in a script body
  int db = 0;
  bool inScript = false;
  std::shared_ptr<Execution> created;  // the execution run() made in this script body
  bool inAtomic = false;               // inside `with atomic():` (this thread holds the server lock)
};

PyContext* currentContext();

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
