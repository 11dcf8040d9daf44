// The native side of the command table.
//
// TS owns each command's metadata (name, arity, flags, keys: src/commands/). The data
// commands are implemented here: each family file ends with a register<Family>Family()
// block that names its handlers, and families.cc wires every family from one list. At
// start-up TS binds its table entries to these handlers by name and passes the arity and
// flags down (bindCommand), so native callers (Python's execute()) check them from the
// same single declaration.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/keyspace.h"
#include "store/reply.h"

namespace gearsd::store {

// Who is calling: what a command may do depends on it (blocking, for one).
enum CallerFlags : uint32_t {
  kCallerClient = 0,
  kCallerDenyBlocking = 1 << 0,  // MULTI/EXEC, Python execute(): blocking commands answer at once
  kCallerPython = 1 << 1,
  // The re-run of a blocked command because a key it waits on was signalled ready (TS,
  // src/blocking-keys.ts). Commands whose wake-up answers differ from a first run (XREADGROUP
  // whose group vanished) can tell by this.
  kCallerWakeUp = 1 << 2,
  // The client said HELLO 3: the reply is RESP3 (the arena's RespReply is switched per call).
  kCallerResp3 = 1 << 3,
};

struct CommandContext {
  Store& store;
  Db* db;  // the caller's selected database
  const std::vector<std::string_view>& argv;
  ReplyBuilder& reply;
  int64_t now;           // ms; one clock reading per command, as Redis caches it
  uint32_t caller = kCallerClient;
  bool wouldBlock = false;  // set by blocking commands that found nothing and may block
  // With wouldBlock: the argv to re-run when the client wakes, when it differs from the
  // original (XREAD's `$` must mean the last id at the time of blocking, not of waking).
  std::vector<std::string> blockRetryArgv;

  size_t argc() const { return argv.size(); }
  std::string_view arg(size_t i) const { return argv[i]; }
};

using CommandHandler = void (*)(CommandContext&);

// TS-declared command flags that native needs to know (a subset of Redis's).
enum CommandFlags : uint32_t {
  kCmdWrite = 1 << 0,
  kCmdReadonly = 1 << 1,
  kCmdNoScript = 1 << 2,   // not callable from scripts / execute()
  kCmdBlocking = 1 << 3,
  kCmdMovableKeys = 1 << 4,
};

struct CommandInfo {
  std::string name;  // lower case
  CommandHandler handler = nullptr;  // null: lives in TS
  int arity = 0;                     // Redis convention: -N means at least N
  uint32_t flags = 0;
  int firstKey = 0, lastKey = 0, keyStep = 0;
  int id = -1;
};

// A command name as the registry keys it (CommandRegistry::find): lower case, ASCII only.
inline std::string lowerCommandName(std::string_view name) {
  std::string s(name);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

class CommandRegistry {
 public:
  // Called by family register blocks.
  void add(const char* name, CommandHandler handler);

  // Called by TS for every table entry; returns the command id (native or not).
  int bind(std::string_view name, int arity, uint32_t flags, int firstKey, int lastKey, int keyStep);

  const CommandInfo* byId(int id) const { return id >= 0 && id < static_cast<int>(byId_.size()) ? byId_[id] : nullptr; }
  const CommandInfo* find(std::string_view lowerName) const;
  bool arityOk(const CommandInfo& c, size_t argc) const {
    return c.arity >= 0 ? argc == static_cast<size_t>(c.arity) : argc >= static_cast<size_t>(-c.arity);
  }
  // Names with a handler that TS never bound (a table entry is missing).
  std::vector<std::string> unboundHandlers() const;

 private:
  std::unordered_map<std::string, CommandInfo> commands_;
  std::vector<CommandInfo*> byId_;
};

CommandRegistry& commandRegistry();

// Wires every family (families.cc).
void registerAllFamilies(CommandRegistry& r);

}  // namespace gearsd::store
