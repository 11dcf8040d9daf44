// The session table (GEARS_API.md §8, RG.PYDUMPSESSIONS): the sessions whose registrations
// were applied, by id, and the dead ones (unlinked by an UPGRADE or REPLACE_WITH while
// something still used them). Entries are weak: a session leaves the table by itself once
// nothing uses it any more (its registrations are gone and its executions finished), as a
// RedisGears session is freed with its last reference.
//
// Main thread, server lock held.
#pragma once
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/session.h"

namespace gearsd::engine {

class SessionTable {
 public:
  std::shared_ptr<Session> find(const std::string& id);
  void link(const std::shared_ptr<Session>& s);
  // Takes a session out of the table; it is listed as dead while still referenced.
  void unlink(const std::shared_ptr<Session>& s);
  std::vector<std::shared_ptr<Session>> linkedSessions();  // by id
  std::vector<std::shared_ptr<Session>> deadSessions();    // in the order they died

 private:
  std::map<std::string, std::weak_ptr<Session>> linked_;
  std::list<std::weak_ptr<Session>> dead_;
};

// The PD text RG.DUMPREGISTRATIONS shows for a session. refCount is how many hold it.
std::string sessionDescriptor(const Session& s, long refCount);
inline std::string sessionDescriptor(const std::shared_ptr<Session>& s) { return sessionDescriptor(*s, s.use_count()); }

}  // namespace gearsd::engine
