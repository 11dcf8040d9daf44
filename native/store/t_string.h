// What other code needs to know about string values beyond their bytes (OBJECT in
// t_keys.cc): the encoding name Redis would report and whether Redis would share the value;
// and the lookups the other families that keep their data in strings (bitmaps,
// HyperLogLog) share with the string commands.
#pragma once
#include <cstdint>
#include <string_view>

#include "store/command.h"
#include "store/keyspace.h"

namespace gearsd::store {

// OBJECT ENCODING of a string value: "int", "embstr" or "raw", decided as Redis 7.0 does.
const char* stringEncodingName(const KeyEntry& e);

// True when Redis would hold this value as one of its shared integers 0..9999, which
// OBJECT REFCOUNT reports as INT_MAX.
bool stringIsSharedInteger(const KeyEntry& e);

// The encoding a copy of this value gets (COPY duplicates a shared integer into a private one).
StrEncoding stringEncodingOfCopy(const KeyEntry& e);

// Looks a key up for reading (or writing) a string. Replies WRONGTYPE and returns false
// when the key holds another type; `out` is null when the key does not exist.
bool lookupStringOrReply(CommandContext& c, std::string_view key, KeyEntry*& out);
bool lookupStringForWriteOrReply(CommandContext& c, std::string_view key, KeyEntry*& out);

// A string of `size + append` bytes must fit proto-max-bulk-len (and our 32-bit lengths);
// replies "string exceeds maximum allowed size" when it does not.
bool checkStringLengthOrReply(CommandContext& c, uint64_t size, uint64_t append);

}  // namespace gearsd::store
