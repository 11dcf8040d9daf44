// Glob matching with Redis's rules (KEYS, SCAN MATCH, PSUBSCRIBE, KeysReader patterns):
// '*', '?', '[abc]', '[^a-z]', and '\' to escape the next character.
#pragma once
#include <string_view>

namespace gearsd::store {

bool globMatch(std::string_view pattern, std::string_view subject, bool nocase = false);

// True when the pattern has no special characters, so it can only match itself.
bool globIsLiteral(std::string_view pattern);

}  // namespace gearsd::store
