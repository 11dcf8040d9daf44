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

using python::KeyBatch;

namespace {

class StreamReader final : public Reader {
 public:
  StreamReader(Execution& ex, store::Store& store) : ex_(ex), store_(store) {}

  void run(StepRunner& runner) override {
    const ReaderSpec& spec = ex_.plan().reader();
    bool fromLast = spec.fromId == "$";
    store::StreamId after;
    if (!fromLast && !store::parseStreamId(spec.fromId, after, 0, true)) {
      python::GilHold gil;
      return runner.readerError("ERR Invalid stream ID specified as stream command argument");
    }
    PyObject* stream = nullptr;
    for (bool first = true; !runner.readerDone(); first = false) {
      batch_.clear();
      int64_t t0 = monotonicNs();
      store::StreamStatus st;
      bool more = false;
      {
        store::ServerLockGuard lock;
        store::Db& db = store_.db(ex_.db());
        const store::StreamObject* s = store::streamLookup(store_, db, spec.pattern, store::nowMs(), false, st);
        if (s) {
          if (first && fromLast) after = s->lastId();
          store::StreamId start = after;
          if (start.increment()) {
            s->range(start, store::StreamId::max(), kKeysPerBatch, false, [&](const store::StreamEntry& e) {
              batch_.beginItems(e.id.str(), KeyBatch::Kind::Hash);
              auto c = e.fields();
              for (std::string_view f, v; c.next(f, v);) {
                batch_.addItem(f);
                batch_.addItem(v);
              }
              batch_.endItems();
              after = e.id;
              return true;
            });
            more = batch_.size() == kKeysPerBatch && after != store::StreamId::max();
          }
        }
      }
      ex_.addReadNs(monotonicNs() - t0);
      python::GilHold gil;
      if (first && st == store::StreamStatus::kWrongType) return runner.readerError(store::err::kWrongType);
      if (!stream) stream = python::textOrBytearray(spec.pattern.data(), spec.pattern.size());
      if (!stream) return runner.readerError(python::takeErrorText());
      for (const KeyBatch::Entry& e : batch_.entries()) {
        if (runner.readerDone()) break;
        PyObject* rec = batch_.streamRecord(e, stream);
        if (!rec) {
          runner.readerError(python::takeErrorText());
          break;
        }
        runner.feed(rec);
      }
      if (!more) break;
    }
    if (stream) {
      python::GilHold gil;
      Py_DECREF(stream);
    }
  }

 private:
  Execution& ex_;
  store::Store& store_;
  KeyBatch batch_;
};

}  // namespace

std::unique_ptr<Reader> makeStreamReader(Execution& ex, store::Store& store) {
  return std::make_unique<StreamReader>(ex, store);
}

}  // namespace gearsd::engine
