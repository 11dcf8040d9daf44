#include "store/reply.h"

#include "store/numbers.h"

namespace gearsd::store {

void ReplyBuilder::bulkInt(int64_t v) { bulk(formatInt64(v)); }

}  // namespace gearsd::store
