// The registration table: every active registration by id, listed in RedisGears' own dict
// order (RG.DUMPREGISTRATIONS), the sessions that own them, and the event router that
// matches keyspace events against them.
//
// apply() makes a script's registrations active atomically (GEARS_API.md §8): with UPGRADE
// or REPLACE_WITH it first unregisters the old session's registrations (aborting their
// pending executions) and unlinks that session, then links the new one and registers, then
// runs each onRegistered callback.
//
// Main thread, server lock held (the router is also entered from execution threads, always
// under the server lock).
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/event_router.h"
#include "engine/registration.h"
#include "engine/sessions.h"
#include "python/gears_dict.h"

namespace gearsd::engine {

class CommandRegistration;

class RegistrationTable {
 public:
  // Returns the seqs of the registrations it removed from `replaces`.
  std::vector<uint64_t> apply(const std::shared_ptr<Session>& session, const std::shared_ptr<Session>& replaces,
                              const std::vector<std::shared_ptr<Registration>>& registrations);
  // Null when there is no such registration.
  std::shared_ptr<Registration> remove(uint64_t seq, bool abortPending);
  std::shared_ptr<Registration> find(uint64_t seq) const;
  // In RedisGears' dict order.
  std::vector<std::shared_ptr<Registration>> listed();
  // RG.CLEARREGISTRATIONSSTATS.
  void clearStats();
  // One RG.PYDUMPSESSIONS entry (GEARS_API.md §3); VERBOSE lists registrations in full.
  void writeSession(store::ReplyBuilder& out, const std::shared_ptr<Session>& s, bool verbose);

  // CommandReader registrations: triggers by name (case-sensitive), hooks by command (lower
  // case), newest first.
  void addCommand(const std::shared_ptr<CommandRegistration>& r);
  void removeCommand(const CommandRegistration* r);
  std::shared_ptr<CommandRegistration> findTrigger(const std::string& name) const;
  const std::vector<std::shared_ptr<CommandRegistration>>* hooksOf(const std::string& lowerName) const;
  // The commands a client's call must be shown to the engine first (lower case): hooked ones,
  // and those KeysReader registrations list in commands=.
  std::vector<std::string> hookedCommands() const;
  std::vector<std::string> keysCommands() const;

  SessionTable& sessions() { return sessions_; }
  EventRouter& router() { return router_; }

 private:
  void add(const std::shared_ptr<Registration>& r);
  void callOnRegistered(const Registration& r);

  std::unordered_map<uint64_t, std::shared_ptr<Registration>> byId_;
  python::GearsDict<uint64_t> listing_;
  SessionTable sessions_;
  EventRouter router_;
  std::unordered_map<std::string, std::shared_ptr<CommandRegistration>> triggers_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<CommandRegistration>>> hooks_;
};

}  // namespace gearsd::engine
