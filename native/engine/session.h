// A session: what one RG.PYEXECUTE creates (GEARS_API.md §8). It owns the script's globals
// dict, which every plan, execution and registration the script makes keeps using, so a
// session lives as long as anything it created (shared_ptr). The session table
// (sessions.h) lists the ones whose registrations were applied.
#pragma once
#include <Python.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gearsd::engine {

class Session {
 public:
  // A session with fresh globals (GIL held); nullptr with a Python exception set on failure.
  static std::shared_ptr<Session> create(std::string id, std::optional<std::string> description);
  ~Session();  // takes the GIL to release the globals, from whichever thread drops it last

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& id() const { return id_; }
  const std::optional<std::string>& description() const { return description_; }
  PyObject* globals() const { return globals_; }

  // ---- kept by the session table (main thread, server lock held) ---------------------------
  bool linked = false;  // listed by RG.PYDUMPSESSIONS ('linkedTo': primary)
  bool dead = false;    // unlinked by an UPGRADE / REPLACE_WITH while still referenced
  // Its registrations' seqs, in RedisGears' order (appended; a removal moves the last one
  // into the gap).
  std::vector<uint64_t> registrations;

 private:
  Session(std::string id, std::optional<std::string> description, PyObject* globals)
      : id_(std::move(id)), description_(std::move(description)), globals_(globals) {}

  std::string id_;
  std::optional<std::string> description_;
  PyObject* globals_;
};

}  // namespace gearsd::engine
