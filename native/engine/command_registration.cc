// CommandReader.register() (GEARS_API.md §5.6): triggers run by RG.TRIGGER and hooks that
// serve a command in place of its own implementation.
#include "engine/engine.h"
#include "python/errors.h"

namespace gearsd::engine {

PyObject* callNextHook(PyObject*) { return python::raiseGearsError("Can not get CommandHook ctx"); }

}  // namespace gearsd::engine
