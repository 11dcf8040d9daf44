#include "python/registration_api.h"

#include "python/errors.h"

namespace gearsd::python {
namespace {

RegistrationHooks gHooks;

PyObject* notReady() { return raiseGearsError("gears engine is not running"); }

PyObject* Register(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  return gHooks.registerPlan ? gHooks.registerPlan(args, nargs) : notReady();
}

PyObject* NewPlan(PyObject*, PyObject*) {
  if (gHooks.newPlan) gHooks.newPlan();
  Py_RETURN_NONE;
}

PyObject* OverrideReply(PyObject*, PyObject* args) {
  return gHooks.overrideReply ? gHooks.overrideReply(args) : notReady();
}

PyObject* GetCommand(PyObject*, PyObject*) { return gHooks.getCommand ? gHooks.getCommand() : notReady(); }

PyObject* CallNext(PyObject*, PyObject* args) { return gHooks.callNext ? gHooks.callNext(args) : notReady(); }

PyMethodDef kMethods[] = {
    {"_register", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(Register)), METH_FASTCALL,
     "internal: _register(reader, desc, steps, mode, onRegistered, readerArgs) prepares a registration; "
     "it becomes active once the script succeeds"},
    {"_new_plan", NewPlan, METH_NOARGS, "internal: a new builder uses up a plan number"},
    {"override_reply", OverrideReply, METH_VARARGS,
     "override_reply(value): in an execution triggered through commands=, the reply the waiting client gets"},
    {"get_command", GetCommand, METH_VARARGS,
     "get_command(): in an execution triggered through commands=, the command's argv as a list of str"},
    {"call_next", CallNext, METH_VARARGS,
     "call_next(*args): in a command hook, runs the next hook or the original command with args"},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

bool addRegistrationFunctions() {
  PyObject* m = PyImport_ImportModule("gears");
  if (!m) return false;
  bool ok = PyModule_AddFunctions(m, kMethods) == 0;
  Py_DECREF(m);
  return ok;
}

void setRegistrationHooks(const RegistrationHooks& hooks) { gHooks = hooks; }

}  // namespace gearsd::python
