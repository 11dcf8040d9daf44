#include "store/command.h"

namespace gearsd::store {

CommandRegistry& commandRegistry() {
  static CommandRegistry r;
  return r;
}

void CommandRegistry::add(const char* name, CommandHandler handler) {
  CommandInfo& c = commands_[name];
  c.name = name;
  c.handler = handler;
}

int CommandRegistry::bind(std::string_view name, int arity, uint32_t flags, int firstKey, int lastKey, int keyStep) {
  CommandInfo& c = commands_[std::string(name)];
  c.name = std::string(name);
  c.arity = arity;
  c.flags = flags;
  c.firstKey = firstKey;
  c.lastKey = lastKey;
  c.keyStep = keyStep;
  if (c.id < 0) {
    c.id = static_cast<int>(byId_.size());
    byId_.push_back(&c);  // unordered_map nodes are stable
  }
  return c.id;
}

const CommandInfo* CommandRegistry::find(std::string_view lowerName) const {
  auto it = commands_.find(std::string(lowerName));
  return it == commands_.end() ? nullptr : &it->second;
}

std::vector<std::string> CommandRegistry::unboundHandlers() const {
  std::vector<std::string> out;
  for (auto& [name, c] : commands_)
    if (c.handler && c.id < 0) out.push_back(name);
  return out;
}

}  // namespace gearsd::store
