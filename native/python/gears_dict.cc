#include "python/gears_dict.h"

namespace gearsd::python {

std::vector<uint32_t> gearsFieldOrder(const std::vector<std::string_view>& keys) {
  GearsDict<uint32_t> d;
  for (uint32_t i = 0; i < keys.size(); i++) {
    // RedisGears sets a field as find, then (if present) delete, then add.
    if (d.find(keys[i])) d.erase(keys[i]);
    d.add(keys[i], i);
  }
  std::vector<uint32_t> order;
  order.reserve(d.size());
  d.forEach([&](const std::string&, uint32_t& i) { order.push_back(i); });
  return order;
}

}  // namespace gearsd::python
