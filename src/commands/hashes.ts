// Hash commands: implemented in native/store/t_hash.cc; this is their table entry.

import { doc, family, nativeCommand } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const SCAN_COMPLEXITY = 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.';

export const hashCommands = family('hash', [
  nativeCommand('hset', -4, 'write denyoom fast', ONE_KEY, doc('2.0.0', 'key field value [field value ...]', 'Sets one or more fields of a hash, creating the hash if needed; replies how many fields were new.', 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.')),
  nativeCommand('hsetnx', 4, 'write denyoom fast', ONE_KEY, doc('2.0.0', 'key field value', 'Sets a hash field only when the field is not there yet.', 'O(1)')),
  nativeCommand('hmset', -4, 'write denyoom fast', ONE_KEY, doc('2.0.0', 'key field value [field value ...]', 'Sets one or more hash fields (the older form of HSET, replying OK).', 'O(N) where N is the number of fields being set.')),
  nativeCommand('hget', 3, 'readonly fast', ONE_KEY, doc('2.0.0', 'key field', 'Returns the value of one hash field.', 'O(1)')),
  nativeCommand('hmget', -3, 'readonly fast', ONE_KEY, doc('2.0.0', 'key field [field ...]', 'Returns the values of several hash fields, nil for the missing ones.', 'O(N) where N is the number of fields being requested.')),
  nativeCommand('hgetall', 2, 'readonly', ONE_KEY, doc('2.0.0', 'key', 'Returns every field of a hash with its value.', 'O(N) where N is the size of the hash.')),
  nativeCommand('hkeys', 2, 'readonly', ONE_KEY, doc('2.0.0', 'key', 'Returns the field names of a hash.', 'O(N) where N is the size of the hash.')),
  nativeCommand('hvals', 2, 'readonly', ONE_KEY, doc('2.0.0', 'key', 'Returns the values of a hash.', 'O(N) where N is the size of the hash.')),
  nativeCommand('hdel', -3, 'write fast', ONE_KEY, doc('2.0.0', 'key field [field ...]', 'Removes fields from a hash, deleting the key when none is left.', 'O(N) where N is the number of fields to be removed.')),
  nativeCommand('hlen', 2, 'readonly fast', ONE_KEY, doc('2.0.0', 'key', 'Returns how many fields a hash has.', 'O(1)')),
  nativeCommand('hexists', 3, 'readonly fast', ONE_KEY, doc('2.0.0', 'key field', 'Tells whether a hash has a field.', 'O(1)')),
  nativeCommand('hstrlen', 3, 'readonly fast', ONE_KEY, doc('3.2.0', 'key field', 'Returns the length in bytes of a hash field\'s value.', 'O(1)')),
  nativeCommand('hincrby', 4, 'write denyoom fast', ONE_KEY, doc('2.0.0', 'key field increment', 'Adds an integer to a hash field, starting from 0 when the field is missing.', 'O(1)')),
  nativeCommand('hincrbyfloat', 4, 'write denyoom fast', ONE_KEY, doc('2.6.0', 'key field increment', 'Adds a floating point number to a hash field, starting from 0 when the field is missing.', 'O(1)')),
  nativeCommand('hrandfield', -2, 'readonly', ONE_KEY, doc('6.2.0', 'key [count [WITHVALUES]]', 'Returns random fields of a hash: distinct ones for a positive count, possibly repeated for a negative one.', 'O(N) where N is the number of fields returned')),
  nativeCommand('hscan', -3, 'readonly', ONE_KEY, doc('2.8.0', 'key cursor [MATCH pattern] [COUNT count]', 'Walks the fields and values of a hash a batch at a time.', SCAN_COMPLEXITY)),
]);
