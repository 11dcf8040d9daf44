#include "engine/plan.h"

#include <cstring>

#include "python/errors.h"
#include "python/gil.h"
#include "python/record_str.h"

namespace gearsd::engine {
namespace {

constexpr const char* kToPyRecord = "RedisGearsPy_ToPyRecordMapper";

using python::textOf;

// limit()'s arguments are cast to size_t as RedisGears does: a negative length means "no limit".
uint64_t asSize(PyObject* o) {
  long long v = PyLong_AsLongLong(o);
  if (v == -1 && PyErr_Occurred()) PyErr_Clear();
  return static_cast<uint64_t>(v);
}

}  // namespace

void Plan::add(StepKind kind, const char* type, const char* name, PyObject* fn) {
  Step s;
  s.kind = kind;
  s.type = type;
  s.name = name;
  if (fn) {
    Py_INCREF(fn);
    s.fn = fn;
    s.arg = python::strOf(fn);
  }
  steps_.push_back(std::move(s));
}

void Plan::addExtractKey(PyObject* fn) {
  add(StepKind::ExtractKey, "extractkey", "RedisGearsPy_PyCallbackExtractor", fn);
  PyObject* gears = PyImport_AddModule("gears");  // borrowed
  PyObject* identity = gears ? PyObject_GetAttrString(gears, "_identity") : nullptr;
  if (!identity) PyErr_Clear();
  steps_.back().identity = identity && identity == fn;
  Py_XDECREF(identity);
}

// run()'s and register()'s convertToStr maps (the lib's _to_str, _to_str_on_event) run as
// native code; the step still shows the lib's function.
void Plan::useFastToStr(Step& s) {
  PyObject* gears = PyImport_AddModule("gears");  // borrowed
  for (const char* name : {"_to_str", "_to_str_on_event"}) {
    PyObject* toStr = gears ? PyObject_GetAttrString(gears, name) : nullptr;
    if (!toStr) PyErr_Clear();
    PyObject* fast = toStr && toStr == s.fn ? python::fastToStr(toStr) : nullptr;
    Py_XDECREF(toStr);
    if (fast) {
      Py_SETREF(s.fn, fast);
      return;
    }
    PyErr_Clear();
  }
}

bool Plan::addOperation(PyObject* op, std::string& error) {
  if (!PyTuple_Check(op) || PyTuple_GET_SIZE(op) < 1 || !PyUnicode_Check(PyTuple_GET_ITEM(op, 0))) {
    error = "malformed plan step";
    return false;
  }
  const char* name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(op, 0));
  Py_ssize_t n = PyTuple_GET_SIZE(op);
  PyObject* a = n > 1 ? PyTuple_GET_ITEM(op, 1) : nullptr;
  PyObject* b = n > 2 ? PyTuple_GET_ITEM(op, 2) : nullptr;
  auto is = [&](const char* s, Py_ssize_t arity) { return name && std::strcmp(name, s) == 0 && n == arity; };
  if (is("map", 2)) {
    add(StepKind::Map, "map", "RedisGearsPy_PyCallbackMapper", a);
    useFastToStr(steps_.back());
  } else if (is("flatmap", 2)) {
    add(StepKind::FlatMapper, "map", "RedisGearsPy_PyCallbackFlatMapper", a);
    add(StepKind::FlatExpand, "flatmap", "flatmap");
  } else if (is("filter", 2)) {
    add(StepKind::Filter, "filter", "RedisGearsPy_PyCallbackFilter", a);
  } else if (is("foreach", 2)) {
    add(StepKind::ForEach, "foreach", "RedisGearsPy_PyCallbackForEach", a);
  } else if (is("accumulate", 2)) {
    add(StepKind::Accumulate, "accumulate", "RedisGearsPy_PyCallbackAccumulate", a);
  } else if (is("localgroupby", 3) || is("groupby", 3)) {
    addExtractKey(a);
    if (std::strcmp(name, "groupby") == 0) add(StepKind::Repartition, "repartition", "repartition");
    add(StepKind::AccumulateByKey, "accumulatebykey", "RedisGearsPy_PyCallbackAccumulateByKey", b);
    add(StepKind::ToPyRecord, "map", kToPyRecord);
  } else if (is("batchgroupby", 3)) {
    addExtractKey(a);
    add(StepKind::Repartition, "repartition", "repartition");
    add(StepKind::Group, "group", "group");
    add(StepKind::Reduce, "reduce", "RedisGearsPy_PyCallbackReducer", b);
    add(StepKind::ToPyRecord, "map", kToPyRecord);
  } else if (is("repartition", 2)) {
    addExtractKey(a);
    add(StepKind::Repartition, "repartition", "repartition");
  } else if (is("collect", 1)) {
    add(StepKind::Collect, "collect", "collect");
  } else if (is("limit", 3) && PyLong_Check(a) && PyLong_Check(b)) {
    add(StepKind::Limit, "limit", "limit");
    steps_.back().length = asSize(a);
    steps_.back().offset = asSize(b);
  } else {
    error = "malformed plan step";
    return false;
  }
  return true;
}

std::shared_ptr<Plan> Plan::build(PyObject* reader, PyObject* desc, PyObject* steps, PyObject* readerArgs,
                                  std::string& error) {
  std::shared_ptr<Plan> plan(new Plan());
  std::string readerName;
  if (!textOf(reader, readerName) || !PyList_Check(steps) || !PyTuple_Check(readerArgs)) {
    error = "malformed plan";
    return nullptr;
  }
  ReaderSpec& r = plan->reader_;
  Py_ssize_t nargs = PyTuple_GET_SIZE(readerArgs);
  auto arg = [&](Py_ssize_t i) { return i < nargs ? PyTuple_GET_ITEM(readerArgs, i) : Py_None; };
  if (readerName == "KeysReader" && nargs == 3) {
    r.kind = ReaderKind::Keys;
    textOf(arg(0), r.pattern);
    r.noScan = arg(1) == Py_True;
    r.readValue = arg(2) == Py_True;
  } else if (readerName == "KeysOnlyReader" && nargs == 4) {
    r.kind = ReaderKind::KeysOnly;
    if (!textOf(arg(0), r.pattern)) r.pattern = python::strOf(arg(0));
    Py_INCREF(arg(1));
    r.count = arg(1);
    r.noScan = PyObject_IsTrue(arg(2)) == 1;
    if (arg(3) != Py_None) {
      Py_INCREF(arg(3));
      r.fn = arg(3);
    }
  } else if (readerName == "StreamReader" && nargs == 2) {
    r.kind = ReaderKind::Stream;
    textOf(arg(0), r.pattern);
    textOf(arg(1), r.fromId);
  } else if (readerName == "PythonReader" && nargs == 1) {
    r.kind = ReaderKind::Python;
    Py_INCREF(arg(0));
    r.fn = arg(0);
  } else if (readerName == "ShardsIDReader") {
    r.kind = ReaderKind::ShardsId;
  } else {
    error = "Given reader do not support run or not exists";
    return nullptr;
  }
  if (!plan->addSteps(desc, steps, error)) return nullptr;
  return plan;
}

std::shared_ptr<Plan> Plan::buildRegistered(PyObject* reader, PyObject* desc, PyObject* steps, std::string& error) {
  std::shared_ptr<Plan> plan(new Plan());
  std::string readerName;
  if (!textOf(reader, readerName) || !PyList_Check(steps)) {
    error = "malformed plan";
    return nullptr;
  }
  if (readerName == "KeysReader") {
    plan->reader_.kind = ReaderKind::Keys;
  } else if (readerName == "StreamReader") {
    plan->reader_.kind = ReaderKind::Stream;
  } else if (readerName == "CommandReader") {
    plan->reader_.kind = ReaderKind::Command;
  } else {
    error = "given reader does not exists or does not support register";
    return nullptr;
  }
  if (!plan->addSteps(desc, steps, error)) return nullptr;
  return plan;
}

bool Plan::addSteps(PyObject* desc, PyObject* steps, std::string& error) {
  if (desc != Py_None) hasDesc_ = textOf(desc, desc_);
  add(StepKind::ToPyRecord, "map", kToPyRecord);
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(steps); i++)
    if (!addOperation(PyList_GET_ITEM(steps, i), error)) return false;
  return true;
}

const char* Plan::readerName() const {
  switch (reader_.kind) {
    case ReaderKind::Keys: return "KeysReader";
    case ReaderKind::KeysOnly: return "KeysOnlyReader";
    case ReaderKind::Python: return "PythonReader";
    case ReaderKind::ShardsId: return "ShardsIDReader";
    case ReaderKind::Stream: return "StreamReader";
    case ReaderKind::Command: return "CommandReader";
  }
  return "KeysReader";
}

Plan::~Plan() {
  python::GilHold gil;
  for (Step& s : steps_) Py_XDECREF(s.fn);
  Py_XDECREF(reader_.fn);
  Py_XDECREF(reader_.count);
}

}  // namespace gearsd::engine
