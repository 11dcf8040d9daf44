// StreamReader.register() (GEARS_API.md §5.3): batches of new stream entries, read through the
// consumer group `__gears_consumer_group__` (consumer `__gears_client__`), so entries already
// in a stream when it is first seen, and entries delivered but never acknowledged, are
// processed before new ones.
//
// Tour:
//  - An `xadd` to a matching key (or a scan at registration, after a retry, on unpause)
//    pokes the stream: once `batch` entries wait, or `duration` ms after the first one did,
//    one execution reads a batch (its reader delivers the consumer's pending entries first,
//    then new ones). A stream has at most one execution at a time.
//  - When it finishes: success, or a failure under `continue`, acknowledges the batch and,
//    with trimStream, trims the stream to its unprocessed entries; `abort` stops the
//    registration (ABORTED), `retry` waits onFailedRetryInterval seconds and rescans
//    (WAITING_FOR_RETRY_ON_FAILURE); a first error starting with PAUSE pauses it. Then the
//    stream is poked again, for what arrived meanwhile.
//
// Threads: the per-stream state and the status change with the server lock held.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "engine/registration.h"
#include "store/keyspace.h"

namespace gearsd::engine {

struct StreamArgs {
  std::string prefix = "*";
  int64_t batch = 1;
  int64_t durationMs = 0;
  std::string policy = "continue";  // continue | abort | retry
  int64_t retrySeconds = 1;
  bool trim = true;
};

class StreamRegistration final : public Registration {
 public:
  enum class Status { Ok, WaitingForRetry, Aborted, Paused };

  StreamRegistration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session,
                     int db, PyObject* onRegistered, StreamArgs args);

  const char* readerName() const override { return "StreamReader"; }
  void activate() override;
  void deactivate() override;
  bool pausable() const override { return true; }
  void pause() override;
  void unpause() override;
  void onDone(Execution& ex, const ExecutionReport& r) override;

  bool matchesKey(std::string_view key) const;
  // New entries may wait in this stream: start a batch when there are enough (or `force`,
  // the duration is up). Server lock held, outside any command's handler.
  void poke(store::Store& store, store::Db& db, std::string_view key, bool force = false);

 protected:
  size_t readerDataLength() const override { return 10; }
  void writeReaderData(store::ReplyBuilder& out, const Stats& s) const override;

 private:
  struct StreamState {
    bool running = false;     // one execution per stream at a time
    bool timerArmed = false;  // a `duration` wait is under way
  };
  // Pokes every matching stream of the registration's database (server lock held).
  void rescan(store::Store& store);
  void startBatch(store::Db& db, std::string_view key, StreamState& st);
  // Clears one of a stream's flags (server lock held), and its entry once both are clear.
  void settle(int dbId, std::string_view key, bool StreamState::*what);
  void finishBatch(Execution& ex, const ExecutionReport& r);

  StreamArgs args_;
  KeyPrefix prefix_;
  Status status_ = Status::Ok;
  // Only the streams with a batch running or a wait armed (settle drops the others).
  std::map<std::pair<int, std::string>, StreamState> streams_;
};

}  // namespace gearsd::engine
