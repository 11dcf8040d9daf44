// String commands: implemented in native/store/t_string.cc; this is their table entry.

import { doc, family, nativeCommand } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const ALL_KEYS = [1, -1, 1] as const;
const KEY_VALUE_PAIRS = [1, -1, 2] as const;

export const stringCommands = family('string', [
  nativeCommand('get', 2, 'readonly fast', ONE_KEY, doc('1.0.0', 'key', 'Returns the string value of a key.', 'O(1)')),
  nativeCommand('set', -3, 'write denyoom', ONE_KEY, doc('1.0.0', 'key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]', 'Sets the string value of a key, ignoring its type. The key is created if it doesn\'t exist.', 'O(1)')),
  nativeCommand('setnx', 3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key value', 'Set the string value of a key only when the key doesn\'t exist.', 'O(1)')),
  nativeCommand('setex', 4, 'write denyoom', ONE_KEY, doc('2.0.0', 'key seconds value', 'Sets the string value and expiration time of a key. Creates the key if it doesn\'t exist.', 'O(1)')),
  nativeCommand('psetex', 4, 'write denyoom', ONE_KEY, doc('2.6.0', 'key milliseconds value', 'Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn\'t exist.', 'O(1)')),
  nativeCommand('mget', -2, 'readonly fast', ALL_KEYS, doc('1.0.0', 'key [key ...]', 'Atomically returns the string values of one or more keys.', 'O(N) where N is the number of keys to retrieve.')),
  nativeCommand('mset', -3, 'write denyoom', KEY_VALUE_PAIRS, doc('1.0.1', 'key value [key value ...]', 'Atomically creates or modifies the string values of one or more keys.', 'O(N) where N is the number of keys to set.')),
  nativeCommand('msetnx', -3, 'write denyoom', KEY_VALUE_PAIRS, doc('1.0.1', 'key value [key value ...]', 'Atomically modifies the string values of one or more keys only when all keys don\'t exist.', 'O(N) where N is the number of keys to set.')),
  nativeCommand('getset', 3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key value', 'Returns the previous string value of a key after setting it to a new value.', 'O(1)')),
  nativeCommand('getdel', 2, 'write fast', ONE_KEY, doc('6.2.0', 'key', 'Returns the string value of a key after deleting the key.', 'O(1)')),
  nativeCommand('getex', -2, 'write fast', ONE_KEY, doc('6.2.0', 'key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]', 'Returns the string value of a key after setting its expiration time.', 'O(1)')),
  nativeCommand('append', 3, 'write denyoom fast', ONE_KEY, doc('2.0.0', 'key value', 'Appends a string to the value of a key. Creates the key if it doesn\'t exist.', 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.')),
  nativeCommand('strlen', 2, 'readonly fast', ONE_KEY, doc('2.2.0', 'key', 'Returns the length of a string value.', 'O(1)')),
  nativeCommand('getrange', 4, 'readonly', ONE_KEY, doc('2.4.0', 'key start end', 'Returns a substring of the string stored at a key.', 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.')),
  nativeCommand('substr', 4, 'readonly', ONE_KEY, doc('1.0.0', 'key start end', 'Returns a substring from a string value (the old name of GETRANGE).', 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.')),
  nativeCommand('setrange', 4, 'write denyoom', ONE_KEY, doc('2.2.0', 'key offset value', 'Overwrites a part of a string value with another by an offset. Creates the key if it doesn\'t exist.', 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.')),
  nativeCommand('lcs', -3, 'readonly', [1, 2, 1], doc('7.0.0', 'key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]', 'Finds the longest common subsequence of the strings of two keys.', 'O(N*M) where N and M are the lengths of s1 and s2, respectively')),
  nativeCommand('incr', 2, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key', 'Increments the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('decr', 2, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key', 'Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('incrby', 3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key increment', 'Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('decrby', 3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key decrement', 'Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('incrbyfloat', 3, 'write denyoom fast', ONE_KEY, doc('2.6.0', 'key increment', 'Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
]);
