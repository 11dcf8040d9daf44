// The registration half of the `gears` module (GEARS_API.md §4.3, §4.4): register() and the
// functions that only mean something inside a registration's execution (override_reply,
// get_command, call_next). Like GearsHooks (gears_module.h), the engine fills in what they
// do, so native/python stays free of engine code.
#pragma once
#include <Python.h>

namespace gearsd::python {

struct RegistrationHooks {
  // _register(reader, desc, steps, mode, onRegistered, readerArgs) -> registration id (str).
  PyObject* (*registerPlan)(PyObject* const* args, Py_ssize_t nargs) = nullptr;
  // _new_plan(): GB() uses up a plan number.
  void (*newPlan)() = nullptr;
  PyObject* (*overrideReply)(PyObject* args) = nullptr;  // override_reply(value)
  PyObject* (*getCommand)() = nullptr;                   // get_command()
  PyObject* (*callNext)(PyObject* args) = nullptr;       // call_next(*args)
};

// Adds the functions to the gears module. Called once the interpreter runs, before the
// embedded Python lib (which uses them) is loaded.
bool addRegistrationFunctions();

void setRegistrationHooks(const RegistrationHooks& hooks);

}  // namespace gearsd::python
