// A registration: a plan that runs on events instead of once (GEARS_API.md §4.3, §5, §6).
//
// Tour:
//  - register() in a script validates its arguments and makes a Registration of the reader's
//    kind (keys_registration, stream_registration, command_registration); it becomes active
//    only once the script has succeeded (RegistrationTable::apply).
//  - An event (a keyspace event, a stream entry, RG.TRIGGER, a hooked command) makes one
//    Execution of the registration's plan with a TriggerInput saying what to read, counted
//    as triggered. start() runs it: `sync` now, on the thread that fired the event, which
//    holds the server lock; `async`/`async_local` on the pool, through the registration's
//    own queue when its executions must run in order (KeysReader, StreamReader, inorder).
//  - When an execution finishes, onDone() updates the stats RG.DUMPREGISTRATIONS shows (and
//    logs failures); stream registrations also acknowledge and trim there.
//
// Threads: the tables (which registrations exist, what listens to what) change only on the
// main thread with the server lock held, and are read with it held. Stats are read and
// written under the registration's own mutex, since executions finish on any thread.
#pragma once
#include <Python.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/execution.h"
#include "engine/ids.h"
#include "engine/trigger_input.h"
#include "store/reply.h"

namespace gearsd::engine {

enum class ExecMode : uint8_t { Sync, Async, AsyncLocal };
const char* modeName(ExecMode m);

// One entry of a registration's queue: an execution made at the event, or (ex null) what to
// make one from when its turn comes. An async KeysReader event is queued the second way, so
// that the writer allocates only its input, not the execution, per write.
struct QueuedRun {
  std::shared_ptr<Execution> ex;
  std::unique_ptr<TriggerInput> input;
  std::shared_ptr<CommandCtx> command;
  int db = 0;
};

// Runs the executions pushed to it one at a time, in order, on the pool (RedisGears gives a
// KeysReader or StreamReader registration a worker of its own).
class SerialQueue {
 public:
  void push(const std::shared_ptr<Registration>& owner, QueuedRun run);
  // Removes the runs not made into executions yet; how many.
  size_t dropUnmade();

 private:
  void drain(const std::shared_ptr<Registration>& owner);
  std::mutex mu_;
  std::deque<QueuedRun> queue_;
  bool scheduled_ = false;
};

class Registration : public std::enable_shared_from_this<Registration> {
 public:
  struct Stats {
    uint64_t triggered = 0, success = 0, failures = 0, aborted = 0;
    int64_t lastRunNs = 0, totalRunNs = 0;
    int64_t lastLagMs = 0, totalLagMs = 0;  // StreamReader: first entry's age when its batch finished
    std::optional<std::string> lastError;
  };

  // onRegistered: a new reference or null (released with the GIL by the destructor).
  Registration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session,
               int db, PyObject* onRegistered);
  virtual ~Registration();
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

  uint64_t seq() const { return seq_; }
  std::string id() const { return gearsId(seq_); }
  ExecMode mode() const { return mode_; }
  const std::shared_ptr<const Plan>& plan() const { return plan_; }
  const std::shared_ptr<Session>& session() const { return session_; }
  int db() const { return db_; }  // the database of the RG.PYEXECUTE that made it
  PyObject* onRegistered() const { return onRegistered_; }
  virtual const char* readerName() const = 0;

  // ---- life (main thread, server lock held) ----------------------------------------------
  // Starts / stops listening for its events.
  virtual void activate() {}
  virtual void deactivate() {}
  virtual bool pausable() const { return false; }
  virtual void pause() {}
  virtual void unpause() {}
  bool active() const { return active_; }
  void setActive(bool on) { active_ = on; }

  // ---- executions ------------------------------------------------------------------------
  // A new execution of the plan reading `input`, counted as triggered. TS hears of it when it
  // finishes (listWhenDone) or from the caller (RG.TRIGGER).
  std::shared_ptr<Execution> newExecution(int db, std::unique_ptr<TriggerInput> input);
  // An async execution in order, counted as triggered now but made only when its turn in the
  // queue comes (makeQueued, on the pool thread that runs it).
  void queueLater(int db, std::unique_ptr<TriggerInput> input, std::shared_ptr<CommandCtx> command);
  std::shared_ptr<Execution> makeQueued(QueuedRun& run);
  // Runs it by mode: sync now, on this thread (which holds the server lock); otherwise on the
  // pool, through this registration's queue when `ordered`.
  void start(const std::shared_ptr<Execution>& ex, bool ordered);
  // One of its executions finished (any thread, neither GIL nor server lock held by the
  // engine for it; a sync execution's thread still holds the server lock).
  virtual void onDone(Execution& ex, const ExecutionReport& r);
  // A finished execution of it that TS hears of only when it finished (listWhenDone): lists
  // it and keeps it among its newest `maxKept` (≤ 0: all), unlisting and adding to `evicted`
  // the older ones. False, listing nothing, once the registration is gone. Any thread.
  bool keepFinished(uint64_t seq, int64_t maxKept, std::vector<uint64_t>& evicted);
  // It was unregistered: unlists the executions it kept; those finishing later are not listed.
  void dropKept();
  // RG.UNREGISTER ... abortpending: aborts its executions not yet finished.
  void abortPending();
  // RG.CLEARREGISTRATIONSSTATS.
  virtual void clearStats();

  // One RG.DUMPREGISTRATIONS entry; without the PD pair for RG.PYDUMPSESSIONS VERBOSE.
  void writeDump(store::ReplyBuilder& out, bool withPd) const;

 protected:
  Stats stats() const;
  void countTriggered();
  std::shared_ptr<Execution> makeExecution(int db, std::unique_ptr<TriggerInput> input);
  // RegistrationData after avgRunDurationMS: how many elements, then the elements.
  virtual size_t readerDataLength() const = 0;
  virtual void writeReaderData(store::ReplyBuilder& out, const Stats& s) const = 0;
  // The error record texts of a finished execution start with its first error.
  void noteFailure(const Execution& ex, const std::string& error);

  mutable std::mutex mu_;
  Stats stats_;

 private:
  uint64_t seq_;
  ExecMode mode_;
  std::shared_ptr<const Plan> plan_;
  std::shared_ptr<Session> session_;
  int db_;
  PyObject* onRegistered_;
  bool active_ = false;
  std::deque<uint64_t> kept_;              // its listed finished executions, oldest first (under mu_)
  bool dropped_ = false;                   // dropKept() was called (under mu_)
  SerialQueue queue_;
  int64_t lastFailureLogNs_ = 0;           // failures are logged at most once a second
  uint64_t unloggedFailures_ = 0;
};

// The key a KeysReader or StreamReader registration listens to (GEARS_API.md §5.1): a trailing
// `*` means starts-with, anything else is the exact key (no other glob characters).
class KeyPrefix {
 public:
  explicit KeyPrefix(std::string_view p)
      : startsWith_(!p.empty() && p.back() == '*'), text_(startsWith_ ? p.substr(0, p.size() - 1) : p) {}
  bool matches(std::string_view key) const { return startsWith_ ? key.starts_with(text_) : key == text_; }

 private:
  bool startsWith_;
  std::string text_;
};

// total / (success + failures + aborted), or 0: how RedisGears averages durations and lags.
double perRun(int64_t total, const Registration::Stats& s);

// The pieces of RegistrationData every reader writes: lastError then args.
void writeLastError(store::ReplyBuilder& out, const std::optional<std::string>& e);
// A list of names, or nil when absent.
void writeNames(store::ReplyBuilder& out, const std::optional<std::vector<std::string>>& names);

}  // namespace gearsd::engine
