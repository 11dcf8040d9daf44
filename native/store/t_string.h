// What other code needs to know about string values beyond their bytes (OBJECT in
// t_keys.cc): the encoding name Redis would report and whether Redis would share the value.
#pragma once
#include "store/keyspace.h"

namespace gearsd::store {

// OBJECT ENCODING of a string value: "int", "embstr" or "raw", decided as Redis 7.0 does.
const char* stringEncodingName(const KeyEntry& e);

// True when Redis would hold this value as one of its shared integers 0..9999, which
// OBJECT REFCOUNT reports as INT_MAX.
bool stringIsSharedInteger(const KeyEntry& e);

// The encoding a copy of this value gets (COPY duplicates a shared integer into a private one).
StrEncoding stringEncodingOfCopy(const KeyEntry& e);

}  // namespace gearsd::store
