// A session: what one RG.PYEXECUTE creates (GEARS_API.md §8). It owns the script's globals
// dict, which every plan, execution (and, later, registration) the script makes keeps using,
// so a session lives as long as anything it created (shared_ptr).
#pragma once
#include <Python.h>

#include <memory>
#include <string>

namespace gearsd::engine {

class Session {
 public:
  // A session with fresh globals (GIL held); nullptr with a Python exception set on failure.
  static std::shared_ptr<Session> create(std::string id, std::string description);
  ~Session();  // takes the GIL to release the globals, from whichever thread drops it last

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& id() const { return id_; }
  const std::string& description() const { return description_; }
  PyObject* globals() const { return globals_; }

 private:
  Session(std::string id, std::string description, PyObject* globals)
      : id_(std::move(id)), description_(std::move(description)), globals_(globals) {}

  std::string id_;
  std::string description_;
  PyObject* globals_;
};

}  // namespace gearsd::engine
