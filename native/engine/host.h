// What the engine needs from the process around it, and what it tells it.
//
// The addon implements Host: one batched, thread-safe channel to TS (post), and a direct call
// into a TS command for the main thread. Everything the engine reports travels as an Event,
// in order, through that one channel (DESIGN.md: "Native → TS travels through one batched
// thread-safe channel"). TS polls only for registrations' finished executions (postFinished).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gearsd::engine {

// One step of a plan as RG.GETEXECUTION shows it.
struct StepReport {
  const char* type;
  const char* name;
  std::string_view arg;  // into the plan its report keeps alive
  int64_t durationMs;
};

// The state of an execution: final when `finished`, a snapshot otherwise.
struct ExecutionReport {
  uint64_t seq = 0;
  const char* status = "created";  // created | running | done | aborted
  bool finished = false;
  bool registered = false;
  std::string reply;                // finished: [[results...], [errors...]] as RESP bytes
  std::vector<std::string> errors;  // finished: the error texts
  int64_t results = -1;             // finished: the number of results
  int64_t totalMs = 0;
  int64_t readMs = 0;
  std::vector<StepReport> steps;    // last step first, without the reader
  std::shared_ptr<const void> plan; // what the steps' args point into
};

struct Event {
  enum class Kind : uint8_t {
    ExecutionCreated,  // an execution TS did not start itself (from a step, a registration)
    ExecutionDone,     // report is final
    Log,               // level, text
    StoreEvents,       // keyspace messages or ready keys are queued in the store: drain them
    TsCommand,         // run argv in db on the main thread, answer with completeTsCommand(id)
    CommandDone,       // a hooked command's reply (text, RESP bytes) for the client waiting as id
  };
  Kind kind;
  uint64_t id = 0;  // execution seq, TS request id, or hooked-command wait id
  bool registered = false;
  bool dropOnFinish = false;
  int db = 0;
  std::string level;
  std::string text;
  std::vector<std::string> argv;
  std::shared_ptr<ExecutionReport> report;
  // ExecutionDone: the reply bytes go with the event (a blocking RG.PYEXECUTE's), because TS
  // needs them once, now, and forgets the execution.
  bool withReply = false;
};

class Host {
 public:
  virtual ~Host() = default;
  // Thread-safe; events are delivered to TS in the order they were posted.
  virtual void post(Event&& e) = 0;
  // Thread-safe. A registration's execution finished and the engine listed it (keepFinished),
  // unlisting `evicted`, that registration's oldest. Not urgent, and one per event under a
  // flood: it travels packed with the next batch, or wakes TS once many are waiting, and TS
  // takes what is waiting before it reads its registry.
  virtual void postFinished(uint64_t seq, uint64_t registration, bool aborted, const std::vector<uint64_t>& evicted) = 0;
  virtual bool onMainThread() const = 0;
  // Main thread: the engine has jobs to hand over at the end of this event-loop turn
  // (Engine::endOfTurn), so the loop must not sleep before it gets there.
  virtual void wantTurnEnd() = 0;
  // Main thread only: runs a TS-owned command now and returns its RESP reply bytes. False
  // when it could not run. Called without the GIL and without the server lock held for it.
  virtual bool callTsCommand(int db, const std::vector<std::string>& argv, std::string& reply) = 0;
};

}  // namespace gearsd::engine
