// The engine's side of the gears module (python/gears_module.h GearsHooks): what run(), log(),
// configGet(), isAsyncAllow() and friends do, given the thread's PyContext.
#include "engine/command_bridge.h"
#include "engine/context.h"
#include "engine/engine.h"
#include "python/errors.h"
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

// A step may wait only when its execution was not started from MULTI, Lua or a caller that
// denies blocking; script bodies are not steps.
bool isAsyncAllow() {
  PyContext* ctx = currentContext();
  return ctx && ctx->execution;
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
  Py_RETURN_NONE;
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
  python::setGearsHooks(h);
}

}  // namespace gearsd::engine
