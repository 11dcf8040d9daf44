#include "engine/keys_registration.h"

#include <strings.h>

#include "engine/command_ctx.h"
#include "engine/engine.h"
#include "engine/event_router.h"
#include "engine/readers.h"
#include "engine/registrations.h"

namespace gearsd::engine {
namespace {

constexpr const char* kKeyTypes[] = {"empty", "string", "list", "hash", "set", "zset", "module", "stream"};

int keyTypeIndex(std::string_view name) {
  for (int i = 0; i < 8; i++)
    if (name == kKeyTypes[i]) return i;
  return -1;
}

int valueTypeIndex(store::ValueType t) {
  switch (t) {
    case store::ValueType::String: return 1;
    case store::ValueType::List: return 2;
    case store::ValueType::Hash: return 3;
    case store::ValueType::Set: return 4;
    case store::ValueType::ZSet: return 5;
    case store::ValueType::Stream: return 7;
  }
  return 6;
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The key an event touched, read when the execution runs (GEARS_API.md §5.1: async
// executions read the value late).
class KeyEventInput final : public TriggerInput {
 public:
  KeyEventInput(std::string_view key, std::string_view event, bool readValue)
      : key_(key), event_(event), readValue_(readValue) {}
  std::unique_ptr<Reader> makeReader(Execution& ex, store::Store& store) override {
    return makeKeyEventReader(ex, store, key_, event_, readValue_);
  }

 private:
  std::string key_;
  std::string event_;
  bool readValue_;
};

}  // namespace

KeysRegistration::KeysRegistration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan,
                                   std::shared_ptr<Session> session, int db, PyObject* onRegistered, KeysArgs args)
    : Registration(seq, mode, std::move(plan), std::move(session), db, onRegistered),
      args_(std::move(args)),
      prefix_(args_.prefix) {
  if (args_.keyTypes)
    for (const std::string& t : *args_.keyTypes)
      if (int i = keyTypeIndex(t); i >= 0) typeMask_ |= 1u << i;  // names were checked in Python
}

void KeysRegistration::activate() {
  Engine::get().registry().router().addKeys(std::static_pointer_cast<KeysRegistration>(shared_from_this()));
}

void KeysRegistration::deactivate() { Engine::get().registry().router().removeKeys(this); }

bool KeysRegistration::matches(store::Store& store, store::Db& db, std::string_view event, std::string_view key,
                               const CommandCtx* command) const {
  if (!prefix_.matches(key)) return false;
  if (args_.eventTypes) {
    bool found = false;
    for (const std::string& t : *args_.eventTypes) found = found || sameName(t, event);
    if (!found) return false;
  }
  if (args_.commands) {
    if (!command) return false;
    bool found = false;
    for (const std::string& c : *args_.commands) found = found || sameName(c, command->argv[0]);
    if (!found) return false;
  }
  if (args_.keyTypes) {
    const store::KeyEntry* e = store.peek(db, key);
    int type = (e && !store.isExpired(db, e, store::nowMs())) ? valueTypeIndex(e->type) : 0;
    if (!(typeMask_ & (1u << type))) return false;
  }
  return true;
}

void KeysRegistration::fire(store::Db& db, std::string_view event, std::string_view key,
                            const std::shared_ptr<CommandCtx>& command, bool mayBlock, bool denyAsync) {
  auto input = std::make_unique<KeyEventInput>(key, event, args_.readValue);
  // In MULTI the client cannot wait, so only a sync execution (done before EXEC replies)
  // holds the hooked command back.
  std::shared_ptr<CommandCtx> holds =
      command && args_.commands && (mode() == ExecMode::Sync || mayBlock) ? command : nullptr;
  if (mode() != ExecMode::Sync) return queueLater(db.id, std::move(input), std::move(holds));
  std::shared_ptr<Execution> ex = newExecution(db.id, std::move(input));
  ex->listWhenDone = true;
  ex->commandCtx = std::move(holds);
  ex->noAsync = denyAsync;
  Engine::get().registry().router().defer(std::move(ex));
}

void KeysRegistration::writeReaderData(store::ReplyBuilder& out, const Stats& s) const {
  writeLastError(out, s.lastError);
  out.bulk("args");
  out.arrayHeader(8);
  out.bulk("regex");
  out.bulk(args_.prefix);
  out.bulk("eventTypes");
  writeNames(out, args_.eventTypes);
  out.bulk("keyTypes");
  writeNames(out, args_.keyTypes);
  out.bulk("hookCommands");
  writeNames(out, args_.commands);
}

}  // namespace gearsd::engine
