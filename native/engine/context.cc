#include "engine/context.h"

namespace gearsd::engine {
namespace {
thread_local PyContext* tCurrent = nullptr;
}

PyContext* currentContext() { return tCurrent; }

ContextScope::ContextScope(PyContext* ctx) : previous_(tCurrent) { tCurrent = ctx; }

ContextScope::~ContextScope() { tCurrent = previous_; }

}  // namespace gearsd::engine
