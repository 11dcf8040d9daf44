#include "engine/registration.h"

#include <cstring>

#include "engine/engine.h"
#include "engine/sessions.h"
#include "python/gil.h"

namespace gearsd::engine {
namespace {

// A busy queue gives its thread back to the pool now and then, so that run() jobs and other
// registrations are not starved by one registration's backlog.
constexpr int kRunsPerTurn = 64;

constexpr int64_t kFailureLogIntervalNs = 1000000000;

}  // namespace

const char* modeName(ExecMode m) {
  switch (m) {
    case ExecMode::Sync: return "sync";
    case ExecMode::Async: return "async";
    case ExecMode::AsyncLocal: return "async_local";
  }
  return "async";
}

void SerialQueue::push(const std::shared_ptr<Registration>& owner, QueuedRun run) {
  bool schedule;
  {
    std::lock_guard<std::mutex> lk(mu_);
    queue_.push_back(std::move(run));
    schedule = !scheduled_;
    scheduled_ = true;
  }
  // The drain job keeps the registration (which owns this queue) alive while it runs.
  if (schedule) Engine::get().postSoon([this, owner] { drain(owner); });
}

size_t SerialQueue::dropUnmade() {
  std::deque<QueuedRun> unmade;  // freed outside the lock
  std::lock_guard<std::mutex> lk(mu_);
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->ex) {
      ++it;
      continue;
    }
    unmade.push_back(std::move(*it));
    it = queue_.erase(it);
  }
  return unmade.size();
}

void SerialQueue::drain(const std::shared_ptr<Registration>& owner) {
  for (int i = 0; i < kRunsPerTurn; i++) {
    QueuedRun run;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (queue_.empty()) {
        scheduled_ = false;
        return;
      }
      run = std::move(queue_.front());
      queue_.pop_front();
    }
    Engine::get().runExecution(run.ex ? run.ex : owner->makeQueued(run));
  }
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (queue_.empty()) {
      scheduled_ = false;
      return;
    }
  }
  Engine::get().post([this, owner] { drain(owner); });
}

Registration::Registration(uint64_t seq, ExecMode mode, std::shared_ptr<const Plan> plan,
                           std::shared_ptr<Session> session, int db, PyObject* onRegistered)
    : seq_(seq), mode_(mode), plan_(std::move(plan)), session_(std::move(session)), db_(db),
      onRegistered_(onRegistered) {}

Registration::~Registration() {
  if (!onRegistered_) return;
  python::GilHold gil;
  Py_DECREF(onRegistered_);
}

void Registration::countTriggered() {
  std::lock_guard<std::mutex> lk(mu_);
  stats_.triggered++;
}

std::shared_ptr<Execution> Registration::newExecution(int db, std::unique_ptr<TriggerInput> input) {
  countTriggered();
  return makeExecution(db, std::move(input));
}

std::shared_ptr<Execution> Registration::makeExecution(int db, std::unique_ptr<TriggerInput> input) {
  std::shared_ptr<Execution> ex = Engine::get().createExecution(plan_, session_, db);
  ex->registered = true;
  ex->registration = shared_from_this();
  ex->input = std::move(input);
  return ex;
}

void Registration::queueLater(int db, std::unique_ptr<TriggerInput> input, std::shared_ptr<CommandCtx> command) {
  countTriggered();
  queue_.push(shared_from_this(), QueuedRun{nullptr, std::move(input), std::move(command), db});
}

std::shared_ptr<Execution> Registration::makeQueued(QueuedRun& run) {
  std::shared_ptr<Execution> ex = makeExecution(run.db, std::move(run.input));
  ex->listWhenDone = true;
  ex->commandCtx = std::move(run.command);
  return ex;
}

void Registration::start(const std::shared_ptr<Execution>& ex, bool ordered) {
  if (mode_ == ExecMode::Sync) return Engine::get().runInline(ex);
  if (ordered) return queue_.push(shared_from_this(), QueuedRun{ex, nullptr, nullptr, ex->db()});
  Engine::get().submit(ex);
}

void Registration::onDone(Execution& ex, const ExecutionReport& r) {
  int64_t ns = ex.durationNs();
  std::lock_guard<std::mutex> lk(mu_);
  stats_.lastRunNs = ns;
  stats_.totalRunNs += ns;
  if (!r.errors.empty()) {
    stats_.failures++;
    stats_.lastError = r.errors.front();
    noteFailure(ex, r.errors.front());
  } else if (ex.status() == ExecStatus::Aborted) {
    stats_.aborted++;
  } else {
    stats_.success++;
    stats_.lastError.reset();
  }
}

void Registration::noteFailure(const Execution& ex, const std::string& error) {
  // mu_ held. A registration that fails on every write must not flood the log.
  int64_t now = monotonicNs();
  if (lastFailureLogNs_ != 0 && now - lastFailureLogNs_ < kFailureLogIntervalNs) {
    unloggedFailures_++;
    return;
  }
  std::string text = "GEARS: registration " + id() + " (" + readerName() + ") failed in execution " +
                     gearsId(ex.seq());
  if (unloggedFailures_) text += " (and " + std::to_string(unloggedFailures_) + " more failures since the last report)";
  text += ": " + error;
  lastFailureLogNs_ = now;
  unloggedFailures_ = 0;
  Event e{Event::Kind::Log};
  e.level = "warning";
  e.text = std::move(text);
  Engine::get().host().post(std::move(e));
}

bool Registration::keepFinished(uint64_t seq, int64_t maxKept, std::vector<uint64_t>& evicted) {
  // Listing under mu_, so that dropKept() never misses one listed just after it looked.
  std::lock_guard<std::mutex> lk(mu_);
  if (dropped_) return false;
  Engine& eng = Engine::get();
  eng.listExecution(seq);
  kept_.push_back(seq);
  while (maxKept > 0 && kept_.size() > static_cast<size_t>(maxKept)) {
    evicted.push_back(kept_.front());
    eng.unlistExecution(kept_.front());
    kept_.pop_front();
  }
  return true;
}

void Registration::dropKept() {
  std::lock_guard<std::mutex> lk(mu_);
  dropped_ = true;
  for (uint64_t seq : kept_) Engine::get().unlistExecution(seq);
  kept_.clear();
}

void Registration::abortPending() {
  Engine& eng = Engine::get();
  for (uint64_t seq : eng.liveOf(this)) eng.abort(seq);
  // Those not made yet end here, counted as aborted as a made one would be.
  if (size_t n = queue_.dropUnmade()) {
    std::lock_guard<std::mutex> lk(mu_);
    stats_.aborted += n;
  }
}

void Registration::clearStats() {
  std::lock_guard<std::mutex> lk(mu_);
  stats_.triggered -= stats_.success + stats_.failures + stats_.aborted;
  stats_.success = stats_.failures = stats_.aborted = 0;
  stats_.lastRunNs = stats_.totalRunNs = 0;
  stats_.lastLagMs = stats_.totalLagMs = 0;
  stats_.lastError.reset();
}

Registration::Stats Registration::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  return stats_;
}

void Registration::writeDump(store::ReplyBuilder& out, bool withPd) const {
  Stats s = stats();
  out.arrayHeader(withPd ? 12 : 10);
  out.bulk("id");
  out.bulk(id());
  out.bulk("reader");
  out.bulk(readerName());
  out.bulk("desc");
  if (plan_->hasDescription()) out.bulk(plan_->description());
  else out.nullBulk();
  out.bulk("RegistrationData");
  out.arrayHeader(16 + readerDataLength());
  out.bulk("mode");
  out.bulk(modeName(mode_));
  out.bulk("numTriggered");
  out.integer(static_cast<int64_t>(s.triggered));
  out.bulk("numSuccess");
  out.integer(static_cast<int64_t>(s.success));
  out.bulk("numFailures");
  out.integer(static_cast<int64_t>(s.failures));
  out.bulk("numAborted");
  out.integer(static_cast<int64_t>(s.aborted));
  // RedisGears converts each duration to whole milliseconds before averaging.
  int64_t totalMs = s.totalRunNs / 1000000;
  out.bulk("lastRunDurationMS");
  out.integer(s.lastRunNs / 1000000);
  out.bulk("totalRunDurationMS");
  out.integer(totalMs);
  out.bulk("avgRunDurationMS");
  out.doubleValue(perRun(totalMs, s));
  writeReaderData(out, s);
  if (withPd) {
    out.bulk("PD");
    out.bulk(sessionDescriptor(session_));
  }
  out.bulk("ExecutionThreadPool");
  out.bulk("DefaultPool");
}

double perRun(int64_t total, const Registration::Stats& s) {
  uint64_t runs = s.success + s.failures + s.aborted;
  return runs == 0 ? 0.0 : static_cast<double>(total) / static_cast<double>(runs);
}

void writeLastError(store::ReplyBuilder& out, const std::optional<std::string>& e) {
  out.bulk("lastError");
  if (e) out.bulk(*e);
  else out.nullBulk();
}

void writeNames(store::ReplyBuilder& out, const std::optional<std::vector<std::string>>& names) {
  if (!names) return out.nullBulk();
  out.arrayHeader(names->size());
  for (const std::string& n : *names) out.bulk(n);
}

}  // namespace gearsd::engine
