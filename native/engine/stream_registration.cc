#include "engine/stream_registration.h"

#include <vector>

#include "engine/engine.h"
#include "engine/event_router.h"
#include "engine/readers.h"
#include "engine/registrations.h"
#include "python/errors.h"
#include "python/gil.h"
#include "python/records.h"
#include "python/reply_objects.h"
#include "store/server_lock.h"
#include "store/t_stream.h"

namespace gearsd::engine {
namespace {

using python::KeyBatch;

constexpr std::string_view kGroup = "__gears_consumer_group__";
constexpr std::string_view kConsumer = "__gears_client__";

// One batch of one stream: the key and how many entries to take. The reader notes which
// ids it delivered, for the acknowledgement once the execution is done.
class StreamBatchInput final : public TriggerInput {
 public:
  StreamBatchInput(std::string_view key, size_t batch) : key(key), batch(batch) {}
  std::unique_ptr<Reader> makeReader(Execution& ex, store::Store& store) override;

  const std::string key;
  const size_t batch;
  std::vector<store::StreamId> ids;  // delivered, in order (written by the reader only)
};

class StreamBatchReader final : public Reader {
 public:
  StreamBatchReader(Execution& ex, store::Store& store, StreamBatchInput& in) : ex_(ex), store_(store), in_(in) {}

  // The batch is read on the first call; the records go on from where a blocked step loop
  // stopped them.
  bool run(StepRunner& runner) override {
    if (!read_) {
      int64_t t0 = monotonicNs();
      read();
      read_ = true;
      ex_.addReadNs(monotonicNs() - t0);
    }
    python::GilHold gil;
    PyObject* stream = python::textOrBytearray(in_.key.data(), in_.key.size());
    if (!stream) {
      runner.readerError(python::takeErrorText());
      return true;
    }
    const std::vector<KeyBatch::Entry>& entries = batch_.entries();
    for (; pos_ < entries.size() && !runner.readerDone(); pos_++) {
      if (runner.blocked()) break;
      PyObject* rec = batch_.streamRecord(entries[pos_], stream);
      if (!rec) {
        runner.readerError(python::takeErrorText());
        break;
      }
      runner.feed(rec);
    }
    Py_DECREF(stream);
    return pos_ >= entries.size() || runner.readerDone();
  }

 private:
  // Under the server lock: the consumer's pending entries first (delivered before but never
  // acknowledged), otherwise new ones.
  void read() {
    store::ServerLockGuard lock;
    store::Db& db = store_.db(ex_.db());
    int64_t now = store::nowMs();
    store::StreamStatus st;
    store::StreamObject* s = store::streamLookup(store_, db, in_.key, now, true, st);
    store::ConsumerGroup* g = s ? s->findGroup(kGroup) : nullptr;
    if (!g) return;
    store::StreamConsumer* c = g->findConsumer(kConsumer);
    if (!c) c = g->createConsumer(kConsumer, now);
    auto add = [&](const store::StreamEntry& e) {
      addStreamEntry(batch_, e);
      in_.ids.push_back(e.id);
      return true;
    };
    s->deliverHistory(*g, *c, store::StreamId::min(), in_.batch, now,
                      [&](store::StreamId id, const store::StreamEntry* e) {
                        if (e) add(*e);
                        else in_.ids.push_back(id);  // deleted meanwhile: only acknowledged
                      });
    if (!in_.ids.empty()) return;
    size_t delivered;
    store::streamReadGroup(store_, db, in_.key, kGroup, kConsumer, in_.batch, false, now, add, delivered);
  }

  Execution& ex_;
  store::Store& store_;
  StreamBatchInput& in_;
  KeyBatch batch_;
  bool read_ = false;
  size_t pos_ = 0;  // the next entry to feed
};

std::unique_ptr<Reader> StreamBatchInput::makeReader(Execution& ex, store::Store& store) {
  return std::make_unique<StreamBatchReader>(ex, store, *this);
}

const char* statusName(StreamRegistration::Status s) {
  switch (s) {
    case StreamRegistration::Status::Ok: return "OK";
    case StreamRegistration::Status::WaitingForRetry: return "WAITING_FOR_RETRY_ON_FAILURE";
    case StreamRegistration::Status::Aborted: return "ABORTED";
    case StreamRegistration::Status::Paused: return "PAUSED";
  }
  return "OK";
}

// After keyspace work done outside a client's command (a timer, an execution thread): run
// what it fired and let TS publish its events.
void afterBackgroundWork(store::Store& store) {
  store.afterCommand();
  Engine& eng = Engine::get();
  if (!store.events().empty() && !eng.host().onMainThread()) eng.storeEventsPending();
}

}  // namespace

StreamRegistration::StreamRegistration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan,
                                       std::shared_ptr<Session> session, int db, PyObject* onRegistered,
                                       StreamArgs args)
    : Registration(seq, mode, std::move(plan), std::move(session), db, onRegistered),
      args_(std::move(args)),
      prefix_(args_.prefix) {
  if (args_.batch < 1) args_.batch = 1;
}

bool StreamRegistration::matchesKey(std::string_view key) const {
  return prefix_.matches(key);
}

void StreamRegistration::activate() {
  Engine& eng = Engine::get();
  eng.registry().router().addStreams(std::static_pointer_cast<StreamRegistration>(shared_from_this()));
  rescan(eng.store());
}

void StreamRegistration::deactivate() { Engine::get().registry().router().removeStreams(this); }

void StreamRegistration::pause() { status_ = Status::Paused; }

void StreamRegistration::unpause() {
  if (status_ != Status::Paused) return;
  status_ = Status::Ok;
  rescan(Engine::get().store());
}

void StreamRegistration::rescan(store::Store& store) {
  store::Db& db = store.db(this->db());
  std::vector<std::string> keys;
  db.keys.forEach([&](const store::KeyEntry* e) {
    if (e->type == store::ValueType::Stream && matchesKey(e->key())) keys.emplace_back(e->key());
  });
  for (const std::string& k : keys) poke(store, db, k);
}

void StreamRegistration::poke(store::Store& store, store::Db& db, std::string_view key, bool force) {
  if (status_ != Status::Ok || !active()) return;
  // A stream has an entry only while a batch runs or a `duration` wait is under way, so that
  // streams come and go without the registration keeping each one it ever saw.
  auto it = streams_.find(std::pair<int, std::string>(db.id, key));
  if (it != streams_.end() && it->second.running) return;  // its end pokes again
  int64_t now = store::nowMs();
  store::StreamStatus ss;
  store::StreamObject* s = store::streamLookup(store, db, key, now, false, ss);
  if (!s) return;
  store::ConsumerGroup* g = s->findGroup(kGroup);
  if (!g) {
    store::StreamId zero;
    store::streamCreateGroup(store, db, key, kGroup, &zero, false, store::kEntriesReadUnknown, now);
    if (!(g = s->findGroup(kGroup))) return;
  }
  size_t batch = static_cast<size_t>(args_.batch);
  size_t waiting = 0;
  if (store::StreamConsumer* c = g->findConsumer(kConsumer)) waiting = c->pending.size();
  store::StreamId start = g->lastId;
  if (waiting < batch && start.increment())
    waiting += s->range(start, store::StreamId::max(), batch - waiting, false, [](const store::StreamEntry&) { return true; });
  if (waiting == 0) return;
  if (waiting >= batch || force) return startBatch(db, key, streams_[{db.id, std::string(key)}]);
  if (args_.durationMs <= 0 || (it != streams_.end() && it->second.timerArmed)) return;
  streams_[{db.id, std::string(key)}].timerArmed = true;
  std::weak_ptr<Registration> self = weak_from_this();
  int dbId = db.id;
  Engine::get().timers().after(args_.durationMs, [self, dbId, k = std::string(key)] {
    store::ServerLockGuard lock;
    auto r = std::static_pointer_cast<StreamRegistration>(self.lock());
    if (!r) return;
    store::Store& store = Engine::get().store();
    r->settle(dbId, k, &StreamState::timerArmed);
    r->poke(store, store.db(dbId), k, true);
    afterBackgroundWork(store);
  });
}

void StreamRegistration::settle(int dbId, std::string_view key, bool StreamState::*what) {
  auto it = streams_.find(std::pair<int, std::string>(dbId, key));
  if (it == streams_.end()) return;
  it->second.*what = false;
  if (!it->second.running && !it->second.timerArmed) streams_.erase(it);
}

void StreamRegistration::startBatch(store::Db& db, std::string_view key, StreamState& st) {
  st.running = true;
  std::shared_ptr<Execution> ex =
      newExecution(db.id, std::make_unique<StreamBatchInput>(key, static_cast<size_t>(args_.batch)));
  ex->listWhenDone = true;
  if (mode() == ExecMode::Sync) return Engine::get().registry().router().defer(std::move(ex));
  start(ex, true);
}

void StreamRegistration::onDone(Execution& ex, const ExecutionReport& r) {
  // The status first: whoever sees the failure counted also sees what it led to.
  finishBatch(ex, r);
  Registration::onDone(ex, r);
}

void StreamRegistration::finishBatch(Execution& ex, const ExecutionReport& r) {
  auto* in = static_cast<StreamBatchInput*>(ex.input.get());  // its executions all read a batch
  if (!in) return;
  store::ServerLockGuard lock;
  store::Store& store = Engine::get().store();
  store::Db& db = store.db(ex.db());
  int64_t now = store::nowMs();
  settle(db.id, in->key, &StreamState::running);

  bool failed = !r.errors.empty() || ex.status() == ExecStatus::Aborted;
  if (!r.errors.empty() && r.errors.front().rfind("PAUSE", 0) == 0) {
    status_ = Status::Paused;
  } else if (failed && args_.policy == "abort") {
    status_ = Status::Aborted;
  } else if (failed && args_.policy == "retry") {
    status_ = Status::WaitingForRetry;
    std::weak_ptr<Registration> self = weak_from_this();
    Engine::get().timers().after(args_.retrySeconds * 1000, [self] {
      store::ServerLockGuard lock;
      auto reg = std::static_pointer_cast<StreamRegistration>(self.lock());
      if (!reg || reg->status_ != Status::WaitingForRetry) return;
      reg->status_ = Status::Ok;
      store::Store& store = Engine::get().store();
      reg->rescan(store);
      afterBackgroundWork(store);
    });
  } else if (ex.status() != ExecStatus::Aborted && !in->ids.empty()) {
    store::streamAck(store, db, in->key, kGroup, in->ids.data(), in->ids.size(), now);
    store::StreamStatus ss;
    store::StreamObject* s = args_.trim ? store::streamLookup(store, db, in->key, now, false, ss) : nullptr;
    const store::ConsumerGroup* g = s ? s->findGroup(kGroup) : nullptr;
    if (g) {
      // What is left to process: delivered but unacknowledged, and not yet delivered.
      uint64_t unprocessed = g->pel.size();
      int64_t lag;
      store::StreamId start = g->lastId;
      if (s->lag(*g, lag)) unprocessed += static_cast<uint64_t>(lag);
      else if (start.increment())
        unprocessed += s->range(start, store::StreamId::max(), 0, false, [](const store::StreamEntry&) { return true; });
      if (unprocessed < s->length()) {
        store::StreamTrim t;
        t.strategy = store::StreamTrim::kMaxLen;
        t.maxLen = unprocessed;
        store::streamTrimKey(store, db, in->key, t, now, ss);
      }
    }
  }
  if (!in->ids.empty()) {
    int64_t lagMs = now - static_cast<int64_t>(in->ids.front().ms);
    std::lock_guard<std::mutex> lk(mu_);
    stats_.lastLagMs = lagMs;
    stats_.totalLagMs += lagMs;
  }
  if (status_ == Status::Ok && active()) poke(store, db, in->key);
  // A sync batch finishes inside the event router's loop, which runs what this fired (the
  // next batch included) without nesting one batch inside the other.
  if (mode() != ExecMode::Sync) afterBackgroundWork(store);
}

void StreamRegistration::writeReaderData(store::ReplyBuilder& out, const Stats& s) const {
  out.bulk("lastEstimatedLagMS");
  out.integer(s.lastLagMs);
  out.bulk("avgEstimatedLagMS");
  out.doubleValue(perRun(s.totalLagMs, s));
  writeLastError(out, s.lastError);
  out.bulk("args");
  out.arrayHeader(12);
  out.bulk("batchSize");
  out.integer(args_.batch);
  out.bulk("durationMS");
  out.integer(args_.durationMs);
  out.bulk("stream");
  out.bulk(args_.prefix);
  out.bulk("trimStream");
  out.integer(args_.trim ? 1 : 0);
  out.bulk("onFailedPolicy");
  out.bulk(args_.policy);
  out.bulk("retryInterval");
  out.integer(args_.retrySeconds);
  out.bulk("status");
  out.bulk(statusName(status_));
}

}  // namespace gearsd::engine
