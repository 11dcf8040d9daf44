#include "store/tuning.h"

#include <string>
#include <unordered_map>

namespace gearsd::store {

Tuning& tuning() {
  static Tuning t;
  return t;
}

bool setTuning(std::string_view name, int64_t value) {
  static const std::unordered_map<std::string, int64_t Tuning::*> fields = {
      {"proto-max-bulk-len", &Tuning::protoMaxBulkLen},
      {"hash-max-listpack-entries", &Tuning::hashMaxListpackEntries},
      {"hash-max-ziplist-entries", &Tuning::hashMaxListpackEntries},
      {"hash-max-listpack-value", &Tuning::hashMaxListpackValue},
      {"hash-max-ziplist-value", &Tuning::hashMaxListpackValue},
      {"list-max-listpack-size", &Tuning::listMaxListpackSize},
      {"list-max-ziplist-size", &Tuning::listMaxListpackSize},
      {"set-max-intset-entries", &Tuning::setMaxIntsetEntries},
      {"stream-node-max-bytes", &Tuning::streamNodeMaxBytes},
      {"stream-node-max-entries", &Tuning::streamNodeMaxEntries},
      {"zset-max-listpack-entries", &Tuning::zsetMaxListpackEntries},
      {"zset-max-ziplist-entries", &Tuning::zsetMaxListpackEntries},
      {"zset-max-listpack-value", &Tuning::zsetMaxListpackValue},
      {"zset-max-ziplist-value", &Tuning::zsetMaxListpackValue},
      {"hll-sparse-max-bytes", &Tuning::hllSparseMaxBytes},
  };
  auto it = fields.find(std::string(name));
  if (it == fields.end()) return false;
  tuning().*(it->second) = value;
  return true;
}

}  // namespace gearsd::store
