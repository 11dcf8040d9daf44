// Tunable limits of the data types (hash-max-listpack-entries and friends): set from TS
// config at start-up and by CONFIG SET, through the addon's setTuning(name, value).
// Families read them directly; each one adds its fields here and a line in tuning.cc.
#pragma once
#include <cstdint>
#include <string_view>

namespace gearsd::store {

struct Tuning {
  int64_t protoMaxBulkLen = 512ll * 1024 * 1024;
  int64_t hashMaxListpackEntries = 512;  // Redis 7.0's defaults
  int64_t hashMaxListpackValue = 64;
  int64_t listMaxListpackSize = -2;  // list node fill, see t_list.h
  int64_t setMaxIntsetEntries = 512;
  int64_t streamNodeMaxBytes = 4096;   // a stream node closes at this listpack size (0: no limit)
  int64_t streamNodeMaxEntries = 100;  // ...or at this many entries (0: no limit)
  int64_t zsetMaxListpackEntries = 128;
  int64_t zsetMaxListpackValue = 64;
  int64_t hllSparseMaxBytes = 3000;  // a sparse HyperLogLog turns dense past this size
};

Tuning& tuning();

// Sets a field by its config name; false when the name is not a native option.
bool setTuning(std::string_view name, int64_t value);

}  // namespace gearsd::store
