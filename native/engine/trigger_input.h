// What one execution of a registration reads: the key an event touched, a batch of a stream,
// the argv of RG.TRIGGER or of a hooked command. A registration's plan is shared by all its
// runs (plan.h), so what differs from run to run travels with the Execution as its input,
// and the input makes the reader (readers.h makeReader asks it first).
#pragma once
#include <memory>

#include "store/keyspace.h"

namespace gearsd::engine {

class Execution;
class Reader;

struct TriggerInput {
  virtual ~TriggerInput() = default;
  virtual std::unique_ptr<Reader> makeReader(Execution& ex, store::Store& store) = 0;
};

}  // namespace gearsd::engine
