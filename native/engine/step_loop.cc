#include "engine/step_loop.h"

#include "engine/async_steps.h"
#include "python/errors.h"
#include "python/gears_module.h"
#include "python/records.h"

namespace gearsd::engine {
namespace {

std::string_view utf8(PyObject* str) {
  Py_ssize_t n;
  const char* p = PyUnicode_AsUTF8AndSize(str, &n);
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

bool accumulating(StepKind k) {
  return k == StepKind::Accumulate || k == StepKind::AccumulateByKey || k == StepKind::Group;
}

// A coroutine a step may not wait on: closed (no "never awaited" warning) and an error set
// (flat_error's text is its message alone, as RedisGears' own error texts are).
void refuseCoroutine(PyObject* coro, PyObject* type, const char* text) {
  PyObject* r = PyObject_CallMethod(coro, "close", nullptr);
  if (r) Py_DECREF(r);
  else PyErr_Clear();
  PyErr_SetString(type, text);
}

}  // namespace

StepRunner::StepRunner(Execution& ex, bool profile)
    : ex_(ex), steps_(ex.plan().steps()), profile_(profile), state_(steps_.size()) {
  for (size_t i = 0; i < steps_.size(); i++) {
    if (steps_[i].kind == StepKind::AccumulateByKey)
      state_[i].byKey = std::make_unique<python::GearsDict<KeyedAccumulator>>();
    if (steps_[i].kind == StepKind::Group) state_[i].groupIndex = std::make_unique<python::GearsDict<size_t>>();
  }
}

StepRunner::~StepRunner() {
  abandon();
  for (PyObject* r : results_) Py_DECREF(r);
  for (StepState& st : state_) {
    Py_XDECREF(st.acc);
    if (st.byKey) st.byKey->forEach([](const std::string&, KeyedAccumulator& e) {
      Py_XDECREF(e.key);
      Py_XDECREF(e.acc);
    });
    for (GroupEntry& g : st.groups) {
      Py_XDECREF(g.key);
      Py_XDECREF(g.list);
    }
    // what an interrupted finish() had still to emit
    for (size_t k = st.outPos; k < st.outKeyed.size(); k++) {
      Py_DECREF(st.outKeyed[k].key);
      Py_DECREF(st.outKeyed[k].acc);
    }
    for (size_t k = st.outPos; k < st.outGroups.size(); k++) {
      GroupEntry& g = st.outGroups[st.outGroups.size() - 1 - k];
      Py_DECREF(g.key);
      Py_DECREF(g.list);
    }
  }
}

PyObject* StepRunner::rawCall(size_t i, PyObject* a) {
  if (!profile_) return PyObject_CallOneArg(steps_[i].fn, a);
  int64_t t0 = monotonicNs();
  PyObject* r = PyObject_CallOneArg(steps_[i].fn, a);
  ex_.addStepNs(i, monotonicNs() - t0);
  return r;
}

PyObject* StepRunner::rawCall(size_t i, PyObject* a, PyObject* b) {
  PyObject* args[2] = {a, b};
  if (!profile_) return PyObject_Vectorcall(steps_[i].fn, args, 2, nullptr);
  int64_t t0 = monotonicNs();
  PyObject* r = PyObject_Vectorcall(steps_[i].fn, args, 2, nullptr);
  ex_.addStepNs(i, monotonicNs() - t0);
  return r;
}

PyObject* StepRunner::rawCall(size_t i, PyObject* a, PyObject* b, PyObject* c) {
  PyObject* args[3] = {a, b, c};
  if (!profile_) return PyObject_Vectorcall(steps_[i].fn, args, 3, nullptr);
  int64_t t0 = monotonicNs();
  PyObject* r = PyObject_Vectorcall(steps_[i].fn, args, 3, nullptr);
  ex_.addStepNs(i, monotonicNs() - t0);
  return r;
}

// Calls step i's callback and sorts out what came back (RedisGears' order of checks): the
// gearsFuture() the call made and returned holds the record; one it made but did not return is
// released; a coroutine holds the record when the step may wait, and is refused otherwise.
template <class... A>
StepRunner::Outcome StepRunner::invoke(size_t i, PyObject*& out, std::shared_ptr<AsyncSlot>& slot, A... args) {
  StepKind kind = steps_[i].kind;
  StepCall call{kind, &ex_};
  StepCall*& current = currentStepCall();
  StepCall* previous = current;
  current = &call;
  PyObject* r = rawCall(i, args...);
  current = previous;
  if (call.future) {
    PyObject* f = call.future;
    if (r == f) {
      Py_DECREF(r);
      slot = heldSlot(f);
      Py_DECREF(f);
      return Outcome::Held;
    }
    releaseUnreturned(f);
    Py_DECREF(f);
  }
  if (!r) return Outcome::Failed;
  if (PyCoro_CheckExact(r)) {
    // The step's own refusals are RedisGears' bare texts; the others are gears.error raised
    // outside the callback (so their text has no traceback).
    const char* refused = nullptr;
    PyObject* type = python::flatErrorType();
    if (kind == StepKind::ExtractKey) refused = "coroutine are not allow on extractor";
    else if (kind == StepKind::Reduce) refused = "coroutine are not allow on reduce";
    else if (call.future) refused = "Can not create async record twice on the same step";
    else if (ex_.noAsync) refused = "Creating async record is not allowed";
    if (refused) {
      if (kind != StepKind::ExtractKey && kind != StepKind::Reduce) type = python::gearsErrorType();
      refuseCoroutine(r, type, refused);
      Py_DECREF(r);
      return Outcome::Failed;
    }
    slot = std::make_shared<AsyncSlot>();
    PyObject* future = newStepFuture(ex_, kind, slot);
    if (!future) {
      Py_DECREF(r);
      return Outcome::Failed;
    }
    runOnLoop(r, future);
    return Outcome::Held;
  }
  out = r;
  return Outcome::Value;
}

void StepRunner::fail(size_t i) {
  // An abort lands as gears.forcestopped in whatever step runs; it is not the step's error.
  if (ex_.abortRequested()) {
    PyErr_Clear();
    return;
  }
  std::string text = python::takeErrorText();
  if (queued(i)) {
    auto slot = std::make_shared<AsyncSlot>();
    slot->state = AsyncSlot::State::Failed;
    slot->error = std::move(text);
    state_[i].pending.push_back(std::move(slot));
    return;
  }
  emitError(i + 1, std::move(text));
}

void StepRunner::emitError(size_t i, std::string text) {
  if (async_) {
    for (size_t k = i; k < steps_.size(); k++) {
      if (state_[k].pending.empty()) continue;
      auto slot = std::make_shared<AsyncSlot>();
      slot->state = AsyncSlot::State::Failed;
      slot->passing = true;
      slot->error = std::move(text);
      state_[k].pending.push_back(std::move(slot));
      return;
    }
  }
  errors_.push_back(std::move(text));
  errorSeen_ = true;
}

void StepRunner::readerError(std::string text) {
  if (ex_.abortRequested()) return;
  emitError(0, std::move(text));
  errorSeen_ = true;
}

// Pushes `rec` (and the key an extractkey gave it, if any) into step i and on, taking both
// references. Steps with one output loop here; flatmap recurses per element.
void StepRunner::push(size_t i, PyObject* rec, PyObject* key) {
  const size_t n = steps_.size();
  for (;; i++) {
    if (i == n) {
      Py_XDECREF(key);
      results_.push_back(rec);
      return;
    }
    const Step& s = steps_[i];
    StepState& st = state_[i];
    std::shared_ptr<AsyncSlot> slot;
    PyObject* r = nullptr;
    switch (s.kind) {
      case StepKind::ToPyRecord:
        if (key) {
          PyObject* kv = python::keyValueRecord(key, rec);
          Py_DECREF(key);
          Py_DECREF(rec);
          key = nullptr;
          if (!kv) return fail(i);
          rec = kv;
        }
        break;
      case StepKind::Repartition:
        break;  // stand-alone: the record stays here, key and all
      case StepKind::Collect:
        Py_CLEAR(key);
        break;
      case StepKind::Map:
      case StepKind::FlatMapper: {
        Py_CLEAR(key);
        Outcome o = invoke(i, r, slot, rec);
        Py_DECREF(rec);
        if (o == Outcome::Held) return hold(i, std::move(slot));
        if (o == Outcome::Failed) return fail(i);
        if (queued(i)) return queueReady(i, r, nullptr);
        rec = r;
        break;
      }
      case StepKind::FlatExpand: {
        Py_CLEAR(key);
        if (!PyList_Check(rec)) break;
        // A copy, so that steps further on may change the list they came from.
        PyObject* items = PyList_GetSlice(rec, 0, PyList_GET_SIZE(rec));
        Py_DECREF(rec);
        if (!items) return fail(i);
        st.expand = items;
        st.expandLeft = PyList_GET_SIZE(items);
        return expandFrom(i);
      }
      case StepKind::Filter: {
        Py_CLEAR(key);
        Outcome o = invoke(i, r, slot, rec);
        if (o == Outcome::Held) {
          slot->origin = rec;
          return hold(i, std::move(slot));
        }
        int keep = o == Outcome::Value ? PyObject_IsTrue(r) : -1;
        Py_XDECREF(r);
        if (keep <= 0) {
          Py_DECREF(rec);
          if (keep < 0) fail(i);
          return;
        }
        if (queued(i)) return queueReady(i, nullptr, rec);
        break;
      }
      case StepKind::ForEach: {
        Py_CLEAR(key);
        Outcome o = invoke(i, r, slot, rec);
        if (o == Outcome::Held) {
          slot->origin = rec;
          return hold(i, std::move(slot));
        }
        if (o == Outcome::Failed) {
          Py_DECREF(rec);
          return fail(i);
        }
        Py_DECREF(r);
        if (queued(i)) return queueReady(i, nullptr, rec);
        break;
      }
      case StepKind::Accumulate: {
        Py_CLEAR(key);
        Outcome o = invoke(i, r, slot, st.acc ? st.acc : Py_None, rec);
        Py_DECREF(rec);
        if (o == Outcome::Held) return hold(i, std::move(slot));  // the accumulator changes when it settles
        if (o == Outcome::Failed) {
          Py_CLEAR(st.acc);  // a failing accumulator is thrown away
          return fail(i);
        }
        Py_XSETREF(st.acc, r);
        return;
      }
      case StepKind::ExtractKey: {
        Py_CLEAR(key);
        Outcome o = Outcome::Value;
        if (s.identity) {
          Py_INCREF(rec);
          r = rec;
        } else {
          o = invoke(i, r, slot, rec);
        }
        if (o == Outcome::Value && !PyUnicode_Check(r)) Py_SETREF(r, PyObject_Repr(r));
        if (o != Outcome::Value || !r || !PyUnicode_AsUTF8(r)) {
          Py_XDECREF(r);
          Py_DECREF(rec);
          return fail(i);
        }
        key = r;
        break;
      }
      case StepKind::AccumulateByKey:
        return accumulateByKey(i, rec, key);
      case StepKind::Group:
        return group(i, rec, key);
      case StepKind::Reduce: {
        Outcome o = invoke(i, r, slot, key ? key : Py_None, rec);
        Py_DECREF(rec);
        if (o != Outcome::Value) {
          Py_XDECREF(key);
          return fail(i);
        }
        rec = r;  // the key goes on with it, to ToPyRecord
        break;
      }
      case StepKind::Limit: {
        Py_CLEAR(key);
        // Size arithmetic wraps exactly as RedisGears' size_t does (limit(-1) is "no limit").
        uint64_t end = s.offset + s.length;
        if (st.index >= s.offset && st.index < end) {
          st.index++;
          break;
        }
        Py_DECREF(rec);
        st.index++;
        if (st.index >= end && (cutAt_ == kNone || i > cutAt_)) cutAt_ = i;
        return;
      }
    }
  }
}

void StepRunner::accumulateByKey(size_t i, PyObject* rec, PyObject* key) {
  if (!key) {  // only reachable with a hand-made plan; treat the record as its own key
    key = PyObject_Str(rec);
    if (!key) {
      Py_DECREF(rec);
      return fail(i);
    }
  }
  std::string_view k = utf8(key);
  StepState& st = state_[i];
  KeyedAccumulator* e = st.byKey->find(k);
  std::shared_ptr<AsyncSlot> slot;
  PyObject* r = nullptr;
  Outcome o = invoke(i, r, slot, e ? e->key : key, e ? e->acc : Py_None, rec);
  Py_DECREF(rec);
  if (o == Outcome::Held) {
    // The key's accumulator is the settled value; until then it is None.
    if (!e) {
      Py_INCREF(Py_None);
      e = &st.byKey->add(k, KeyedAccumulator{key, Py_None});
    } else {
      Py_DECREF(key);
    }
    slot->entry = e;
    return hold(i, std::move(slot));
  }
  if (o == Outcome::Failed) {
    if (e) {
      Py_DECREF(e->key);
      Py_DECREF(e->acc);
    }
    st.byKey->erase(k);  // RedisGears deletes the key's entry whether or not it had one
    Py_DECREF(key);
    return fail(i);
  }
  if (e) {
    Py_SETREF(e->acc, r);
    Py_DECREF(key);
  } else {
    st.byKey->add(k, KeyedAccumulator{key, r});
  }
}

void StepRunner::group(size_t i, PyObject* rec, PyObject* key) {
  if (!key) {
    key = PyObject_Str(rec);
    if (!key) {
      Py_DECREF(rec);
      return fail(i);
    }
  }
  StepState& st = state_[i];
  std::string_view k = utf8(key);
  size_t idx;
  if (size_t* found = st.groupIndex->find(k)) {
    idx = *found;
    Py_DECREF(key);
  } else {
    PyObject* list = PyList_New(0);
    if (!list) {
      Py_DECREF(key);
      Py_DECREF(rec);
      return fail(i);
    }
    idx = st.groups.size();
    st.groupIndex->add(k, idx);
    st.groups.push_back({key, list});
  }
  int rc = PyList_Append(st.groups[idx].list, rec);
  Py_DECREF(rec);
  if (rc < 0) fail(i);
}

// ---- async ----------------------------------------------------------------------------------

size_t StepRunner::capacity(size_t i) const { return stepWaitCapacity(steps_[i].kind); }

bool StepRunner::roomFrom(size_t i) const {
  for (size_t j = i; j < steps_.size(); j++) {
    const StepState& st = state_[j];
    if (st.expand) return false;
    if (!st.pending.empty() && st.pending.size() >= capacity(j)) return false;
  }
  return true;
}

bool StepRunner::heldUpTo(size_t i) const {
  for (size_t j = 0; j <= i && j < steps_.size(); j++)
    if (state_[j].expand || !state_[j].pending.empty()) return true;
  return false;
}

void StepRunner::hold(size_t i, std::shared_ptr<AsyncSlot> slot) {
  async_ = true;
  if (slot->state == AsyncSlot::State::Waiting) {
    slot->counted = true;
    ex_.waitingSlots++;
  }
  state_[i].pending.push_back(std::move(slot));
}

// A result of step i that must wait behind the records it already holds (both references taken).
void StepRunner::queueReady(size_t i, PyObject* value, PyObject* origin) {
  auto slot = std::make_shared<AsyncSlot>();
  slot->state = AsyncSlot::State::Ready;
  slot->value = value;
  slot->origin = origin;
  if (steps_[i].kind == StepKind::Filter) {
    Py_INCREF(Py_True);
    slot->value = Py_True;
  }
  state_[i].pending.push_back(std::move(slot));
}

// A settled head of step i's queue moves on (the caller checked there is room downstream).
void StepRunner::release(size_t i, AsyncSlot& slot) {
  StepState& st = state_[i];
  if (slot.state == AsyncSlot::State::Failed) {
    if (!slot.passing) {
      if (steps_[i].kind == StepKind::Accumulate) Py_CLEAR(st.acc);
      if (KeyedAccumulator* e = slot.entry) {
        std::string k(utf8(e->key));
        Py_DECREF(e->key);
        Py_DECREF(e->acc);
        st.byKey->erase(k);
      }
    }
    if (!ex_.abortRequested()) emitError(i + 1, std::move(slot.error));
    return;
  }
  PyObject* value = slot.value;
  PyObject* origin = slot.origin;
  slot.value = slot.origin = nullptr;
  switch (steps_[i].kind) {
    case StepKind::Map:
    case StepKind::FlatMapper:
      Py_XDECREF(origin);
      if (value) push(i + 1, value, nullptr);
      return;
    case StepKind::Filter: {
      bool keep = value == Py_True;
      Py_XDECREF(value);
      if (keep && origin) push(i + 1, origin, nullptr);
      else Py_XDECREF(origin);
      return;
    }
    case StepKind::ForEach:
      Py_XDECREF(value);
      if (origin) push(i + 1, origin, nullptr);
      return;
    case StepKind::Accumulate:
      Py_XDECREF(origin);
      Py_XSETREF(st.acc, value);
      return;
    case StepKind::AccumulateByKey:
      Py_XDECREF(origin);
      if (slot.entry && value) Py_SETREF(slot.entry->acc, value);
      else Py_XDECREF(value);
      return;
    default:
      Py_XDECREF(value);
      Py_XDECREF(origin);
      return;
  }
}

// Emits the rest of the list step i (a FlatExpand) is expanding, while there is room after it.
void StepRunner::expandFrom(size_t i) {
  StepState& st = state_[i];
  while (st.expandLeft > 0) {
    if (cutAfter(i) || ex_.abortRequested()) break;
    if (async_ && !roomFrom(i + 1)) return;  // the rest waits for room
    PyObject* item = PyList_GET_ITEM(st.expand, --st.expandLeft);
    Py_INCREF(item);
    push(i + 1, item, nullptr);
  }
  Py_CLEAR(st.expand);
  st.expandLeft = 0;
}

void StepRunner::dropHeld(size_t i) {
  StepState& st = state_[i];
  for (auto& slot : st.pending) {
    if (slot->counted) {
      slot->counted = false;
      ex_.waitingSlots--;
    }
    slot->state = AsyncSlot::State::Abandoned;
    slot->entry = nullptr;
  }
  st.pending.clear();
  Py_CLEAR(st.expand);
  st.expandLeft = 0;
}

void StepRunner::abandon() {
  for (size_t i = 0; i < steps_.size(); i++) dropHeld(i);
}

void StepRunner::pump() {
  if (!async_) return;
  const size_t n = steps_.size();
  for (bool moved = true; moved;) {
    moved = false;
    // Downstream first: what a later step holds came in before anything an earlier step holds.
    for (size_t j = n; j-- > 0;) {
      StepState& st = state_[j];
      if (cutAfter(j) || ex_.abortRequested()) {
        dropHeld(j);
        continue;
      }
      if (st.expand && roomFrom(j + 1)) {
        expandFrom(j);
        moved = true;
      }
      while (!st.pending.empty()) {
        AsyncSlot& head = *st.pending.front();
        if (head.state == AsyncSlot::State::Waiting || !roomFrom(j + 1)) break;
        std::shared_ptr<AsyncSlot> slot = std::move(st.pending.front());
        st.pending.pop_front();
        release(j, *slot);
        moved = true;
      }
    }
  }
}

// Emits what accumulating step i holds; false when the rest must wait for room after it.
bool StepRunner::flushStep(size_t i) {
  StepState& st = state_[i];
  switch (steps_[i].kind) {
    case StepKind::Accumulate:
      if (st.acc) {
        if (async_ && !roomFrom(i + 1)) return false;
        PyObject* a = st.acc;
        st.acc = nullptr;
        push(i + 1, a, nullptr);
      }
      return true;
    case StepKind::AccumulateByKey: {
      if (!st.flushing) {
        st.flushing = true;
        st.outKeyed.reserve(st.byKey->size());
        st.byKey->forEach([&](const std::string&, KeyedAccumulator& e) { st.outKeyed.push_back(e); });
        st.byKey->clear();
      }
      for (; st.outPos < st.outKeyed.size() && !cutAfter(i) && !ex_.abortRequested(); st.outPos++) {
        if (async_ && !roomFrom(i + 1)) return false;
        KeyedAccumulator e = st.outKeyed[st.outPos];
        push(i + 1, e.acc, e.key);
      }
      for (; st.outPos < st.outKeyed.size(); st.outPos++) {
        Py_DECREF(st.outKeyed[st.outPos].key);
        Py_DECREF(st.outKeyed[st.outPos].acc);
      }
      st.outKeyed.clear();
      return true;
    }
    case StepKind::Group: {
      if (!st.flushing) {
        st.flushing = true;
        st.outGroups = std::move(st.groups);
        st.groups.clear();
        st.groupIndex->clear();
      }
      // Reverse first-seen order.
      for (; st.outPos < st.outGroups.size() && !cutAfter(i) && !ex_.abortRequested(); st.outPos++) {
        if (async_ && !roomFrom(i + 1)) return false;
        GroupEntry g = st.outGroups[st.outGroups.size() - 1 - st.outPos];
        push(i + 1, g.list, g.key);
      }
      for (; st.outPos < st.outGroups.size(); st.outPos++) {
        GroupEntry g = st.outGroups[st.outGroups.size() - 1 - st.outPos];
        Py_DECREF(g.key);
        Py_DECREF(g.list);
      }
      st.outGroups.clear();
      return true;
    }
    default:
      return true;
  }
}

bool StepRunner::finish() {
  const size_t n = steps_.size();
  for (;;) {
    pump();
    if (flushAt_ == n) return !heldUpTo(n - 1);
    size_t i = flushAt_;
    if (!accumulating(steps_[i].kind) || cutAfter(i)) {
      flushAt_++;
      continue;
    }
    // A step's input is complete once nothing before it, nor the step itself, holds records.
    if (async_ && heldUpTo(i)) return false;
    if (!flushStep(i)) return false;
    flushAt_++;
  }
}

}  // namespace gearsd::engine
