// Number parsing and formatting with Redis's exact rules: what counts as an integer or a
// float argument, and how numbers are printed back (INCRBYFLOAT, scores, INFO).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace gearsd::store {

// Strict integer parsing as Redis's string2ll: optional '-', no '+', no spaces, no leading
// zeros, must fit in int64.
bool parseInt64(std::string_view s, int64_t& out);
bool parseUint64(std::string_view s, uint64_t& out);

// Long double parsing as Redis's string2ld (INCRBYFLOAT): no spaces, not NaN.
bool parseLongDouble(std::string_view s, long double& out);

// Double parsing as Redis's getDoubleFromObject: accepts "inf"/"-inf", rejects NaN and
// surrounding spaces.
bool parseDouble(std::string_view s, double& out);

std::string formatInt64(int64_t v);
// Writes v's decimal digits into buf (at least kInt64Chars bytes), returns the length.
inline constexpr size_t kInt64Chars = 21;
size_t formatInt64(int64_t v, char* buf);

// INCRBYFLOAT's formatting (ld2string in LD_STR_HUMAN mode): up to 17 significant digits,
// no exponent, trailing zeros removed.
std::string formatLongDouble(long double v);

// How Redis 7.0 prints a double reply (scores): integers exactly, otherwise "%.17g".
std::string formatDouble(double v);

// How Redis 7.0 writes a score into a listpack (d2string), which ZSCAN of a small sorted
// set shows as is: like formatDouble, except that integral values up to ±2^62 are printed
// as integers ("100000000000000000" where formatDouble gives "1e+17").
std::string formatDoubleAsStored(double v);

}  // namespace gearsd::store
