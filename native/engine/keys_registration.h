// KeysReader.register() (GEARS_API.md §5.1): one execution per matching keyspace event,
// reading the key the event touched. Matching, in RedisGears' terms: the prefix (a trailing
// `*` means starts-with, anything else is the exact key), eventTypes (case-insensitive),
// commands= (only while a hooked command runs), keyTypes (the key's type when the event
// fires: a deleted or expired key is `empty`).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/registration.h"
#include "store/keyspace.h"

namespace gearsd::engine {

struct KeysArgs {
  std::string prefix = "*";
  std::optional<std::vector<std::string>> eventTypes;
  std::optional<std::vector<std::string>> keyTypes;  // empty|string|list|hash|set|zset|module|stream
  bool readValue = true;
  std::optional<std::vector<std::string>> commands;  // hooked commands, as given (matched ignoring case)
};

class KeysRegistration final : public Registration {
 public:
  KeysRegistration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session,
                   int db, PyObject* onRegistered, KeysArgs args);

  const char* readerName() const override { return "KeysReader"; }
  void activate() override;
  void deactivate() override;
  const KeysArgs& args() const { return args_; }

  // Does this event fire it? Server lock held. `command` is the hooked command running, if any.
  bool matches(store::Store& store, store::Db& db, std::string_view event, std::string_view key,
               const CommandCtx* command) const;
  // One execution for the event: sync ones run after the command (EventRouter::defer),
  // the others go to this registration's queue now. Server lock held. `denyAsync`: the write
  // came from MULTI/EXEC or execute(), so a sync execution's steps may not await.
  void fire(store::Db& db, std::string_view event, std::string_view key, const std::shared_ptr<CommandCtx>& command,
            bool mayBlock, bool denyAsync);

 protected:
  size_t readerDataLength() const override { return 4; }
  void writeReaderData(store::ReplyBuilder& out, const Stats& s) const override;

 private:
  KeysArgs args_;
  KeyPrefix prefix_;
  uint32_t typeMask_ = 0;    // keyTypes as bits of keyTypeIndex()
};

}  // namespace gearsd::engine
