#include "engine/session.h"

#include "python/gears_module.h"
#include "python/gil.h"

namespace gearsd::engine {

std::shared_ptr<Session> Session::create(std::string id, std::string description) {
  PyObject* globals = python::newSessionGlobals();
  if (!globals) return nullptr;
  return std::shared_ptr<Session>(new Session(std::move(id), std::move(description), globals));
}

Session::~Session() {
  python::GilHold gil;
  Py_XDECREF(globals_);
}

}  // namespace gearsd::engine
