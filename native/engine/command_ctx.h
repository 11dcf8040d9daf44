// A hooked command of a KeysReader registration given `commands=` (GEARS_API.md §5.1): the
// client's argv, the command's own reply, and the reply an execution may put in its place
// with override_reply(). The command and every execution it triggered hold it; the client
// gets its answer when the last of them lets go: at once when nothing is pending, otherwise
// through a CommandDone event TS waits for (waitId).
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gearsd::engine {

struct CommandCtx {
  explicit CommandCtx(std::vector<std::string> args) : argv(std::move(args)) {}
  ~CommandCtx();  // posts CommandDone when TS waits
  CommandCtx(const CommandCtx&) = delete;
  CommandCtx& operator=(const CommandCtx&) = delete;

  const std::vector<std::string> argv;

  // override_reply(): the first caller wins. `reply` is RESP bytes.
  bool setOverride(std::string reply);
  // The command's own reply (set once it ran).
  void setReply(std::string reply);
  // What the client gets: the override, or the command's reply.
  std::string finalReply();
  // TS waits for this id: the last holder posts the reply under it.
  void waitAs(uint64_t id);

 private:
  std::mutex mu_;
  std::optional<std::string> override_;
  std::string reply_;
  uint64_t waitId_ = 0;
};

}  // namespace gearsd::engine
