#include "engine/command_ctx.h"

#include "engine/engine.h"

namespace gearsd::engine {

CommandCtx::~CommandCtx() {
  if (!waitId_) return;
  Event e{Event::Kind::CommandDone};
  e.id = waitId_;
  e.text = override_ ? std::move(*override_) : std::move(reply_);
  Engine::get().host().post(std::move(e));
}

bool CommandCtx::setOverride(std::string reply) {
  std::lock_guard<std::mutex> lk(mu_);
  if (override_) return false;
  override_ = std::move(reply);
  return true;
}

void CommandCtx::setReply(std::string reply) {
  std::lock_guard<std::mutex> lk(mu_);
  reply_ = std::move(reply);
}

std::string CommandCtx::finalReply() {
  std::lock_guard<std::mutex> lk(mu_);
  return override_ ? *override_ : reply_;
}

void CommandCtx::waitAs(uint64_t id) {
  std::lock_guard<std::mutex> lk(mu_);
  waitId_ = id;
}

}  // namespace gearsd::engine
