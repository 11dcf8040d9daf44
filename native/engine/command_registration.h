// CommandReader.register() (GEARS_API.md §5.6): a trigger, run by RG.TRIGGER / RG.TRIGGERONKEY,
// or a hook, which serves a client's command in place of the command itself (call_next() runs
// the command). Its executions read one record, the argv they were given as a list of str.
//
// The registration table keeps triggers by name and hooks by command (hooks.cc in TS asks
// which commands are hooked, and sends those here first).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/registration.h"

namespace gearsd::engine {

struct CommandArgs {
  std::optional<std::string> trigger;
  std::optional<std::string> hook;       // lower case
  std::optional<std::string> keyprefix;  // hooks only
  bool inorder = false;
};

class CommandRegistration final : public Registration {
 public:
  CommandRegistration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session,
                      int db, PyObject* onRegistered, CommandArgs args);

  const char* readerName() const override { return "CommandReader"; }
  void activate() override;
  void deactivate() override;
  const CommandArgs& args() const { return args_; }

  // Does this hook serve argv? (keyprefix: some key argument starts with it.) Server lock held.
  bool hookMatches(const std::vector<std::string>& argv) const;
  // An execution reading `record`, started by mode: a sync one has finished on return, with its
  // reply kept (keptReply). Server lock held. Not announced to TS: the caller lists it.
  // `nested`: run by call_next() of the hook above (its result is kept as a Python object).
  // mayBlock false (MULTI, Lua): a step may not await (`Creating async record is not allowed`).
  std::shared_ptr<Execution> fire(int db, std::vector<std::string> record, bool hook, bool nested = false,
                                 bool mayBlock = true);

 protected:
  size_t readerDataLength() const override { return 4; }
  void writeReaderData(store::ReplyBuilder& out, const Stats& s) const override;

 private:
  CommandArgs args_;
};

}  // namespace gearsd::engine
