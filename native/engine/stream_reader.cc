// StreamReader's run(key, fromId='0-0'): the entries of one stream after fromId (exclusive),
// as `XREAD STREAMS key fromId` gives them (GEARS_API.md §5.3). RedisGears reads them with one
// XREAD; here they are read in batches, one hold of the server lock each, like the other
// keyspace readers. An id XREAD would refuse, or a key of another type, is an error record
// with XREAD's text; a missing key gives no records.
#include "engine/readers.h"
#include "python/errors.h"
#include "python/gil.h"
#include "python/records.h"
#include "python/reply_objects.h"
#include "store/errors.h"
#include "store/server_lock.h"
#include "store/t_stream.h"

namespace gearsd::engine {

void addStreamEntry(python::KeyBatch& batch, const store::StreamEntry& e) {
  batch.beginItems(e.id.str(), python::KeyBatch::Kind::Hash);
  auto fields = e.fields();
  for (std::string_view f, v; fields.next(f, v);) {
    batch.addItem(f);
    batch.addItem(v);
  }
  batch.endItems();
}

using python::KeyBatch;

namespace {

class StreamReader final : public Reader {
 public:
  StreamReader(Execution& ex, store::Store& store) : ex_(ex), store_(store) {}
  ~StreamReader() override { Py_XDECREF(stream_); }  // GIL held (readers.h)

  bool run(StepRunner& runner) override {
    const ReaderSpec& spec = ex_.plan().reader();
    if (!started_) {
      started_ = true;
      fromLast_ = spec.fromId == "$";
      if (!fromLast_ && !store::parseStreamId(spec.fromId, after_, 0, true)) {
        python::GilHold gil;
        runner.readerError("ERR Invalid stream ID specified as stream command argument");
        return true;
      }
    }
    for (;;) {
      if (pos_ < batch_.size() && !feed(runner)) return runner.readerDone();
      if (runner.readerDone() || !more_) return true;
      if (!readBatch(runner)) return true;
    }
  }

 private:
  // The next batch of entries under the server lock; false when the reader has failed.
  bool readBatch(StepRunner& runner) {
    const ReaderSpec& spec = ex_.plan().reader();
    batch_.clear();
    pos_ = 0;
    int64_t t0 = monotonicNs();
    store::StreamStatus st;
    more_ = false;
    {
      store::ServerLockGuard lock;
      store::Db& db = store_.db(ex_.db());
      const store::StreamObject* s = store::streamLookup(store_, db, spec.pattern, store::nowMs(), false, st);
      if (s) {
        if (first_ && fromLast_) after_ = s->lastId();
        store::StreamId start = after_;
        if (start.increment()) {
          s->range(start, store::StreamId::max(), kKeysPerBatch, false, [&](const store::StreamEntry& e) {
            addStreamEntry(batch_, e);
            after_ = e.id;
            return true;
          });
          more_ = batch_.size() == kKeysPerBatch && after_ != store::StreamId::max();
        }
      }
    }
    ex_.addReadNs(monotonicNs() - t0);
    bool first = first_;
    first_ = false;
    python::GilHold gil;
    if (first && st == store::StreamStatus::kWrongType) {
      runner.readerError(store::err::kWrongType);
      return false;
    }
    if (!stream_) stream_ = python::textOrBytearray(spec.pattern.data(), spec.pattern.size());
    if (!stream_) {
      runner.readerError(python::takeErrorText());
      return false;
    }
    return true;
  }

  // Pushes the rest of the batch; false when it stopped early (done, failed or blocked).
  bool feed(StepRunner& runner) {
    python::GilHold gil;
    const std::vector<KeyBatch::Entry>& entries = batch_.entries();
    for (; pos_ < entries.size(); pos_++) {
      if (runner.readerDone() || runner.blocked()) return false;
      PyObject* rec = batch_.streamRecord(entries[pos_], stream_);
      if (!rec) {
        runner.readerError(python::takeErrorText());
        return false;
      }
      runner.feed(rec);
    }
    return true;
  }

  Execution& ex_;
  store::Store& store_;
  KeyBatch batch_;
  bool started_ = false;
  bool fromLast_ = false;
  bool first_ = true;
  bool more_ = true;
  store::StreamId after_;
  PyObject* stream_ = nullptr;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<Reader> makeStreamReader(Execution& ex, store::Store& store) {
  return std::make_unique<StreamReader>(ex, store);
}

}  // namespace gearsd::engine
