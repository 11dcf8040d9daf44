// Generic keyspace commands (DEL, EXISTS, KEYS, SCAN, RENAME, COPY, MOVE, EXPIRE, TTL,
// OBJECT...) and the whole-database ones (DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, MEMORY):
// implemented in native/store/t_keys.cc; this is their table entry.

import { doc, family, nativeCommand, NO_KEYS } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const TWO_KEYS = [1, 2, 1] as const;
const ALL_KEYS = [1, -1, 1] as const;
const SECOND_ARG_KEY = [2, 2, 1] as const;
const EXPIRE_FLAGS = '[NX | XX | GT | LT]';

const generic = family('generic', [
  nativeCommand('del', -2, 'write', ALL_KEYS, doc('1.0.0', 'key [key ...]', 'Deletes one or more keys.', 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).')),
  nativeCommand('unlink', -2, 'write fast', ALL_KEYS, doc('4.0.0', 'key [key ...]', 'Deletes one or more keys; the memory of large values is released in the background.', 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.')),
  nativeCommand('exists', -2, 'readonly fast', ALL_KEYS, doc('1.0.0', 'key [key ...]', 'Counts how many of the given keys exist.', 'O(N) where N is the number of keys to check.')),
  nativeCommand('type', 2, 'readonly fast', ONE_KEY, doc('1.0.0', 'key', 'Returns the type of the value stored at a key.', 'O(1)')),
  nativeCommand('touch', -2, 'readonly fast', ALL_KEYS, doc('3.2.1', 'key [key ...]', 'Updates the last access time of the given keys and counts those that exist.', 'O(N) where N is the number of keys that will be touched.')),
  nativeCommand('keys', 2, 'readonly', NO_KEYS, doc('1.0.0', 'pattern', 'Returns every key name that matches a glob pattern.', 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.')),
  nativeCommand('scan', -2, 'readonly', NO_KEYS, doc('2.8.0', 'cursor [MATCH pattern] [COUNT count] [TYPE type]', 'Walks the key names of the database a few at a time with a cursor.', 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.')),
  nativeCommand('randomkey', 1, 'readonly', NO_KEYS, doc('1.0.0', '', 'Returns the name of a key picked at random.', 'O(1)')),
  nativeCommand('rename', 3, 'write', TWO_KEYS, doc('1.0.0', 'key newkey', 'Gives a key a new name, replacing any key of that name.', 'O(1)')),
  nativeCommand('renamenx', 3, 'write fast', TWO_KEYS, doc('1.0.0', 'key newkey', 'Gives a key a new name only when no key has that name yet.', 'O(1)')),
  nativeCommand('copy', -3, 'write denyoom', TWO_KEYS, doc('6.2.0', 'source destination [DB destination-db] [REPLACE]', 'Duplicates the value of a key under another name, possibly in another database.', 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.')),
  nativeCommand('move', 3, 'write fast', ONE_KEY, doc('1.0.0', 'key db', 'Moves a key to another database.', 'O(1)')),
  nativeCommand('expire', -3, 'write fast', ONE_KEY, doc('1.0.0', `key seconds ${EXPIRE_FLAGS}`, 'Sets a key\'s time to live in seconds.', 'O(1)')),
  nativeCommand('pexpire', -3, 'write fast', ONE_KEY, doc('2.6.0', `key milliseconds ${EXPIRE_FLAGS}`, 'Sets a key\'s time to live in milliseconds.', 'O(1)')),
  nativeCommand('expireat', -3, 'write fast', ONE_KEY, doc('1.2.0', `key unix-time-seconds ${EXPIRE_FLAGS}`, 'Sets the moment a key expires, as a Unix time in seconds.', 'O(1)')),
  nativeCommand('pexpireat', -3, 'write fast', ONE_KEY, doc('2.6.0', `key unix-time-milliseconds ${EXPIRE_FLAGS}`, 'Sets the moment a key expires, as a Unix time in milliseconds.', 'O(1)')),
  nativeCommand('ttl', 2, 'readonly fast', ONE_KEY, doc('1.0.0', 'key', 'Returns a key\'s remaining time to live in seconds.', 'O(1)')),
  nativeCommand('pttl', 2, 'readonly fast', ONE_KEY, doc('2.6.0', 'key', 'Returns a key\'s remaining time to live in milliseconds.', 'O(1)')),
  nativeCommand('expiretime', 2, 'readonly fast', ONE_KEY, doc('7.0.0', 'key', 'Returns the Unix time in seconds at which a key expires.', 'O(1)')),
  nativeCommand('pexpiretime', 2, 'readonly fast', ONE_KEY, doc('7.0.0', 'key', 'Returns the Unix time in milliseconds at which a key expires.', 'O(1)')),
  nativeCommand('persist', 2, 'write fast', ONE_KEY, doc('2.2.0', 'key', 'Removes a key\'s time to live, so it no longer expires.', 'O(1)')),
  nativeCommand('object', -2, '', NO_KEYS, doc('2.2.3', '', 'A container for commands that inspect how a key\'s value is kept.', 'Depends on subcommand.'), [
    nativeCommand('object|encoding', 3, 'readonly', SECOND_ARG_KEY, doc('2.2.3', 'key', 'Returns the internal encoding of a value.', 'O(1)')),
    nativeCommand('object|freq', 3, 'readonly', SECOND_ARG_KEY, doc('4.0.0', 'key', 'Returns the logarithmic access frequency counter of a value (LFU policies only).', 'O(1)')),
    nativeCommand('object|help', 2, 'loading stale', NO_KEYS, doc('6.2.0', '', 'Lists the OBJECT subcommands.', 'O(1)')),
    nativeCommand('object|idletime', 3, 'readonly', SECOND_ARG_KEY, doc('2.2.3', 'key', 'Returns the seconds since a key was last read or written.', 'O(1)')),
    nativeCommand('object|refcount', 3, 'readonly', SECOND_ARG_KEY, doc('2.2.3', 'key', 'Returns how many references a value has.', 'O(1)')),
  ]),
]);

const server = family('server', [
  nativeCommand('dbsize', 1, 'readonly fast', NO_KEYS, doc('1.0.0', '', 'Returns the number of keys in the selected database.', 'O(1)')),
  nativeCommand('flushdb', -1, 'write', NO_KEYS, doc('1.0.0', '[ASYNC | SYNC]', 'Removes every key of the selected database.', 'O(N) where N is the number of keys in the selected database')),
  nativeCommand('flushall', -1, 'write', NO_KEYS, doc('1.0.0', '[ASYNC | SYNC]', 'Removes every key of every database.', 'O(N) where N is the total number of keys in all databases')),
  nativeCommand('swapdb', 3, 'write fast', NO_KEYS, doc('4.0.0', 'index1 index2', 'Exchanges the contents of two databases.', 'O(N) where N is the count of clients watching or blocking on keys from both databases.')),
  nativeCommand('memory', -2, '', NO_KEYS, doc('4.0.0', '', 'A container for memory introspection commands.', 'Depends on subcommand.'), [
    nativeCommand('memory|help', 2, 'loading stale', NO_KEYS, doc('4.0.0', '', 'Lists the MEMORY subcommands.', 'O(1)')),
    nativeCommand('memory|malloc-stats', 2, '', NO_KEYS, doc('4.0.0', '', 'Returns the allocator\'s statistics.', 'Depends on how much memory is allocated, could be slow')),
    nativeCommand('memory|purge', 2, '', NO_KEYS, doc('4.0.0', '', 'Asks the allocator to give free memory back to the system.', 'Depends on how much memory is allocated, could be slow')),
    nativeCommand('memory|usage', -3, 'readonly', SECOND_ARG_KEY, doc('4.0.0', 'key [SAMPLES count]', 'Estimates the memory a key and its value take.', 'O(N) where N is the number of samples.')),
  ]),
]);

export const keyCommands = [...generic, ...server];
