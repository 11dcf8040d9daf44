// ASCII case-insensitive comparison of command options ("WITHVALUES", "limit", "Count"),
// as Redis's strcasecmp on arguments.
#pragma once
#include <string_view>
#include <strings.h>

namespace gearsd::store {

// `word` is the option as written in the code (any case).
inline bool optionIs(std::string_view arg, std::string_view word) {
  return arg.size() == word.size() && strncasecmp(arg.data(), word.data(), arg.size()) == 0;
}

}  // namespace gearsd::store
