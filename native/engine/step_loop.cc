#include "engine/step_loop.h"

#include "python/errors.h"
#include "python/records.h"

namespace gearsd::engine {
namespace {

std::string_view utf8(PyObject* str) {
  Py_ssize_t n;
  const char* p = PyUnicode_AsUTF8AndSize(str, &n);
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
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
  }
}

PyObject* StepRunner::call(size_t i, PyObject* fn, PyObject* a) {
  if (!profile_) return PyObject_CallOneArg(fn, a);
  int64_t t0 = monotonicNs();
  PyObject* r = PyObject_CallOneArg(fn, a);
  ex_.addStepNs(i, monotonicNs() - t0);
  return r;
}

PyObject* StepRunner::call(size_t i, PyObject* fn, PyObject* a, PyObject* b) {
  PyObject* args[2] = {a, b};
  if (!profile_) return PyObject_Vectorcall(fn, args, 2, nullptr);
  int64_t t0 = monotonicNs();
  PyObject* r = PyObject_Vectorcall(fn, args, 2, nullptr);
  ex_.addStepNs(i, monotonicNs() - t0);
  return r;
}

PyObject* StepRunner::call(size_t i, PyObject* fn, PyObject* a, PyObject* b, PyObject* c) {
  PyObject* args[3] = {a, b, c};
  if (!profile_) return PyObject_Vectorcall(fn, args, 3, nullptr);
  int64_t t0 = monotonicNs();
  PyObject* r = PyObject_Vectorcall(fn, args, 3, nullptr);
  ex_.addStepNs(i, monotonicNs() - t0);
  return r;
}

void StepRunner::fail() {
  // An abort lands as gears.forcestopped in whatever step runs; it is not the step's error.
  if (ex_.abortRequested()) {
    PyErr_Clear();
    return;
  }
  errors_.push_back(python::takeErrorText());
  errorSeen_ = true;
}

void StepRunner::readerError(std::string text) {
  if (ex_.abortRequested()) return;
  errors_.push_back(std::move(text));
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
    switch (s.kind) {
      case StepKind::ToPyRecord:
        if (key) {
          PyObject* kv = python::keyValueRecord(key, rec);
          Py_DECREF(key);
          Py_DECREF(rec);
          key = nullptr;
          if (!kv) return fail();
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
        PyObject* r = call(i, s.fn, rec);
        Py_DECREF(rec);
        if (!r) return fail();
        rec = r;
        break;
      }
      case StepKind::FlatExpand: {
        Py_CLEAR(key);
        if (!PyList_Check(rec)) break;
        // A copy, so that steps further on may change the list they came from.
        PyObject* items = PyList_GetSlice(rec, 0, PyList_GET_SIZE(rec));
        Py_DECREF(rec);
        if (!items) return fail();
        for (Py_ssize_t k = PyList_GET_SIZE(items); k-- > 0;) {
          if (cutAfter(i) || ex_.abortRequested()) break;
          PyObject* item = PyList_GET_ITEM(items, k);
          Py_INCREF(item);
          push(i + 1, item, nullptr);
        }
        Py_DECREF(items);
        return;
      }
      case StepKind::Filter: {
        Py_CLEAR(key);
        PyObject* r = call(i, s.fn, rec);
        int keep = r ? PyObject_IsTrue(r) : -1;
        Py_XDECREF(r);
        if (keep <= 0) {
          Py_DECREF(rec);
          if (keep < 0) fail();
          return;
        }
        break;
      }
      case StepKind::ForEach: {
        Py_CLEAR(key);
        PyObject* r = call(i, s.fn, rec);
        if (!r) {
          Py_DECREF(rec);
          return fail();
        }
        Py_DECREF(r);
        break;
      }
      case StepKind::Accumulate: {
        Py_CLEAR(key);
        PyObject* r = call(i, s.fn, st.acc ? st.acc : Py_None, rec);
        Py_DECREF(rec);
        if (!r) {
          Py_CLEAR(st.acc);  // a failing accumulator is thrown away
          return fail();
        }
        Py_XSETREF(st.acc, r);
        return;
      }
      case StepKind::ExtractKey: {
        Py_CLEAR(key);
        PyObject* r = s.identity ? (Py_INCREF(rec), rec) : call(i, s.fn, rec);
        if (r && !PyUnicode_Check(r)) Py_SETREF(r, PyObject_Repr(r));
        if (!r || !PyUnicode_AsUTF8(r)) {
          Py_XDECREF(r);
          Py_DECREF(rec);
          return fail();
        }
        key = r;
        break;
      }
      case StepKind::AccumulateByKey:
        return accumulateByKey(i, rec, key);
      case StepKind::Group:
        return group(i, rec, key);
      case StepKind::Reduce: {
        PyObject* r = call(i, s.fn, key ? key : Py_None, rec);
        Py_DECREF(rec);
        if (!r) {
          Py_XDECREF(key);
          return fail();
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
      return fail();
    }
  }
  std::string_view k = utf8(key);
  StepState& st = state_[i];
  KeyedAccumulator* e = st.byKey->find(k);
  PyObject* r = call(i, steps_[i].fn, e ? e->key : key, e ? e->acc : Py_None, rec);
  Py_DECREF(rec);
  if (!r) {
    if (e) {
      Py_DECREF(e->key);
      Py_DECREF(e->acc);
    }
    st.byKey->erase(k);  // RedisGears deletes the key's entry whether or not it had one
    Py_DECREF(key);
    return fail();
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
      return fail();
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
      return fail();
    }
    idx = st.groups.size();
    st.groupIndex->add(k, idx);
    st.groups.push_back({key, list});
  }
  int rc = PyList_Append(st.groups[idx].list, rec);
  Py_DECREF(rec);
  if (rc < 0) fail();
}

void StepRunner::finish() {
  for (size_t i = 0; i < steps_.size(); i++) {
    if (cutAfter(i)) continue;
    StepState& st = state_[i];
    switch (steps_[i].kind) {
      case StepKind::Accumulate:
        if (st.acc) {
          PyObject* a = st.acc;
          st.acc = nullptr;
          push(i + 1, a, nullptr);
        }
        break;
      case StepKind::AccumulateByKey: {
        std::vector<KeyedAccumulator> out;
        out.reserve(st.byKey->size());
        st.byKey->forEach([&](const std::string&, KeyedAccumulator& e) { out.push_back(e); });
        st.byKey->clear();
        size_t k = 0;
        for (; k < out.size() && !cutAfter(i) && !ex_.abortRequested(); k++) push(i + 1, out[k].acc, out[k].key);
        for (; k < out.size(); k++) {
          Py_DECREF(out[k].key);
          Py_DECREF(out[k].acc);
        }
        break;
      }
      case StepKind::Group: {
        std::vector<GroupEntry> out = std::move(st.groups);
        st.groups.clear();
        st.groupIndex->clear();
        size_t k = out.size();
        for (; k > 0 && !cutAfter(i) && !ex_.abortRequested(); k--) push(i + 1, out[k - 1].list, out[k - 1].key);
        for (; k > 0; k--) {
          Py_DECREF(out[k - 1].key);
          Py_DECREF(out[k - 1].list);
        }
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace gearsd::engine
