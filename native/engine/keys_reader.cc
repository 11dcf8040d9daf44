// KeysReader and KeysOnlyReader: a glob scan of the execution's database, one batch per hold
// of the server lock (readers.h). Not an atomic snapshot, as in RedisGears: keys written
// between batches may or may not be seen, and Dict::scan's cursor guarantees every key present
// for the whole walk is seen at least once.
#include <string>

#include "engine/readers.h"
#include "python/errors.h"
#include "python/gil.h"
#include "python/records.h"
#include "python/reply_objects.h"
#include "store/glob.h"
#include "store/numbers.h"
#include "store/server_lock.h"
#include "store/t_hash.h"
#include "store/t_list.h"

namespace gearsd::engine {

using python::KeyBatch;

namespace {

// Copies one key (and, for KeysReader, its value) into the batch. Server lock held.
void copyEntry(KeyBatch& batch, const store::KeyEntry* e, bool withValue) {
  std::string_view key = e->key();
  if (!withValue) return batch.addTyped(key, KeyBatch::Kind::String);
  switch (e->type) {
    case store::ValueType::String:
      return batch.addString(key, e->str());
    case store::ValueType::Set:
      return batch.addTyped(key, KeyBatch::Kind::Set);
    case store::ValueType::ZSet:
      return batch.addTyped(key, KeyBatch::Kind::ZSet);
    case store::ValueType::Stream:
      return batch.addTyped(key, KeyBatch::Kind::Stream);
    case store::ValueType::Hash:
      // Fields in HGETALL's order, as RedisGears reads them; records.cc gives them its dict order.
      batch.beginItems(key, KeyBatch::Kind::Hash);
      e->as<store::HashObject>()->forEach([&](std::string_view f, std::string_view v) {
        batch.addItem(f);
        batch.addItem(v);
      });
      return batch.endItems();
    case store::ValueType::List:
      batch.beginItems(key, KeyBatch::Kind::List);
      e->as<store::ListObject>()->forEach([&](std::string_view v) { batch.addItem(v); });
      return batch.endItems();
  }
}

// The scan both readers share: batches of keys matching `pattern`, in cursor order.
class KeyScan {
 public:
  KeyScan(store::Store& store, int db, std::string pattern, size_t batchKeys)
      : store_(store), db_(db), pattern_(std::move(pattern)), batchKeys_(batchKeys) {
    matchAll_ = pattern_.size() == 1 && pattern_[0] == '*';
  }

  // Fills the next batch under the server lock; false once the walk is complete.
  bool next(KeyBatch& batch, bool withValue) {
    if (done_) return false;
    batch.clear();
    store::ServerLockGuard lock;
    store::Db& db = store_.db(db_);
    int64_t now = store::nowMs();
    size_t visits = 0;
    cursor_ = db.keys.scanSteps(
        cursor_, kVisitsPerBatch,
        [&](store::KeyEntry* e) {
          visits++;
          if (!matchAll_ && !store::globMatch(pattern_, e->key())) return;
          if (store_.isExpired(db, e, now)) return;
          copyEntry(batch, e, withValue);
        },
        [&] { return batch.size() >= batchKeys_ || visits >= kVisitsPerBatch; });
    if (cursor_ == 0) done_ = true;
    return true;
  }

 private:
  store::Store& store_;
  int db_;
  std::string pattern_;
  size_t batchKeys_;
  bool matchAll_ = false;
  uint64_t cursor_ = 0;
  bool done_ = false;
};

// Copies the one key `noScan` names (missing keys included). Server lock taken here.
void readExactKey(store::Store& store, int dbIndex, std::string_view key, KeyBatch& batch, bool withValue) {
  store::ServerLockGuard lock;
  store::Db& db = store.db(dbIndex);
  const store::KeyEntry* e = store.peek(db, key);
  if (e && store.isExpired(db, e, store::nowMs())) e = nullptr;
  if (e) copyEntry(batch, e, withValue);
  else if (withValue) batch.addTyped(key, KeyBatch::Kind::Missing);
}

// The walk both readers make: with noScan the one key the pattern names (`exactMissing`: a
// missing key still gives an entry), otherwise a scan; each batch turned into records, with
// the GIL, by the reader's makeRecord. It pauses where the step loop blocks and resumes there.
class KeyWalk : public Reader {
 protected:
  KeyWalk(Execution& ex, store::Store& store) : ex_(ex), store_(store) {}

  // Sets what the walk reads; before the first walk().
  void setUp(std::string pattern, bool noScan, bool exactMissing, size_t batchKeys, bool withValue) {
    pattern_ = std::move(pattern);
    noScan_ = noScan;
    exactMissing_ = exactMissing;
    batchKeys_ = batchKeys;
    withValue_ = withValue;
  }

  bool walk(StepRunner& runner) {
    for (;;) {
      if (pos_ < batch_.size()) {
        if (!feedBatch(runner)) return runner.readerDone();
      }
      if (runner.readerDone() || last_) return true;
      batch_.clear();
      pos_ = 0;
      if (noScan_) {
        readExactKey(store_, ex_.db(), pattern_, batch_, exactMissing_);
        last_ = true;
        continue;
      }
      if (!scan_) scan_ = std::make_unique<KeyScan>(store_, ex_.db(), pattern_, batchKeys_);
      int64_t t0 = monotonicNs();
      bool more = scan_->next(batch_, withValue_);
      ex_.addReadNs(monotonicNs() - t0);
      if (!more) return true;
    }
  }

  virtual PyObject* makeRecord(const KeyBatch::Entry& e) = 0;

  Execution& ex_;
  store::Store& store_;
  KeyBatch batch_;

 private:
  // Turns the rest of the batch into records and pushes them, with the GIL; false when it
  // stopped early (the runner is done or blocked). The first step's time
  // (RedisGearsPy_ToPyRecordMapper) is the conversion's.
  bool feedBatch(StepRunner& runner) {
    python::GilHold gil;
    const std::vector<KeyBatch::Entry>& entries = batch_.entries();
    for (; pos_ < entries.size(); pos_++) {
      if (runner.readerDone() || runner.blocked()) return false;
      int64_t t0 = runner.profiling() ? monotonicNs() : 0;
      PyObject* rec = makeRecord(entries[pos_]);
      if (runner.profiling()) ex_.addStepNs(0, monotonicNs() - t0);
      if (!rec) {
        runner.readerError(python::takeErrorText());
        return false;
      }
      runner.feed(rec);
    }
    return true;
  }

  std::string pattern_;
  bool noScan_ = false;
  bool exactMissing_ = false;
  size_t batchKeys_ = kKeysPerBatch;
  bool withValue_ = true;
  std::unique_ptr<KeyScan> scan_;
  size_t pos_ = 0;     // the next entry of batch_ to feed
  bool last_ = false;  // batch_ is the last one (noScan)
};

class KeysReader final : public KeyWalk {
 public:
  KeysReader(Execution& ex, store::Store& store) : KeyWalk(ex, store) {
    const ReaderSpec& spec = ex.plan().reader();
    readValue_ = spec.readValue;
    setUp(spec.pattern, spec.noScan, true, kKeysPerBatch, readValue_);
  }

  bool run(StepRunner& runner) override { return walk(runner); }

 private:
  PyObject* makeRecord(const KeyBatch::Entry& e) override { return batch_.keysRecord(e, readValue_); }

  bool readValue_;
};

// KeysOnlyReader(pattern, count=1000, noScan=False, patternGenerator=None): key names.
// RedisGears runs it as a Python generator over SCAN ... MATCH ... COUNT count; `count` is the
// same knob here (keys looked at per batch) and fails the way SCAN's COUNT does.
class KeysOnlyReader final : public KeyWalk {
 public:
  KeysOnlyReader(Execution& ex, store::Store& store) : KeyWalk(ex, store) {}

  bool run(StepRunner& runner) override {
    if (!started_) {
      started_ = true;
      const ReaderSpec& spec = ex_.plan().reader();
      std::string pattern = spec.pattern;
      bool noScan = spec.noScan;
      int64_t count = 0;
      python::GilHold gil;
      if (spec.fn && !generatePattern(spec.fn, pattern, noScan)) {
        runner.readerError(python::takeErrorText());
        return true;
      }
      std::string error;
      if (!noScan && !countOf(spec.count, count, error)) {
        runner.readerError(error);
        return true;
      }
      setUp(pattern, noScan, false, static_cast<size_t>(count), false);
    }
    return walk(runner);
  }

 private:
  PyObject* makeRecord(const KeyBatch::Entry& e) override { return batch_.keyName(e); }

  // patternGenerator() must return (pattern, noScan).
  static bool generatePattern(PyObject* fn, std::string& pattern, bool& noScan) {
    PyObject* r = PyObject_CallNoArgs(fn);
    if (!r) return false;
    PyObject *p = nullptr, *n = nullptr;
    bool ok = PyArg_ParseTuple(r, "OO", &p, &n);
    if (ok) {
      PyObject* s = PyObject_Str(p);
      const char* text = s ? PyUnicode_AsUTF8(s) : nullptr;
      if (text) pattern = text;
      Py_XDECREF(s);
      int truth = PyObject_IsTrue(n);
      ok = text && truth >= 0;
      noScan = truth == 1;
    }
    Py_DECREF(r);
    return ok;
  }

  // str(count) parsed as SCAN parses COUNT.
  static bool countOf(PyObject* o, int64_t& count, std::string& error) {
    PyObject* s = o ? PyObject_Str(o) : nullptr;
    Py_ssize_t n = 0;
    const char* text = s ? PyUnicode_AsUTF8AndSize(s, &n) : nullptr;
    bool ok = text && store::parseInt64(std::string_view(text, n), count);
    Py_XDECREF(s);
    PyErr_Clear();
    if (!ok) error = "ERR value is not an integer or out of range";
    else if (count < 1) error = "ERR syntax error";
    return ok && count >= 1;
  }

  bool started_ = false;
};

// A registration's run (GEARS_API.md §5.1): the key the event touched, read as noScan reads
// it, so a missing key still gives a record (type 'empty'); without readValue the record is
// only {'event', 'key'}.
class KeyEventReader final : public Reader {
 public:
  KeyEventReader(Execution& ex, store::Store& store, const std::string& key, const std::string& event, bool readValue)
      : ex_(ex), store_(store), key_(key), event_(event), readValue_(readValue) {}

  void prepare() override {
    int64_t t0 = monotonicNs();
    if (readValue_) readExactKey(store_, ex_.db(), key_, batch_, true);
    else batch_.addTyped(key_, KeyBatch::Kind::Missing);
    ex_.addReadNs(monotonicNs() - t0);
  }
  bool runsWithGil() const override { return true; }

  bool run(StepRunner& runner) override {  // GIL held (runsWithGil)
    // One record: it is fed on the first call, so the reader is finished after it.
    if (runner.readerDone() || batch_.size() == 0) return true;
    PyObject* event = python::textOrBytearray(event_.data(), event_.size());
    PyObject* rec = event ? batch_.keysRecord(batch_.entries().front(), readValue_, event) : nullptr;
    Py_XDECREF(event);
    if (!rec) runner.readerError(python::takeErrorText());
    else runner.feed(rec);
    return true;
  }

 private:
  Execution& ex_;
  store::Store& store_;
  const std::string& key_;
  const std::string& event_;
  bool readValue_;
  KeyBatch batch_;
};

}  // namespace

std::unique_ptr<Reader> makeKeyEventReader(Execution& ex, store::Store& store, const std::string& key,
                                           const std::string& event, bool readValue) {
  return std::make_unique<KeyEventReader>(ex, store, key, event, readValue);
}

std::unique_ptr<Reader> makeKeysReader(Execution& ex, store::Store& store) {
  return std::make_unique<KeysReader>(ex, store);
}

std::unique_ptr<Reader> makeKeysOnlyReader(Execution& ex, store::Store& store) {
  return std::make_unique<KeysOnlyReader>(ex, store);
}

}  // namespace gearsd::engine
