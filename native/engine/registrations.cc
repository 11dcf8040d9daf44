#include "engine/registrations.h"

#include <algorithm>
#include <set>

#include "engine/command_bridge.h"
#include "engine/command_registration.h"
#include "engine/keys_registration.h"
#include "engine/context.h"
#include "engine/engine.h"
#include "engine/ids.h"
#include "python/errors.h"
#include "python/gil.h"
#include "store/command.h"

namespace gearsd::engine {

std::vector<uint64_t> RegistrationTable::apply(const std::shared_ptr<Session>& session,
                                               const std::shared_ptr<Session>& replaces,
                                               const std::vector<std::shared_ptr<Registration>>& registrations) {
  std::vector<uint64_t> removed;
  if (replaces) {
    std::vector<uint64_t> old = replaces->registrations;
    for (uint64_t seq : old)
      if (remove(seq, true)) removed.push_back(seq);
    sessions_.unlink(replaces);
  }
  sessions_.link(session);
  for (const std::shared_ptr<Registration>& r : registrations) add(r);
  for (const std::shared_ptr<Registration>& r : registrations)
    if (r->onRegistered()) callOnRegistered(*r);
  return removed;
}

void RegistrationTable::add(const std::shared_ptr<Registration>& r) {
  byId_[r->seq()] = r;
  listing_.add(binaryId(r->seq()), r->seq());
  r->session()->registrations.push_back(r->seq());
  r->setActive(true);
  r->activate();
}

std::shared_ptr<Registration> RegistrationTable::remove(uint64_t seq, bool abortPending) {
  auto it = byId_.find(seq);
  if (it == byId_.end()) return nullptr;
  std::shared_ptr<Registration> r = it->second;
  byId_.erase(it);
  listing_.erase(binaryId(seq));
  r->deactivate();
  r->setActive(false);
  r->dropKept();
  if (abortPending) r->abortPending();
  std::vector<uint64_t>& regs = r->session()->registrations;
  for (size_t i = 0; i < regs.size(); i++) {
    if (regs[i] != seq) continue;
    regs[i] = regs.back();  // RedisGears' array_del_fast
    regs.pop_back();
    break;
  }
  return r;
}

std::shared_ptr<Registration> RegistrationTable::find(uint64_t seq) const {
  auto it = byId_.find(seq);
  return it == byId_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Registration>> RegistrationTable::listed() {
  std::vector<std::shared_ptr<Registration>> out;
  out.reserve(listing_.size());
  listing_.forEach([&](const std::string&, uint64_t& seq) { out.push_back(byId_[seq]); });
  return out;
}

void RegistrationTable::addCommand(const std::shared_ptr<CommandRegistration>& r) {
  if (r->args().trigger) triggers_[*r->args().trigger] = r;
  else hooks_[*r->args().hook].insert(hooks_[*r->args().hook].begin(), r);
}

void RegistrationTable::removeCommand(const CommandRegistration* r) {
  if (r->args().trigger) {
    auto it = triggers_.find(*r->args().trigger);
    if (it != triggers_.end() && it->second.get() == r) triggers_.erase(it);
    return;
  }
  auto it = hooks_.find(*r->args().hook);
  if (it == hooks_.end()) return;
  auto& chain = it->second;
  chain.erase(std::remove_if(chain.begin(), chain.end(), [r](const auto& p) { return p.get() == r; }), chain.end());
  if (chain.empty()) hooks_.erase(it);
}

std::shared_ptr<CommandRegistration> RegistrationTable::findTrigger(const std::string& name) const {
  auto it = triggers_.find(name);
  return it == triggers_.end() ? nullptr : it->second;
}

const std::vector<std::shared_ptr<CommandRegistration>>* RegistrationTable::hooksOf(const std::string& lowerName) const {
  auto it = hooks_.find(lowerName);
  return it == hooks_.end() ? nullptr : &it->second;
}

std::vector<std::string> RegistrationTable::hookedCommands() const {
  std::vector<std::string> names;
  for (const auto& [name, chain] : hooks_) names.push_back(name);
  return names;
}

std::vector<std::string> RegistrationTable::keysCommands() const {
  std::set<std::string> names;
  for (const auto& [seq, r] : byId_) {
    if (std::string_view(r->readerName()) != "KeysReader") continue;
    const auto& commands = static_cast<const KeysRegistration&>(*r).args().commands;
    for (const std::string& c : commands ? *commands : std::vector<std::string>()) names.insert(store::lowerCommandName(c));
  }
  return {names.begin(), names.end()};
}

void RegistrationTable::clearStats() {
  for (auto& [seq, r] : byId_) r->clearStats();
}

void RegistrationTable::writeSession(store::ReplyBuilder& out, const std::shared_ptr<Session>& s, bool verbose) {
  out.arrayHeader(16);
  out.bulk("ID");
  out.bulk(s->id());
  out.bulk("sessionDescription");
  if (s->description()) out.bulk(*s->description());
  else out.nullBulk();
  out.bulk("refCount");
  out.integer(s.use_count() - 1);  // the caller's own reference aside
  out.bulk("linked");
  out.bulk(s->linked ? "primary" : "None");
  out.bulk("dead");
  out.bulk(s->dead ? "true" : "false");
  out.bulk("requirementInstallationNeeded");
  out.integer(0);
  out.bulk("requirements");
  out.arrayHeader(0);  // requirements are not supported (RG.PYDUMPREQS is empty)
  out.bulk("registrations");
  out.arrayHeader(s->registrations.size());
  for (uint64_t seq : s->registrations) {
    std::shared_ptr<Registration> r = verbose ? find(seq) : nullptr;
    if (r) r->writeDump(out, false);
    else out.bulk(gearsId(seq));
  }
}

// onRegistered() runs on the main thread in the session's context; its errors are only
// logged (GEARS_API.md §4.3).
void RegistrationTable::callOnRegistered(const Registration& r) {
  PyContext ctx;
  ctx.session = r.session();
  ctx.db = r.db();
  AtomicFrame frame;
  ContextScope scope(&ctx);
  python::GilHold gil;
  PyObject* ret = PyObject_CallNoArgs(r.onRegistered());
  std::string error;
  if (!ret) error = python::takeErrorText();
  else if (PyCoro_CheckExact(ret)) error = "Coroutines are not allow";
  Py_XDECREF(ret);
  leaveForgottenAtomic();
  if (error.empty()) return;
  Event e{Event::Kind::Log};
  e.level = "warning";
  e.text = "Error occured on RedisGearsPy_OnRegistered, error='" + error + "'";
  Engine::get().host().post(std::move(e));
}

}  // namespace gearsd::engine
