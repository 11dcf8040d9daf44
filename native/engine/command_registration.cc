#include "engine/command_registration.h"

#include "engine/command_bridge.h"
#include "engine/context.h"
#include "engine/engine.h"
#include "engine/readers.h"
#include "engine/registrations.h"
#include "python/errors.h"
#include "python/gil.h"
#include "python/reply_objects.h"
#include "store/command.h"
#include "store/server_lock.h"


namespace gearsd::engine {
namespace {

// The one record of a trigger or hook execution: its argv as a list of str.
class ArgvInput final : public TriggerInput {
 public:
  explicit ArgvInput(std::vector<std::string> argv) : argv_(std::move(argv)) {}
  std::unique_ptr<Reader> makeReader(Execution& ex, store::Store&) override;

 private:
  friend class ArgvReader;
  std::vector<std::string> argv_;
};

class ArgvReader final : public Reader {
 public:
  explicit ArgvReader(const std::vector<std::string>& argv) : argv_(argv) {}
  bool run(StepRunner& runner) override {  // one record: finished after the first call
    python::GilHold gil;
    PyObject* list = PyList_New(static_cast<Py_ssize_t>(argv_.size()));
    for (size_t i = 0; list && i < argv_.size(); i++) {
      PyObject* s = python::textOrBytearray(argv_[i].data(), argv_[i].size());
      if (!s) Py_CLEAR(list);
      else PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), s);
    }
    if (!list) runner.readerError(python::takeErrorText());
    else runner.feed(list);
    return true;
  }

 private:
  const std::vector<std::string>& argv_;
};

std::unique_ptr<Reader> ArgvInput::makeReader(Execution&, store::Store&) {
  return std::make_unique<ArgvReader>(argv_);
}

}  // namespace

CommandRegistration::CommandRegistration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan,
                                         std::shared_ptr<Session> session, int db, PyObject* onRegistered,
                                         CommandArgs args)
    : Registration(seq, mode, std::move(plan), std::move(session), db, onRegistered), args_(std::move(args)) {}

void CommandRegistration::activate() {
  Engine::get().registry().addCommand(std::static_pointer_cast<CommandRegistration>(shared_from_this()));
}

void CommandRegistration::deactivate() { Engine::get().registry().removeCommand(this); }

bool CommandRegistration::hookMatches(const std::vector<std::string>& argv) const {
  if (!args_.keyprefix) return true;
  const store::CommandInfo* cmd = store::commandRegistry().find(*args_.hook);
  if (!cmd || cmd->firstKey <= 0) return false;
  int last = cmd->lastKey < 0 ? static_cast<int>(argv.size()) + cmd->lastKey : cmd->lastKey;
  int step = cmd->keyStep > 0 ? cmd->keyStep : 1;
  for (int i = cmd->firstKey; i <= last && i < static_cast<int>(argv.size()); i += step)
    if (argv[i].starts_with(*args_.keyprefix)) return true;
  return false;
}

std::shared_ptr<Execution> CommandRegistration::fire(int db, std::vector<std::string> record, bool hook, bool nested,
                                                     bool mayBlock) {
  std::string command = hook ? record.front() : std::string();
  std::shared_ptr<Execution> ex = newExecution(db, std::make_unique<ArgvInput>(std::move(record)));
  ex->replyStyle = hook ? ReplyStyle::Hook : ReplyStyle::Trigger;
  ex->hookedCommand = std::move(command);
  ex->keepReply = mode() == ExecMode::Sync && !nested;
  ex->keepResult = nested;
  ex->noAsync = !mayBlock;
  start(ex, args_.inorder && !nested);
  return ex;
}

void CommandRegistration::writeReaderData(store::ReplyBuilder& out, const Stats& s) const {
  writeLastError(out, s.lastError);
  out.bulk("args");
  out.arrayHeader(4);
  out.bulk("trigger");
  out.bulk(args_.trigger ? *args_.trigger : *args_.hook);
  out.bulk("inorder");
  out.integer(args_.inorder ? 1 : 0);
}

namespace {

// The hook below `self` in its command's chain that serves argv, or null. Server lock held.
std::shared_ptr<CommandRegistration> nextHook(const Registration* self, const std::vector<std::string>& argv) {
  const auto* chain = Engine::get().registry().hooksOf(store::lowerCommandName(argv.front()));
  if (!chain) return nullptr;
  bool below = false;
  for (const auto& r : *chain) {
    if (below && r->mode() == ExecMode::Sync && r->hookMatches(argv)) return r;
    below = below || r.get() == self;
  }
  return nullptr;
}

}  // namespace

// call_next(*args): the next hook of the chain (the older ones, GEARS_API.md §5.6), run inline,
// or the hooked command itself through execute().
PyObject* callNextHook(PyObject* args) {
  PyContext* ctx = currentContext();
  if (!ctx || !ctx->execution || ctx->execution->hookedCommand.empty())
    return python::raiseGearsError("Can not get CommandHook ctx");
  Execution& ex = *ctx->execution;
  const std::string& name = ex.hookedCommand;
  std::vector<std::string> argv{name};
  if (!appendArgv(&PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), argv)) return nullptr;
  std::shared_ptr<Execution> below;
  {
    python::GilRelease nogil;  // lock order: the server lock before the GIL
    store::ServerLockGuard lock;
    if (std::shared_ptr<CommandRegistration> next = nextHook(ex.registration.get(), argv))
      below = next->fire(ex.db(), argv, true, true);
  }
  if (below) {
    if (PyObject* r = below->keptResult) {
      below->keptResult = nullptr;
      return r;
    }
    return python::raiseGearsError(below->keptError.empty() ? "Failed executing command" : below->keptError);
  }
  // execute() takes the name as str and passes bytes arguments as they are.
  std::vector<PyObject*> items(argv.size());
  for (size_t i = 0; i < argv.size(); i++) {
    const char* p = argv[i].data();
    Py_ssize_t len = static_cast<Py_ssize_t>(argv[i].size());
    items[i] = i == 0 ? PyUnicode_DecodeUTF8(p, len, "replace") : PyBytes_FromStringAndSize(p, len);
    if (!items[i]) {
      for (size_t k = 0; k < i; k++) Py_DECREF(items[k]);
      return nullptr;
    }
  }
  PyObject* r = executeCommand(items.data(), static_cast<Py_ssize_t>(items.size()));
  for (PyObject* o : items) Py_DECREF(o);
  return r;
}

}  // namespace gearsd::engine
