// The Python sources of native/python/lib, compiled into the addon by
// scripts/embed-python.mjs. The table ends with a {nullptr, nullptr} entry.
#pragma once

namespace gearsd::python {

struct EmbeddedModule {
  const char* name;    // module name, e.g. "gearsd_builder"
  const char* source;  // the whole .py file
};

extern const EmbeddedModule kEmbeddedModules[];

}  // namespace gearsd::python
