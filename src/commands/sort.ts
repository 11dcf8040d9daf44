// SORT and SORT_RO: implemented in native/store/t_sort.cc; this is their table entry.
// Their keys are "movable": BY and GET patterns read keys named by the data, and STORE
// may come anywhere, so the key specs are partly unknown and COMMAND GETKEYS uses Redis's
// own rules for them (sortGetKeys).

import type { FoundKey } from './key-specs.js';
import { doc, family, nativeCommand, type KeySpec } from './spec.js';

const SORTED_KEY: KeySpec = { flags: 'RO ACCESS', begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } };
const PATTERN_KEYS: KeySpec = {
  notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
  flags: 'RO ACCESS',
  begin: 'unknown',
  find: 'unknown',
};
const STORE_KEY: KeySpec = {
  notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
  flags: 'OW UPDATE',
  begin: 'unknown',
  find: 'unknown',
};

/** The sorted key, and the last STORE's key: options with arguments are skipped whole. */
function sortKeys(argv: readonly Buffer[]): FoundKey[] {
  const keys: FoundKey[] = [{ pos: 1, flags: 'RO ACCESS' }];
  let store: FoundKey | undefined;
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i].toString('latin1').toLowerCase();
    if (arg in skip) i += skip[arg];
    else if (arg === 'store' && i + 1 < argv.length) store = { pos: i + 1, flags: 'OW UPDATE' };
  }
  return store ? [...keys, store] : keys;
}

const SORT_ARGS = 'key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]';
const COMPLEXITY = 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).';
const ACL = 'set sortedset list dangerous';

export const sortCommands = family('generic', [
  nativeCommand('sort', -2, 'write denyoom movablekeys', [1, 1, 1], doc('1.0.0', `${SORT_ARGS} [STORE destination]`, 'Sorts the elements of a list, set or sorted set, by themselves or by keys named after them, and returns or stores the result.', COMPLEXITY), {
    keySpecs: [SORTED_KEY, PATTERN_KEYS, STORE_KEY],
    getKeys: sortKeys,
    acl: ACL,
  }),
  nativeCommand('sort_ro', -2, 'readonly movablekeys', [1, 1, 1], doc('7.0.0', SORT_ARGS, 'The read-only form of SORT: sorts and returns, never stores.', COMPLEXITY), {
    keySpecs: [SORTED_KEY, PATTERN_KEYS],
    getKeys: () => [{ pos: 1, flags: 'RO ACCESS' }],
    acl: ACL,
  }),
]);
