#include "engine/context.h"

namespace gearsd::engine {
namespace {

thread_local PyContext* tCurrent = nullptr;
PyObject* gTaskVar = nullptr;  // gears_async._task_ctx, kept for the process

// What a task carries: the database and session of the code that started its coroutine.
struct TaskContext {
  std::shared_ptr<Session> session;
  int db;
  std::shared_ptr<Registration> registration;  // of the execution whose step made the coroutine
};

constexpr const char* kCapsule = "gears.task_context";

void freeTaskContext(PyObject* capsule) {
  delete static_cast<TaskContext*>(PyCapsule_GetPointer(capsule, kCapsule));
}

}  // namespace

PyContext* currentContext() {
  PyContext* c = tCurrent;
  if (c && c->onLoop && gTaskVar) {
    PyObject* value = nullptr;
    if (PyContextVar_Get(gTaskVar, nullptr, &value) < 0) PyErr_Clear();
    auto* t = value && PyCapsule_IsValid(value, kCapsule)
                  ? static_cast<TaskContext*>(PyCapsule_GetPointer(value, kCapsule))
                  : nullptr;
    c->session = t ? t->session : nullptr;
    c->db = t ? t->db : 0;
    c->taskRegistration = t ? t->registration : nullptr;
    Py_XDECREF(value);
  }
  return c;
}

void setTaskContextVar(PyObject* var) {
  Py_XINCREF(var);
  Py_XSETREF(gTaskVar, var);
}

PyObject* taskContextValue() {
  PyContext* c = currentContext();
  if (!c) Py_RETURN_NONE;
  auto* t = new TaskContext{c->session, c->db, c->execution ? c->execution->registration : nullptr};
  PyObject* capsule = PyCapsule_New(t, kCapsule, freeTaskContext);
  if (!capsule) delete t;
  return capsule;
}

PyContext* threadContext() { return tCurrent; }

ContextScope::ContextScope(PyContext* ctx) : previous_(tCurrent) { tCurrent = ctx; }

ContextScope::~ContextScope() { tCurrent = previous_; }

}  // namespace gearsd::engine
