// PythonReader and ShardsIDReader, and the reader factory.
//
// PythonReader(fn): fn() is called on the execution thread. A generator's items are the
// records; any other return value is one record, and fn is called again for the next one, for
// ever (a limit, an error or an abort ends it), as in RedisGears.
#include "engine/readers.h"
#include "python/errors.h"
#include "python/gil.h"

namespace gearsd::engine {

std::unique_ptr<Reader> makeKeysReader(Execution& ex, store::Store& store);
std::unique_ptr<Reader> makeKeysOnlyReader(Execution& ex, store::Store& store);
std::unique_ptr<Reader> makeStreamReader(Execution& ex, store::Store& store);

namespace {

class PythonReader final : public Reader {
 public:
  explicit PythonReader(Execution& ex) : ex_(ex) {}

  void run(StepRunner& runner) override {
    python::GilHold gil;
    PyObject* fn = ex_.plan().reader().fn;
    PyObject* first = PyObject_CallNoArgs(fn);
    if (!first) return runner.readerError(python::takeErrorText());
    if (PyGen_Check(first)) return drain(runner, first);
    runner.feed(first);
    while (!runner.readerDone()) {
      PyObject* next = PyObject_CallNoArgs(fn);
      if (!next) return runner.readerError(python::takeErrorText());
      runner.feed(next);
    }
  }

 private:
  void drain(StepRunner& runner, PyObject* gen) {
    while (!runner.readerDone()) {
      PyObject* item = PyIter_Next(gen);
      if (!item) {
        if (PyErr_Occurred()) runner.readerError(python::takeErrorText());
        break;
      }
      runner.feed(item);
    }
    Py_DECREF(gen);
  }

  Execution& ex_;
};

// One record per shard: '1' without a cluster.
class ShardsIdReader final : public Reader {
 public:
  void run(StepRunner& runner) override {
    python::GilHold gil;
    PyObject* id = PyUnicode_FromString("1");
    if (!id) return runner.readerError(python::takeErrorText());
    runner.feed(id);
  }
};

}  // namespace

std::unique_ptr<Reader> makeReader(Execution& ex, store::Store& store) {
  switch (ex.plan().reader().kind) {
    case ReaderKind::Keys: return makeKeysReader(ex, store);
    case ReaderKind::KeysOnly: return makeKeysOnlyReader(ex, store);
    case ReaderKind::Python: return std::make_unique<PythonReader>(ex);
    case ReaderKind::ShardsId: return std::make_unique<ShardsIdReader>();
    case ReaderKind::Stream: return makeStreamReader(ex, store);
  }
  return std::make_unique<ShardsIdReader>();
}

}  // namespace gearsd::engine
