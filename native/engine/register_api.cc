// The engine's side of register() and of the functions that belong to a registration's
// execution (python/registration_api.h).
//
// register() is called in a script body. The Python half has already checked the arguments'
// types with RedisGears' texts (lib/gears_builder.py); here they become a registration of the
// reader's kind, after the checks that need the server's state (a trigger name taken, a
// command that cannot be hooked). Nothing is active until the script has succeeded
// (Engine::runScript applies the script's registrations).
#include <optional>
#include <string>
#include <vector>

#include "engine/command_ctx.h"
#include "engine/command_registration.h"
#include "engine/context.h"
#include "engine/engine.h"
#include "engine/keys_registration.h"
#include "engine/registrations.h"
#include "engine/stream_registration.h"
#include "python/errors.h"
#include "python/registration_api.h"
#include "python/results.h"
#include "store/command.h"
#include "store/resp_reply.h"

namespace gearsd::engine {
namespace {

using python::textOf;

// None, or a list of str.
bool namesOf(PyObject* o, std::optional<std::vector<std::string>>& out) {
  if (o == Py_None) return true;
  if (!PyList_Check(o)) return false;
  out.emplace();
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(o); i++) {
    std::string s;
    if (!textOf(PyList_GET_ITEM(o, i), s)) return false;
    out->push_back(std::move(s));
  }
  return true;
}

bool modeOf(PyObject* o, ExecMode& mode) {
  std::string s;
  if (!textOf(o, s)) return false;
  if (s == "sync") mode = ExecMode::Sync;
  else if (s == "async") mode = ExecMode::Async;
  else if (s == "async_local") mode = ExecMode::AsyncLocal;
  else return false;
  return true;
}

// (prefix, eventTypes, keyTypes, readValue, commands)
bool keysArgsOf(PyObject* t, KeysArgs& a) {
  return PyTuple_Check(t) && PyTuple_GET_SIZE(t) == 5 && textOf(PyTuple_GET_ITEM(t, 0), a.prefix) &&
         namesOf(PyTuple_GET_ITEM(t, 1), a.eventTypes) && namesOf(PyTuple_GET_ITEM(t, 2), a.keyTypes) &&
         PyBool_Check(PyTuple_GET_ITEM(t, 3)) && (a.readValue = PyTuple_GET_ITEM(t, 3) == Py_True, true) &&
         namesOf(PyTuple_GET_ITEM(t, 4), a.commands);
}

bool intOf(PyObject* o, int64_t& out) {
  if (!PyLong_Check(o)) return false;
  out = PyLong_AsLongLong(o);
  if (out == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    return false;
  }
  return true;
}

// (prefix, batch, duration, policy, retryInterval, trimStream)
bool streamArgsOf(PyObject* t, StreamArgs& a) {
  return PyTuple_Check(t) && PyTuple_GET_SIZE(t) == 6 && textOf(PyTuple_GET_ITEM(t, 0), a.prefix) &&
         intOf(PyTuple_GET_ITEM(t, 1), a.batch) && intOf(PyTuple_GET_ITEM(t, 2), a.durationMs) &&
         textOf(PyTuple_GET_ITEM(t, 3), a.policy) && intOf(PyTuple_GET_ITEM(t, 4), a.retrySeconds) &&
         PyBool_Check(PyTuple_GET_ITEM(t, 5)) && (a.trim = PyTuple_GET_ITEM(t, 5) == Py_True, true);
}

// None or a str.
bool optionalTextOf(PyObject* o, std::optional<std::string>& out) {
  if (o == Py_None) return true;
  out.emplace();
  return textOf(o, *out);
}

// (trigger, hook, keyprefix, inorder)
bool commandArgsOf(PyObject* t, CommandArgs& a) {
  return PyTuple_Check(t) && PyTuple_GET_SIZE(t) == 4 && optionalTextOf(PyTuple_GET_ITEM(t, 0), a.trigger) &&
         optionalTextOf(PyTuple_GET_ITEM(t, 1), a.hook) && optionalTextOf(PyTuple_GET_ITEM(t, 2), a.keyprefix) &&
         PyBool_Check(PyTuple_GET_ITEM(t, 3)) && (a.inorder = PyTuple_GET_ITEM(t, 3) == Py_True, true);
}

const store::CommandInfo* knownCommand(const std::string& lower) {
  const store::CommandInfo* cmd = store::commandRegistry().find(lower);
  return cmd && cmd->id >= 0 ? cmd : nullptr;
}

// The checks of a trigger or hook that need the registrations already there (read on the
// main thread, which alone changes them) and those this script made. "" when it may register.
std::string commandRegistrationError(const PyContext& ctx, CommandArgs& a) {
  RegistrationTable& table = Engine::get().registry();
  auto mine = [&](const std::shared_ptr<CommandRegistration>& r) { return ctx.replaces && r->session() == ctx.replaces; };
  auto pendingCommand = [&](auto&& pred) {
    for (const auto& r : ctx.registrations)
      if (std::string_view(r->readerName()) == "CommandReader" && pred(static_cast<const CommandRegistration&>(*r)))
        return true;
    return false;
  };
  if (a.trigger) {
    if (pendingCommand([&](const CommandRegistration& r) { return r.args().trigger == a.trigger; }))
      return "trigger already registered in this session";
    std::shared_ptr<CommandRegistration> taken = table.findTrigger(*a.trigger);
    if (taken && !mine(taken)) return "trigger already registered";
    return "";
  }
  a.hook = store::lowerCommandName(*a.hook);
  const store::CommandInfo* cmd = knownCommand(*a.hook);
  if (!cmd) return "Can not override an unexisting command";
  if (cmd->flags & store::kCmdNoScript) return "Can not override a command which are not allowed inside a script";
  if (a.keyprefix && (cmd->flags & store::kCmdMovableKeys)) return "Can not override a command with moveable keys by key prefix";
  if (pendingCommand([&](const CommandRegistration& r) { return r.args().hook == a.hook && r.mode() != ExecMode::Sync; }))
    return "Can not override a none sync registration which already created on this session";
  if (const auto* chain = table.hooksOf(*a.hook))
    for (const auto& r : *chain)
      if (!mine(r) && r->mode() != ExecMode::Sync) return "Can not override a none sync registration";
  return "";
}

// commands= of a KeysReader registration (GEARS_API.md §5.1).
std::string hookedCommandsError(const KeysArgs& a) {
  for (const std::string& c : a.commands ? *a.commands : std::vector<std::string>()) {
    const store::CommandInfo* cmd = knownCommand(store::lowerCommandName(c));
    if (!cmd) continue;  // no such command: nothing will ever fire through it
    if (cmd->flags & store::kCmdNoScript) return "Can not hook a command which are not allowed inside a script";
    if (cmd->flags & store::kCmdMovableKeys) return "Can not hook a command with moveable keys by key prefix";
    if (cmd->firstKey <= 0) return "Can not hook a command by key prefix with none positive first key";
  }
  return "";
}

// _register(reader, desc, steps, mode, onRegistered, readerArgs) -> the registration's id
PyObject* registerPlan(PyObject* const* args, Py_ssize_t nargs) {
  PyContext* ctx = currentContext();
  if (!ctx) return python::raiseGearsError("Can not create a gearsCtx on a python created thread");
  if (!ctx->inScript) return python::raiseGearsError("register() can only be called in the script of RG.PYEXECUTE");
  ExecMode mode;
  if (nargs != 6 || !modeOf(args[3], mode)) return python::raiseGearsError("malformed registration");
  std::string error;
  std::shared_ptr<Plan> plan = Plan::buildRegistered(args[0], args[1], args[2], error);
  if (!plan) return python::raiseGearsError(error);
  PyObject* onRegistered = args[4] == Py_None ? nullptr : args[4];
  Engine& eng = Engine::get();
  std::shared_ptr<Registration> r;
  switch (plan->reader().kind) {
    case ReaderKind::Keys: {
      KeysArgs a;
      if (!keysArgsOf(args[5], a)) return python::raiseGearsError("malformed registration");
      if (std::string e = hookedCommandsError(a); !e.empty()) return python::raiseGearsError(e);
      Py_XINCREF(onRegistered);
      r = std::make_shared<KeysRegistration>(eng.consumePlanId(), mode, std::move(plan), ctx->session, ctx->db,
                                             onRegistered, std::move(a));
      break;
    }
    case ReaderKind::Stream: {
      StreamArgs a;
      if (!streamArgsOf(args[5], a)) return python::raiseGearsError("malformed registration");
      Py_XINCREF(onRegistered);
      r = std::make_shared<StreamRegistration>(eng.consumePlanId(), mode, std::move(plan), ctx->session, ctx->db,
                                               onRegistered, std::move(a));
      break;
    }
    case ReaderKind::Command: {
      CommandArgs a;
      if (!commandArgsOf(args[5], a)) return python::raiseGearsError("malformed registration");
      if (std::string e = commandRegistrationError(*ctx, a); !e.empty()) return python::raiseGearsError(e);
      Py_XINCREF(onRegistered);
      r = std::make_shared<CommandRegistration>(eng.consumePlanId(), mode, std::move(plan), ctx->session, ctx->db,
                                                onRegistered, std::move(a));
      break;
    }
    default:
      return python::raiseGearsError("given reader does not exists or does not support register");
  }
  ctx->registrations.push_back(r);
  std::string id = r->id();
  return PyUnicode_FromStringAndSize(id.data(), static_cast<Py_ssize_t>(id.size()));
}

void newPlan() { Engine::get().consumePlanId(); }

// The hooked command of the running execution (commands=), or null.
CommandCtx* commandOfThisExecution() {
  PyContext* ctx = currentContext();
  return ctx && ctx->execution ? ctx->execution->commandCtx.get() : nullptr;
}

PyObject* overrideReply(PyObject* args) {
  CommandCtx* cmd = commandOfThisExecution();
  if (!cmd) return python::raiseGearsError("Can not get command ctx");
  if (PyTuple_GET_SIZE(args) != 1) return python::raiseGearsError("Override reply must get a single argument");
  store::RespReply reply;
  python::writeResult(PyTuple_GET_ITEM(args, 0), reply);
  if (!cmd->setOverride(std::move(reply.buffer()))) return python::raiseGearsError("Can only override reply once");
  Py_RETURN_NONE;
}

PyObject* getCommand() {
  CommandCtx* cmd = commandOfThisExecution();
  if (!cmd) return python::raiseGearsError("Can not get command ctx");
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(cmd->argv.size()));
  if (!list) return nullptr;
  for (size_t i = 0; i < cmd->argv.size(); i++) {
    PyObject* s = PyUnicode_DecodeUTF8(cmd->argv[i].data(), static_cast<Py_ssize_t>(cmd->argv[i].size()), "replace");
    if (!s) {
      Py_DECREF(list);
      return nullptr;
    }
    PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), s);
  }
  return list;
}

PyObject* callNext(PyObject* args) { return callNextHook(args); }

}  // namespace

void installRegistrationHooks() {
  python::RegistrationHooks h;
  h.registerPlan = registerPlan;
  h.newPlan = newPlan;
  h.overrideReply = overrideReply;
  h.getCommand = getCommand;
  h.callNext = callNext;
  python::setRegistrationHooks(h);
}

}  // namespace gearsd::engine
