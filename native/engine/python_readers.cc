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
  ~PythonReader() override { Py_XDECREF(gen_); }  // GIL held (readers.h)

  bool run(StepRunner& runner) override {
    python::GilHold gil;
    PyObject* fn = ex_.plan().reader().fn;
    if (!started_) {
      started_ = true;
      PyObject* first = PyObject_CallNoArgs(fn);
      if (!first) return fail(runner);
      if (PyGen_Check(first)) {
        gen_ = first;
      } else {
        runner.feed(first);
      }
    }
    while (!runner.readerDone()) {
      if (runner.blocked()) return false;
      PyObject* next = gen_ ? PyIter_Next(gen_) : PyObject_CallNoArgs(fn);
      if (!next) {
        if (gen_ && !PyErr_Occurred()) return true;
        return fail(runner);
      }
      runner.feed(next);
    }
    return true;
  }

 private:
  static bool fail(StepRunner& runner) {
    runner.readerError(python::takeErrorText());
    return true;
  }

  Execution& ex_;
  bool started_ = false;
  PyObject* gen_ = nullptr;  // fn() returned a generator: its items are the records
};

// One record per shard: '1' without a cluster.
class ShardsIdReader final : public Reader {
 public:
  bool run(StepRunner& runner) override {
    python::GilHold gil;
    PyObject* id = PyUnicode_FromString("1");
    if (!id) {
      runner.readerError(python::takeErrorText());
      return true;
    }
    runner.feed(id);
    return true;
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
