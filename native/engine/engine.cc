#include "engine/engine.h"

#include <random>
#include <utility>

#include "engine/async_steps.h"
#include "engine/command_bridge.h"
#include "engine/context.h"
#include "engine/ids.h"
#include "engine/readers.h"
#include "engine/registration.h"
#include "engine/registrations.h"
#include "engine/step_loop.h"
#include "python/errors.h"
#include "python/gears_module.h"
#include "python/gil.h"
#include "python/results.h"
#include "store/resp_reply.h"
#include "store/server_lock.h"

namespace gearsd::engine {
namespace {

// Sessions are made on the main thread only; one generator, seeded once.
std::string randomSessionId() {
  static const char kHex[] = "0123456789abcdef";
  static std::mt19937_64 rng{std::random_device{}()};
  std::string id(40, '0');
  for (size_t i = 0; i < id.size(); i += 16) {
    uint64_t bits = rng();
    for (size_t j = i; j < i + 16 && j < id.size(); j++, bits >>= 4) id[j] = kHex[bits & 15];
  }
  return id;
}

// [[result...], [error...]]: the reply of RG.GETRESULTS and of a blocking RG.PYEXECUTE.
std::string encodeResults(const std::vector<PyObject*>& results, const std::vector<std::string>& errors) {
  store::RespReply out;
  out.arrayHeader(2);
  out.arrayHeader(results.size());
  for (PyObject* r : results) python::writeResult(r, out);
  out.arrayHeader(errors.size());
  for (const std::string& e : errors) out.bulk(e);
  return std::move(out.buffer());
}

// What RG.TRIGGER answers (the first error, or the results) and what a command hook
// answers (the first error, or exactly one result).
std::string encodeReply(ReplyStyle style, const std::vector<PyObject*>& results,
                        const std::vector<std::string>& errors) {
  if (style == ReplyStyle::Results) return encodeResults(results, errors);
  store::RespReply out;
  if (!errors.empty()) {
    out.error(errors.front());
  } else if (style == ReplyStyle::Hook) {
    if (results.size() == 1) python::writeResult(results.front(), out);
    else out.error("Command hook must return exactly one result");
  } else {
    out.arrayHeader(results.size());
    for (PyObject* r : results) python::writeResult(r, out);
  }
  return std::move(out.buffer());
}

}  // namespace

Engine::Engine() : registry_(std::make_unique<RegistrationTable>()) {}

Engine& Engine::get() {
  static Engine* engine = new Engine();  // never destroyed: see engine.h
  return *engine;
}

void Engine::start(store::Store& store, Host& host, int executionThreads) {
  if (started()) return;
  store_ = &store;
  host_ = &host;
  pool_ = new ThreadPool(executionThreads > 0 ? executionThreads : 1);
  installHooks();
  installRegistrationHooks();
  store.setObserver(&registry_->router());
  if (!startAsync())
    host.post(Event{Event::Kind::Log, 0, false, false, 0, "warning",
                    "GEARS: the event loop could not start; async steps will not run"});
}

std::shared_ptr<Execution> Engine::createExecution(std::shared_ptr<const Plan> plan, std::shared_ptr<Session> session,
                                                   int db) {
  auto ex = std::make_shared<Execution>(nextSeq_.fetch_add(1), std::move(plan), std::move(session), db);
  std::lock_guard<std::mutex> lk(liveMu_);
  live_[ex->seq()] = ex;
  return ex;
}

void Engine::submit(const std::shared_ptr<Execution>& ex) {
  pool_->submit([this, ex] { runExecution(ex); });
}

void Engine::post(std::function<void()> job) { pool_->submit(std::move(job)); }

void Engine::postSoon(std::function<void()> job) {
  if (!host_->onMainThread()) return pool_->submit(std::move(job));
  if (pool_->defer(std::move(job))) host_->wantTurnEnd();
}

void Engine::endOfTurn() {
  if (pool_) pool_->kick();
}

namespace {

// The execution runInline is running on this thread's stack: if it finishes there (it did not
// park on an async step to be finished by another thread), its caller answers from keptReply.
thread_local const Execution* tInline = nullptr;

}  // namespace

void Engine::runInline(const std::shared_ptr<Execution>& ex) {
  AtomicFrame frame;
  const Execution* outer = std::exchange(tInline, ex.get());
  runExecution(ex);
  tInline = outer;
}

namespace {

ScriptOutcome scriptError(std::string text) {
  ScriptOutcome out;
  out.kind = ScriptOutcome::Kind::Error;
  out.error = std::move(text);
  return out;
}

}  // namespace

ScriptOutcome Engine::runScript(std::string_view script, int db, const ScriptOptions& opts) {
  // Session checks (GEARS_API.md §3): the table is read under the server lock, before the GIL.
  std::string sessionId = opts.id ? *opts.id : randomSessionId();
  std::shared_ptr<Session> replaces;
  {
    store::ServerLockGuard lock;
    SessionTable& sessions = registry_->sessions();
    replaces = sessions.find(sessionId);
    bool upgrade = opts.upgrade;
    if (opts.replaceWith) {
      if (replaces) return scriptError("Can not replace an existing session " + sessionId + " with " + *opts.replaceWith);
      upgrade = true;
      replaces = sessions.find(*opts.replaceWith);
      if (!replaces) return scriptError("Can not replace with " + *opts.replaceWith + ", session does not exists.");
    }
    if (replaces && !upgrade) return scriptError("Session " + sessionId + " already exists");
  }

  ScriptOutcome out;
  std::shared_ptr<Session> session;
  std::shared_ptr<Execution> created;
  std::vector<std::shared_ptr<Registration>> registrations;
  {
    python::GilHold gil;
    session = Session::create(sessionId, opts.description);
    if (!session) return scriptError(python::takeErrorText());
    PyContext ctx;
    ctx.session = session;
    ctx.db = db;
    ctx.inScript = true;
    ctx.replaces = replaces;
    {
      ContextScope scope(&ctx);
      PyObject* code = compile(std::string(script));
      PyObject* r = code ? PyEval_EvalCode(code, session->globals(), session->globals()) : nullptr;
      Py_XDECREF(code);
      if (!r) {
        out.kind = ScriptOutcome::Kind::Error;
        out.error = python::takeErrorText();
      }
      Py_XDECREF(r);
      leaveForgottenAtomic();
    }
    created = std::move(ctx.created);
    registrations = std::move(ctx.registrations);
  }
  if (out.kind == ScriptOutcome::Kind::Error) {
    // Nothing the script made takes effect: its execution never starts (its id stays used
    // up), its registrations are dropped.
    if (created) {
      std::lock_guard<std::mutex> lk(liveMu_);
      live_.erase(created->seq());
    }
    return out;
  }
  if (!registrations.empty()) {
    // RedisGears applies them with an internal execution of its own.
    consumePlanId();
    consumeExecutionId();
    {
      store::ServerLockGuard lock;
      out.unregistered = registry_->apply(session, replaces, registrations);
      store_->afterCommand();  // what onRegistered wrote
    }
    out.kind = ScriptOutcome::Kind::Registered;
    if (created) {
      // A script that registers replies OK even when it also ran something: that execution
      // is listed and kept, as an UNBLOCKING one.
      out.alsoRan = created->seq();
      submit(created);
    }
    return out;
  }
  if (!created) return out;
  out.kind = ScriptOutcome::Kind::Run;
  out.seq = created->seq();
  created->replyInEvent = opts.blocking;
  // Queued once the GIL is free, so the thread that takes it does not wake only to wait for it.
  submit(created);
  return out;
}

PyObject* Engine::compile(const std::string& source) {
  constexpr size_t kCacheBytes = 4 << 20;
  auto it = codeCache_.find(source);
  if (it != codeCache_.end()) {
    Py_INCREF(it->second);
    return it->second;
  }
  if (source.find('\0') != std::string::npos) {
    PyErr_SetString(PyExc_SyntaxError, "source code string cannot contain null bytes");
    return nullptr;
  }
  PyObject* code = Py_CompileString(source.c_str(), "<string>", Py_file_input);
  if (!code || source.size() > kCacheBytes / 16) return code;
  if (codeCacheBytes_ + source.size() > kCacheBytes) {
    for (auto& [src, obj] : codeCache_) Py_DECREF(obj);
    codeCache_.clear();
    codeCacheBytes_ = 0;
  }
  Py_INCREF(code);
  codeCache_.emplace(source, code);
  codeCacheBytes_ += source.size();
  return code;
}

namespace {

// What run()'s awaitable gets, [[results], [errors]] as Python objects, when anyone holds it
// (a new reference, or null); the execution lets the awaitable go.
PyObject* awaitedResults(Execution& ex, const std::vector<PyObject*>& results, const std::vector<std::string>& errors) {
  PyObject* out = nullptr;
  if (ex.awaiter && Py_REFCNT(ex.awaiter) > 1) {
    PyObject* res = PyList_New(static_cast<Py_ssize_t>(results.size()));
    PyObject* errs = PyList_New(static_cast<Py_ssize_t>(errors.size()));
    PyObject* both = res && errs ? PyList_New(2) : nullptr;
    if (both) {
      for (size_t i = 0; i < results.size(); i++) {
        Py_INCREF(results[i]);
        PyList_SET_ITEM(res, i, results[i]);
      }
      for (size_t i = 0; i < errors.size(); i++) {
        PyObject* e = PyUnicode_DecodeUTF8(errors[i].data(), static_cast<Py_ssize_t>(errors[i].size()), "replace");
        PyList_SET_ITEM(errs, i, e ? e : (Py_INCREF(Py_None), Py_None));
      }
      PyList_SET_ITEM(both, 0, res);
      PyList_SET_ITEM(both, 1, errs);
      out = PyTuple_Pack(2, ex.awaiter, both);
      Py_DECREF(both);
    } else {
      Py_XDECREF(res);
      Py_XDECREF(errs);
    }
    if (!out) PyErr_Clear();
  }
  Py_CLEAR(ex.awaiter);
  return out;
}

// Completes run()'s awaitable with what awaitedResults() gave (after the execution's final
// report is on its way to TS, so whoever awaits sees a finished execution).
void completeAwaited(PyObject* awaited) {
  if (!awaited) return;
  python::GilHold gil;
  completeAwaiter(PyTuple_GET_ITEM(awaited, 0), PyTuple_GET_ITEM(awaited, 1));
  Py_DECREF(awaited);
}

// What the execution thread leaves behind when it lets an execution go (finished or parked):
// no atomic() block, no abort aimed at this thread's next job.
void leaveThread(Execution& ex, Host& host) {
  if (leaveForgottenAtomic())
    host.post(Event{Event::Kind::Log, 0, false, false, 0, "warning",
                    "GEARS: an atomic() block was left open by an execution; the server lock was released"});
  ex.pythonThread = 0;
  PyThreadState_SetAsyncExc(PyThread_get_thread_ident(), nullptr);
  PyErr_Clear();
}

}  // namespace

// One turn of an execution on this thread: the reader feeds the step loop until the input is
// done and everything is emitted (the execution finishes), or until an async step holds
// records that are not settled yet (the execution parks: the thread goes back to the pool and
// the last settlement queues the execution again, see async_steps.cc).
void Engine::runExecution(const std::shared_ptr<Execution>& ex) {
  PyContext ctx;
  ctx.session = ex->session();
  ctx.execution = ex.get();
  ctx.db = ex->db();
  ContextScope scope(&ctx);

  // Taken once the reader has what it reads under the server lock, and held through the end
  // of the execution unless the reader must wait for that lock again: the GIL changes hands
  // as rarely as the lock order allows.
  python::GilSlot gil;
  if (!ex->run) {
    if (ex->abortRequested()) {
      PyObject* awaited;
      {
        python::GilHold hold;
        awaited = awaitedResults(*ex, {}, {});
      }
      finishExecution(ex, encodeReply(ex->replyStyle, {}, {}), {}, 0);
      return completeAwaited(awaited);
    }
    ex->setStatus(ExecStatus::Running);
    ex->markStarted();
    auto run = std::make_unique<ExecutionRun>();
    run->reader = makeReader(*ex, *store_);
    run->reader->prepare();  // without the GIL: it may wait for the server lock
    gil.take();
    run->runner = std::make_unique<StepRunner>(*ex, profile_.load(std::memory_order_relaxed));
    ex->run = std::move(run);
    // Nobody else holds run()'s awaitable: nobody ever can, so it needs no results.
    if (ex->awaiter && Py_REFCNT(ex->awaiter) == 1) Py_CLEAR(ex->awaiter);
  } else {
    gil.take();
  }
  ex->pythonThread = PyThread_get_thread_ident();  // under the GIL: abort() reads it with it
  ExecutionRun& run = *ex->run;
  StepRunner& runner = *run.runner;
  int idle = 0;
  for (;;) {
    if (!run.readerFinished && !ex->abortRequested()) {
      // Most readers wait for the server lock, which nobody waits for holding the GIL.
      if (!run.reader->runsWithGil()) gil.release();
      run.readerFinished = run.reader->run(runner);
    }
    gil.take();
    if (ex->abortRequested()) break;
    bool done;
    if (run.readerFinished) {
      done = runner.finish();
    } else {
      runner.pump();
      if (!runner.blocked()) continue;
      done = false;
    }
    if (done) break;
    // The steps above ran Python, so the GIL may have let an abort in since the check at the
    // top; parking now would leave nobody to resume the execution.
    if (ex->abortRequested()) break;
    if (ex->waitingSlots > 0) {
      ex->parked = true;
      leaveThread(*ex, *host_);
      return;
    }
    // Everything held is settled, so the next pass moves it on; twice without a waiting
    // slot would be a step loop that cannot move, which must not spin here.
    if (++idle > 2) {
      host_->post(Event{Event::Kind::Log, 0, false, false, 0, "warning",
                        "GEARS: an execution could not move its held records and was ended"});
      break;
    }
  }

  // Still holding the GIL from the loop.
  runner.abandon();
  leaveThread(*ex, *host_);
  std::string reply = encodeReply(ex->replyStyle, runner.results(), runner.errors());
  if (ex->keepResult) {
    if (!runner.errors().empty()) ex->keptError = runner.errors().front();
    else if (runner.results().size() != 1) ex->keptError = "Command hook must return exactly one result";
    else Py_INCREF(ex->keptResult = runner.results().front());
  }
  std::vector<std::string> errors = runner.errors();
  int64_t results = static_cast<int64_t>(runner.results().size());
  PyObject* awaited = awaitedResults(*ex, runner.results(), runner.errors());
  ex->run.reset();  // runner and reader go here, with the GIL
  gil.release();
  finishExecution(ex, std::move(reply), std::move(errors), results);
  completeAwaited(awaited);
}

void Engine::resume(const std::shared_ptr<Execution>& ex) {
  ex->parked = false;
  submit(ex);
}

void Engine::finishExecution(const std::shared_ptr<Execution>& ex, std::string reply,
                             std::vector<std::string> errors, int64_t results) {
  // keptReply before the status: a trigger's caller that sees the execution finished
  // reads it (registrations_entry.cc outcome()).
  if (ex->keepReply) ex->keptReply = reply;
  // A sync trigger or hook answered from keptReply by the caller that ran it: neither kept
  // here nor told to TS, which would only forget it again.
  bool answeredInline = ex->keepReply && tInline == ex.get();
  ex->setStatus(ex->abortRequested() ? ExecStatus::Aborted : ExecStatus::Done);
  ex->markFinished();
  std::shared_ptr<ExecutionReport> report = ex->report();
  report->reply = std::move(reply);
  report->errors = std::move(errors);
  report->results = results;
  {
    // In one step, so that describe() never finds it in neither.
    std::lock_guard<std::mutex> lk(liveMu_);
    live_.erase(ex->seq());
    if (!ex->replyInEvent && !answeredInline) finished_[ex->seq()] = report;
  }
  // A registration's execution TS hears of only now is listed (and its registration's oldest
  // kept one unlisted) here, on this thread: TS only mirrors both, in bulk.
  thread_local std::vector<uint64_t> evicted;  // reused: a flood evicts one per execution
  evicted.clear();
  bool listed = !ex->listWhenDone ||
                ex->registration->keepFinished(ex->seq(), maxPerRegistration_.load(std::memory_order_relaxed), evicted);
  if (ex->registration) ex->registration->onDone(*ex, *report);
  ex->commandCtx.reset();  // a hooked command waiting for this execution may reply now
  if (!listed) return forget(ex->seq());  // its registration is gone: nobody can ask about it
  if (ex->listWhenDone)
    return host_->postFinished(ex->seq(), ex->registration->seq(), report->status[0] == 'a', evicted);
  if (answeredInline) return;
  Event e{Event::Kind::ExecutionDone};
  e.id = ex->seq();
  e.withReply = ex->replyInEvent;
  e.report = std::move(report);
  host_->post(std::move(e));
}

bool Engine::abort(uint64_t seq) {
  std::shared_ptr<Execution> ex;
  {
    std::lock_guard<std::mutex> lk(liveMu_);
    auto it = live_.find(seq);
    if (it == live_.end()) return false;
    ex = it->second;
  }
  ex->requestAbort();
  python::GilHold gil;
  if (ex->pythonThread) PyThreadState_SetAsyncExc(ex->pythonThread, python::forceStoppedType());
  // An execution waiting for async steps has no thread: give it one to end on.
  if (ex->parked) resume(ex);
  return true;
}

std::vector<uint64_t> Engine::liveOf(const Registration* r) {
  std::vector<uint64_t> out;
  std::lock_guard<std::mutex> lk(liveMu_);
  for (const auto& [seq, ex] : live_)
    if (ex->registration.get() == r) out.push_back(seq);
  return out;
}

std::shared_ptr<const ExecutionReport> Engine::describe(uint64_t seq) {
  std::shared_ptr<Execution> ex;
  {
    std::lock_guard<std::mutex> lk(liveMu_);
    auto it = live_.find(seq);
    if (it == live_.end()) {
      auto done = finished_.find(seq);
      return done == finished_.end() ? nullptr : done->second;
    }
    ex = it->second;
  }
  return ex->report();
}

std::shared_ptr<const ExecutionReport> Engine::finished(uint64_t seq) {
  std::lock_guard<std::mutex> lk(liveMu_);
  auto it = finished_.find(seq);
  return it == finished_.end() ? nullptr : it->second;
}

void Engine::forget(uint64_t seq) {
  std::shared_ptr<const ExecutionReport> gone;  // freed outside the lock
  std::lock_guard<std::mutex> lk(liveMu_);
  auto it = finished_.find(seq);
  if (it == finished_.end()) return;
  gone = std::move(it->second);
  finished_.erase(it);
}

const char* Engine::status(uint64_t seq) {
  std::lock_guard<std::mutex> lk(liveMu_);
  auto it = live_.find(seq);
  return it == live_.end() ? nullptr : statusName(it->second->status());
}

bool Engine::callTsFromWorker(int db, std::vector<std::string> argv, Execution* ex, std::string& reply) {
  auto req = std::make_shared<TsRequest>();
  uint64_t id;
  {
    std::lock_guard<std::mutex> lk(requestsMu_);
    id = nextRequest_++;
    requests_[id] = req;
  }
  if (ex) ex->setPendingRequest(req);
  Event e{Event::Kind::TsCommand};
  e.id = id;
  e.db = db;
  e.argv = std::move(argv);
  host_->post(std::move(e));
  bool ok;
  {
    std::unique_lock<std::mutex> lk(req->mu);
    req->cv.wait(lk, [&] { return req->done || (ex && ex->abortRequested()); });
    ok = req->done && req->ok;
    if (ok) reply = std::move(req->reply);
  }
  if (ex) ex->setPendingRequest(nullptr);
  std::lock_guard<std::mutex> lk(requestsMu_);
  requests_.erase(id);
  return ok;
}

void Engine::completeTsCommand(uint64_t id, bool ok, std::string reply) {
  std::shared_ptr<TsRequest> req;
  {
    std::lock_guard<std::mutex> lk(requestsMu_);
    auto it = requests_.find(id);
    if (it == requests_.end()) return;  // the asker was aborted meanwhile
    req = it->second;
  }
  std::lock_guard<std::mutex> lk(req->mu);
  req->ok = ok;
  req->reply = std::move(reply);
  req->done = true;
  req->cv.notify_all();
}

void Engine::setExtraConfig(std::string key, std::string value) {
  std::lock_guard<std::mutex> lk(configMu_);
  extraConfig_[std::move(key)] = std::move(value);
}

bool Engine::extraConfig(std::string_view key, std::string& value) {
  std::lock_guard<std::mutex> lk(configMu_);
  auto it = extraConfig_.find(std::string(key));
  if (it == extraConfig_.end()) return false;
  value = it->second;
  return true;
}

void Engine::listExecution(uint64_t seq) {
  std::lock_guard<std::mutex> lk(listedMu_);
  BinaryId id(seq);
  if (!listed_.find(id.view())) listed_.add(id.view(), seq);
}

void Engine::unlistExecution(uint64_t seq) {
  {
    std::lock_guard<std::mutex> lk(listedMu_);
    listed_.erase(BinaryId(seq).view());
  }
  forget(seq);
}

std::vector<uint64_t> Engine::listedOrder() {
  std::lock_guard<std::mutex> lk(listedMu_);
  std::vector<uint64_t> out;
  out.reserve(listed_.size());
  listed_.forEach([&](const std::string&, uint64_t& seq) { out.push_back(seq); });
  return out;
}

void Engine::storeEventsPending() { host_->post(Event{Event::Kind::StoreEvents}); }

}  // namespace gearsd::engine
