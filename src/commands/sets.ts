// Set commands: implemented in native/store/t_set.cc; this is their table entry.

import { doc, family, nativeCommand, NO_KEYS } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const ALL_KEYS = [1, -1, 1] as const;
const INTER_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';
const SCAN_COMPLEXITY = 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.';

export const setCommands = family('set', [
  nativeCommand('sadd', -3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key member [member ...]', 'Adds members to a set, creating it if needed; replies how many were new.', 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.')),
  nativeCommand('srem', -3, 'write fast', ONE_KEY, doc('1.0.0', 'key member [member ...]', 'Removes members from a set, deleting the key when none is left.', 'O(N) where N is the number of members to be removed.')),
  nativeCommand('smembers', 2, 'readonly', ONE_KEY, doc('1.0.0', 'key', 'Returns every member of a set.', 'O(N) where N is the set cardinality.')),
  nativeCommand('sismember', 3, 'readonly fast', ONE_KEY, doc('1.0.0', 'key member', 'Tells whether a value is a member of a set.', 'O(1)')),
  nativeCommand('smismember', -3, 'readonly fast', ONE_KEY, doc('6.2.0', 'key member [member ...]', 'Tells, for each of several values, whether it is a member of a set.', 'O(N) where N is the number of elements being checked for membership')),
  nativeCommand('scard', 2, 'readonly fast', ONE_KEY, doc('1.0.0', 'key', 'Returns how many members a set has.', 'O(1)')),
  nativeCommand('spop', -2, 'write fast', ONE_KEY, doc('1.0.0', 'key [count]', 'Removes and returns one or several random members of a set.', 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.')),
  nativeCommand('srandmember', -2, 'readonly', ONE_KEY, doc('1.0.0', 'key [count]', 'Returns random members of a set without removing them: distinct ones for a positive count, possibly repeated for a negative one.', 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.')),
  nativeCommand('smove', 4, 'write fast', [1, 2, 1], doc('1.0.0', 'source destination member', 'Moves a member from one set to another.', 'O(1)')),
  nativeCommand('sinter', -2, 'readonly', ALL_KEYS, doc('1.0.0', 'key [key ...]', 'Returns the members every given set has.', INTER_COMPLEXITY)),
  nativeCommand('sintercard', -3, 'readonly movablekeys', NO_KEYS, doc('7.0.0', 'numkeys key [key ...] [LIMIT limit]', 'Counts the members every given set has, optionally stopping at a limit.', INTER_COMPLEXITY)),
  nativeCommand('sinterstore', -3, 'write denyoom', ALL_KEYS, doc('1.0.0', 'destination key [key ...]', 'Stores the intersection of sets in a key and replies its size.', INTER_COMPLEXITY)),
  nativeCommand('sunion', -2, 'readonly', ALL_KEYS, doc('1.0.0', 'key [key ...]', 'Returns the members of any of the given sets.', UNION_COMPLEXITY)),
  nativeCommand('sunionstore', -3, 'write denyoom', ALL_KEYS, doc('1.0.0', 'destination key [key ...]', 'Stores the union of sets in a key and replies its size.', UNION_COMPLEXITY)),
  nativeCommand('sdiff', -2, 'readonly', ALL_KEYS, doc('1.0.0', 'key [key ...]', 'Returns the members of the first set that none of the others has.', UNION_COMPLEXITY)),
  nativeCommand('sdiffstore', -3, 'write denyoom', ALL_KEYS, doc('1.0.0', 'destination key [key ...]', 'Stores the difference of sets in a key and replies its size.', UNION_COMPLEXITY)),
  nativeCommand('sscan', -3, 'readonly', ONE_KEY, doc('2.8.0', 'key cursor [MATCH pattern] [COUNT count]', 'Walks the members of a set a batch at a time.', SCAN_COMPLEXITY)),
]);
