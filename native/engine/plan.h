// Plans: what GB()...run() built, ready to be executed (once for run(), once per event for a
// registration: a Plan is immutable and shared, all per-run state lives in the Execution).
//
// The native step vocabulary is small (STYLE.md §10). Each builder operation expands into the
// steps RedisGears itself would list in RG.GETEXECUTION, so the listing, and each step's own
// duration, read the same:
//   GB()            → map RedisGearsPy_ToPyRecordMapper        (reader record → Python)
//   map(f)          → map PyCallbackMapper(f)
//   flatmap(f)      → map PyCallbackFlatMapper(f), flatmap      (a list becomes its elements)
//   filter/foreach/accumulate(f) → one step each
//   localgroupby(e, r)   → extractkey(e), accumulatebykey(r), map ToPyRecordMapper
//   groupby(e, r)        → extractkey(e), repartition, accumulatebykey(r), map ToPyRecordMapper
//   batchgroupby(e, r)   → extractkey(e), repartition, group, reduce(r), map ToPyRecordMapper
//   repartition(f)       → extractkey(f), repartition
//   collect(), limit(n, start) → one step each
#pragma once
#include <Python.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gearsd::engine {

enum class StepKind : uint8_t {
  ToPyRecord,       // key records become {'key', 'value'}; Python records pass through
  Map,
  FlatMapper,       // calls f; the following FlatExpand splits a list result
  FlatExpand,
  Filter,
  ForEach,
  Accumulate,
  ExtractKey,
  Repartition,      // stand-alone: passes records (and their keys) on
  AccumulateByKey,
  Group,
  Reduce,
  Collect,          // stand-alone: passes records on
  Limit,
};

struct Step {
  StepKind kind;
  PyObject* fn = nullptr;  // owned reference, or null
  uint64_t offset = 0;     // Limit
  uint64_t length = 0;     // Limit
  bool identity = false;   // ExtractKey with the lib's _identity: the record is its own key
  const char* type;        // RG.GETEXECUTION "type"
  const char* name;        // RG.GETEXECUTION "name"
  std::string arg;         // RG.GETEXECUTION "arg": str(fn) or ""
};

enum class ReaderKind : uint8_t { Keys, KeysOnly, Python, ShardsId, Stream, Command };

struct ReaderSpec {
  ReaderKind kind = ReaderKind::Keys;
  std::string pattern = "*";
  bool noScan = false;
  bool readValue = true;
  PyObject* fn = nullptr;     // PythonReader: the function; KeysOnlyReader: patternGenerator
  PyObject* count = nullptr;  // KeysOnlyReader: the count argument as given
  std::string fromId = "0-0";
};

class Plan {
 public:
  // Builds a plan from gears._run's arguments (GIL held). nullptr and `error` set when the
  // arguments are malformed.
  static std::shared_ptr<Plan> build(PyObject* reader, PyObject* desc, PyObject* steps, PyObject* readerArgs,
                                     std::string& error);
  // A registration's plan (register()): only the reader's kind; what each run reads comes
  // with its event (trigger_input.h).
  static std::shared_ptr<Plan> buildRegistered(PyObject* reader, PyObject* desc, PyObject* steps, std::string& error);
  ~Plan();  // takes the GIL to release the callbacks

  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;

  const ReaderSpec& reader() const { return reader_; }
  const std::vector<Step>& steps() const { return steps_; }
  const std::string& description() const { return desc_; }
  bool hasDescription() const { return hasDesc_; }
  const char* readerName() const;

 private:
  Plan() = default;
  bool addOperation(PyObject* op, std::string& error);
  void add(StepKind kind, const char* type, const char* name, PyObject* fn = nullptr);
  void addExtractKey(PyObject* fn);
  bool addSteps(PyObject* desc, PyObject* steps, std::string& error);
  void useFastToStr(Step& s);

  ReaderSpec reader_;
  std::vector<Step> steps_;
  std::string desc_;
  bool hasDesc_ = false;
};

}  // namespace gearsd::engine
