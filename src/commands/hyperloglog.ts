// HyperLogLog commands: implemented in native/store/t_hyperloglog.cc; this is their table
// entry, with the key specs Redis 7.0 declares for them.

import { doc, family, nativeCommand, type KeySpec } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const ALL_KEYS = [1, -1, 1] as const;
const range = (flags: string, index: number, lastkey: number, notes?: string): KeySpec => ({
  flags,
  begin: { index },
  find: { lastkey, keystep: 1, limit: 0 },
  ...(notes ? { notes } : {}),
});

export const hyperloglogCommands = family('hyperloglog', [
  nativeCommand('pfadd', -2, 'write denyoom fast', ONE_KEY, doc('2.8.9', 'key [element [element ...]]', 'Adds elements to a HyperLogLog, creating the key if needed.', 'O(1) to add every element.'), {
    keySpecs: [range('RW INSERT', 1, 0)],
  }),
  nativeCommand('pfcount', -2, 'readonly', ALL_KEYS, doc('2.8.9', 'key [key ...]', 'Returns the approximate number of distinct elements seen by one HyperLogLog, or by the union of several.', 'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.'), {
    keySpecs: [range('RW ACCESS', 1, -1, 'RW because it may change the internal representation of the key, and propagate to replicas')],
  }),
  nativeCommand('pfmerge', -2, 'write denyoom', ALL_KEYS, doc('2.8.9', 'destkey sourcekey [sourcekey ...]', 'Merges HyperLogLogs into one, which becomes their union.', 'O(N) to merge N HyperLogLogs, but with high constant times.'), {
    keySpecs: [range('RW ACCESS INSERT', 1, 0), range('RO ACCESS', 2, -1)],
  }),
  nativeCommand('pfdebug', 3, 'write denyoom admin', [2, 2, 1], doc('2.8.9', 'subcommand key', 'Internal commands for debugging HyperLogLog values.', 'N/A'), {
    keySpecs: [range('RW ACCESS', 2, 0)],
    docFlags: 'syscmd',
  }),
  nativeCommand('pfselftest', 1, 'admin', [0, 0, 0], doc('2.8.9', '', 'An internal command for testing HyperLogLog values.', 'N/A'), { docFlags: 'syscmd' }),
]);
