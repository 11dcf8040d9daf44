#include "engine/sessions.h"

#include "engine/ids.h"

namespace gearsd::engine {

std::shared_ptr<Session> SessionTable::find(const std::string& id) {
  auto it = linked_.find(id);
  if (it == linked_.end()) return nullptr;
  std::shared_ptr<Session> s = it->second.lock();
  if (!s) linked_.erase(it);
  return s;
}

void SessionTable::link(const std::shared_ptr<Session>& s) {
  linked_[s->id()] = s;
  s->linked = true;
}

void SessionTable::unlink(const std::shared_ptr<Session>& s) {
  auto it = linked_.find(s->id());
  if (it != linked_.end() && it->second.lock() == s) linked_.erase(it);
  s->linked = false;
  s->dead = true;
  dead_.push_back(s);
}

std::vector<std::shared_ptr<Session>> SessionTable::linkedSessions() {
  std::vector<std::shared_ptr<Session>> out;
  for (auto it = linked_.begin(); it != linked_.end();) {
    if (std::shared_ptr<Session> s = it->second.lock()) {
      out.push_back(std::move(s));
      ++it;
    } else {
      it = linked_.erase(it);
    }
  }
  return out;
}

std::vector<std::shared_ptr<Session>> SessionTable::deadSessions() {
  std::vector<std::shared_ptr<Session>> out;
  for (auto it = dead_.begin(); it != dead_.end();) {
    if (std::shared_ptr<Session> s = it->lock()) {
      out.push_back(std::move(s));
      ++it;
    } else {
      it = dead_.erase(it);
    }
  }
  return out;
}

std::string sessionDescriptor(const Session& s, long refCount) {
  std::string regs = "[";
  for (size_t i = 0; i < s.registrations.size(); i++) {
    if (i) regs += ',';
    regs += "'" + gearsId(s.registrations[i]) + "'";
  }
  regs += "]";
  return "{'sessionName':'" + s.id() + "', 'sessionDescription':'" + (s.description() ? *s.description() : "null") +
         "', 'refCount': " + std::to_string(refCount) + ", 'linkedTo': " + (s.linked ? "primary" : "None") +
         ", 'dead': " + (s.dead ? "true" : "false") + ", 'isInstallationNeeded':0, 'registrationsList':" + regs +
         ", 'depsList':[]}";
}

}  // namespace gearsd::engine
