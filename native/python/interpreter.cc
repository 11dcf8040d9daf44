#include "python/interpreter.h"

#include <Python.h>
#include <dlfcn.h>

#include "python/allocator.h"
#include "python/embedded_modules.h"
#include "python/errors.h"
#include "python/gears_module.h"
#include "python/gil.h"
#include "python/records.h"

namespace gearsd::python {
namespace {

// Makes every embedded module importable by name (sys.modules), without files on disk.
bool loadEmbeddedModules(std::string& error) {
  for (const EmbeddedModule* m = kEmbeddedModules; m->name; m++) {
    PyObject* code = Py_CompileString(m->source, (std::string("<gearsd/") + m->name + ".py>").c_str(), Py_file_input);
    PyObject* mod = code ? PyImport_ExecCodeModule(m->name, code) : nullptr;
    Py_XDECREF(code);
    if (!mod) {
      PyErr_Print();
      error = std::string("failed to load embedded module ") + m->name;
      return false;
    }
    Py_DECREF(mod);
  }
  return true;
}

}  // namespace

bool startInterpreter(std::string& error, bool countAllocations) {
  if (Py_IsInitialized()) return true;
  if (!dlopen(GEARSD_LIBPYTHON, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) &&
      !dlopen(GEARSD_LIBPYTHON, RTLD_NOW | RTLD_GLOBAL)) {
    error = std::string("cannot load ") + GEARSD_LIBPYTHON + ": " + dlerror();
    return false;
  }
  if (!registerGearsModule()) {
    error = "cannot register the gears module";
    return false;
  }
  PyPreConfig preconfig;
  PyPreConfig_InitPythonConfig(&preconfig);
  PyStatus pre = Py_PreInitialize(&preconfig);
  if (PyStatus_Exception(pre)) {
    error = std::string("Python failed to start: ") + (pre.err_msg ? pre.err_msg : "unknown error");
    return false;
  }
  if (countAllocations) installCountingAllocator();  // between pre-initialisation and start-up, as the API requires
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.install_signal_handlers = 0;  // Node owns SIGINT/SIGTERM
  config.parse_argv = 0;
  PyStatus status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    error = std::string("Python failed to start: ") + (status.err_msg ? status.err_msg : "unknown error");
    return false;
  }
  bool ok = loadEmbeddedModules(error);
  if (ok && !(initErrorFormatting() && initRecordStrings() && finishGearsModule())) {
    PyErr_Print();
    error = "failed to set up the gears module";
    ok = false;
  }
  PyEval_SaveThread();  // from here on, every user takes the GIL with GilHold
  return ok;
}

std::string interpreterVersion() {
  GilHold gil;
  PyObject* mods = PyImport_ImportModule("decimal");
  Py_XDECREF(mods);
  PyObject* json = PyImport_ImportModule("json");
  Py_XDECREF(json);
  PyObject* math = PyImport_ImportModule("math");
  Py_XDECREF(math);
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return "";
  }
  return Py_GetVersion();
}

}  // namespace gearsd::python
