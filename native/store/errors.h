// Error texts shared by the data commands, word for word as Redis 7 sends them.
// Command-specific texts stay in their family file.
#pragma once

namespace gearsd::store::err {

inline constexpr const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr const char* kSyntax = "ERR syntax error";
inline constexpr const char* kNotInteger = "ERR value is not an integer or out of range";
inline constexpr const char* kNotFloat = "ERR value is not a valid float";
inline constexpr const char* kOverflow = "ERR increment or decrement would overflow";
inline constexpr const char* kNoSuchKey = "ERR no such key";
inline constexpr const char* kOutOfRange = "ERR index out of range";
inline constexpr const char* kInvalidExpire = "ERR invalid expire time in '%s' command";
inline constexpr const char* kStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr const char* kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr const char* kSameObject = "ERR source and destination objects are the same";
inline constexpr const char* kPositiveCount = "ERR value is out of range, must be positive";

}  // namespace gearsd::store::err
