// List commands, blocking ones included: implemented in native/store/t_list.cc; this is
// their table entry. Where a blocking command keeps its keys and timeout is told to the
// blocking manager by src/blocking-table.ts.

import { doc, family, nativeCommand, NO_KEYS } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const SOURCE_AND_DESTINATION = [1, 2, 1] as const;
const KEYS_THEN_TIMEOUT = [1, -2, 1] as const;

export const listCommands = family('list', [
  nativeCommand('lpush', -3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key element [element ...]', 'Adds elements at the head of a list, creating the list if needed.', 'O(1) per element added')),
  nativeCommand('rpush', -3, 'write denyoom fast', ONE_KEY, doc('1.0.0', 'key element [element ...]', 'Adds elements at the tail of a list, creating the list if needed.', 'O(1) per element added')),
  nativeCommand('lpushx', -3, 'write denyoom fast', ONE_KEY, doc('2.2.0', 'key element [element ...]', 'Adds elements at the head of a list, only when the list already exists.', 'O(1) per element added')),
  nativeCommand('rpushx', -3, 'write denyoom fast', ONE_KEY, doc('2.2.0', 'key element [element ...]', 'Adds elements at the tail of a list, only when the list already exists.', 'O(1) per element added')),
  nativeCommand('lpop', -2, 'write fast', ONE_KEY, doc('1.0.0', 'key [count]', 'Removes and returns the first element (or the first count elements) of a list.', 'O(N) in the elements returned')),
  nativeCommand('rpop', -2, 'write fast', ONE_KEY, doc('1.0.0', 'key [count]', 'Removes and returns the last element (or the last count elements) of a list.', 'O(N) in the elements returned')),
  nativeCommand('llen', 2, 'readonly fast', ONE_KEY, doc('1.0.0', 'key', 'Returns how many elements a list holds.', 'O(1)')),
  nativeCommand('lrange', 4, 'readonly', ONE_KEY, doc('1.0.0', 'key start stop', 'Returns the elements of a list between two indexes, both included.', 'O(S+N): S to reach start from the nearer end, N elements returned')),
  nativeCommand('lindex', 3, 'readonly', ONE_KEY, doc('1.0.0', 'key index', 'Returns the element of a list at an index (negative counts from the tail).', 'O(N) in the elements walked; O(1) at either end')),
  nativeCommand('lset', 4, 'write denyoom', ONE_KEY, doc('1.0.0', 'key index element', 'Replaces the element of a list at an index.', 'O(N) in the elements walked; O(1) at either end')),
  nativeCommand('linsert', 5, 'write denyoom', ONE_KEY, doc('2.2.0', 'key where=<BEFORE | AFTER> pivot element', 'Inserts an element before or after the first occurrence of another in a list.', 'O(N) in the elements walked to find the pivot')),
  nativeCommand('lrem', 4, 'write', ONE_KEY, doc('1.0.0', 'key count element', 'Removes occurrences of an element from a list, from the head, the tail or everywhere.', 'O(N+M): N elements walked, M removed')),
  nativeCommand('ltrim', 4, 'write', ONE_KEY, doc('1.0.0', 'key start stop', 'Keeps only the elements of a list between two indexes.', 'O(N) in the elements removed')),
  nativeCommand('lpos', -3, 'readonly', ONE_KEY, doc('6.0.6', 'key element [RANK rank] [COUNT num-matches] [MAXLEN len]', 'Returns the index (or indexes) at which an element occurs in a list.', 'O(N) in the elements walked')),
  nativeCommand('lmove', 5, 'write denyoom', SOURCE_AND_DESTINATION, doc('6.2.0', 'source destination wherefrom=<LEFT | RIGHT> whereto=<LEFT | RIGHT>', 'Pops an element from one end of a list and pushes it at an end of another, returning it.', 'O(1)')),
  nativeCommand('rpoplpush', 3, 'write denyoom', SOURCE_AND_DESTINATION, doc('1.2.0', 'source destination', 'Pops the last element of a list and pushes it at the head of another, returning it.', 'O(1)')),
  nativeCommand('lmpop', -4, 'write movablekeys', NO_KEYS, doc('7.0.0', 'numkeys key [key ...] where=<LEFT | RIGHT> [COUNT count]', 'Pops one or more elements from the first non-empty list among several keys.', 'O(N+M): N keys, M elements returned')),
  nativeCommand('blpop', -3, 'write noscript blocking', KEYS_THEN_TIMEOUT, doc('2.0.0', 'key [key ...] timeout', 'Pops the first element of the first non-empty list, waiting for one when all are empty.', 'O(N) in the keys given')),
  nativeCommand('brpop', -3, 'write noscript blocking', KEYS_THEN_TIMEOUT, doc('2.0.0', 'key [key ...] timeout', 'Pops the last element of the first non-empty list, waiting for one when all are empty.', 'O(N) in the keys given')),
  nativeCommand('blmove', 6, 'write denyoom noscript blocking', SOURCE_AND_DESTINATION, doc('6.2.0', 'source destination wherefrom=<LEFT | RIGHT> whereto=<LEFT | RIGHT> timeout', 'LMOVE that waits for the source list to get an element when it is empty.', 'O(1)')),
  nativeCommand('brpoplpush', 4, 'write denyoom noscript blocking', SOURCE_AND_DESTINATION, doc('2.2.0', 'source destination timeout', 'RPOPLPUSH that waits for the source list to get an element when it is empty.', 'O(1)')),
  nativeCommand('blmpop', -5, 'write blocking movablekeys', NO_KEYS, doc('7.0.0', 'timeout numkeys key [key ...] where=<LEFT | RIGHT> [COUNT count]', 'LMPOP that waits for one of the lists to get an element when all are empty.', 'O(N+M): N keys, M elements returned')),
]);
