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
  nativeCommand('incr', 2, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key', 'Increments the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('decr', 2, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key', 'Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('incrby', 3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key increment', 'Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('decrby', 3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key decrement', 'Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
  nativeCommand('incrbyfloat', 3, 'write denyoom fast', ONE_KEY, doc('2.6.0', 'key increment', 'Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.', 'O(1)')),
]);
