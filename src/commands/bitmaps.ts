// Bitmap commands (bits of string values): implemented in native/store/t_bitops.cc; this
// is their table entry, with the key specs Redis 7.0 declares for them.

import type { FoundKey } from './key-specs.js';
import { doc, family, nativeCommand, type KeySpec } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const firstKey = (flags: string, notes?: string): KeySpec => ({ flags, begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 }, ...(notes ? { notes } : {}) });

/**
 * BITFIELD's key is read-only when every operation is a GET (Redis's bitfieldGetKeys);
 * anything else, a syntax error included, counts as a write.
 */
function bitfieldKeys(argv: readonly Buffer[]): FoundKey[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const rest = argv.length - i - 1;
    const arg = argv[i].toString('latin1').toLowerCase();
    if (arg === 'get' && rest >= 2) i += 2;
    else if (arg === 'overflow' && rest >= 1) i += 1;
    else {
      readonly = false;
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? 'RO ACCESS' : 'RW ACCESS UPDATE' }];
}

const BITFIELD_OP =
  'operation=<GET encoding offset | write=<overflow-block=[OVERFLOW <WRAP | SAT | FAIL>] write-operation=<SET encoding offset value | INCRBY encoding offset increment>>>';
const RANGE_HISTORY = { history: [['7.0.0', 'Added the `BYTE|BIT` option.']] as const };

export const bitmapCommands = family('bitmap', [
  nativeCommand('setbit', 4, 'write denyoom', ONE_KEY, doc('2.2.0', 'key offset value', 'Sets or clears the bit at an offset of a string value, creating the key if needed; returns the bit\'s old value.', 'O(1)'), {
    keySpecs: [firstKey('RW ACCESS UPDATE')],
  }),
  nativeCommand('getbit', 3, 'readonly fast', ONE_KEY, doc('2.2.0', 'key offset', 'Returns the bit at an offset of a string value.', 'O(1)')),
  nativeCommand('bitcount', -2, 'readonly', ONE_KEY, doc('2.6.0', 'key [start end [BYTE | BIT]]', 'Counts the set bits of a string, or of a range of its bytes or bits.', 'O(N)'), RANGE_HISTORY),
  nativeCommand('bitpos', -3, 'readonly', ONE_KEY, doc('2.8.7', 'key bit [start [end [BYTE | BIT]]]', 'Finds the first set or clear bit of a string, optionally within a range of bytes or bits.', 'O(N)'), RANGE_HISTORY),
  nativeCommand('bitop', -4, 'write denyoom', [2, -1, 1], doc('2.6.0', 'operation destkey key [key ...]', 'Stores the bitwise AND, OR, XOR or NOT of strings in a key.', 'O(N)'), {
    keySpecs: [
      { flags: 'OW UPDATE', begin: { index: 2 }, find: { lastkey: 0, keystep: 1, limit: 0 } },
      { flags: 'RO ACCESS', begin: { index: 3 }, find: { lastkey: -1, keystep: 1, limit: 0 } },
    ],
  }),
  nativeCommand('bitfield', -2, 'write denyoom', ONE_KEY, doc('3.2.0', `key [${BITFIELD_OP} [${BITFIELD_OP} ...]]`, 'Reads, sets and increments integers of any width from 1 to 64 bits at any offset of a string.', 'O(1) for each subcommand specified'), {
    keySpecs: [firstKey('RW ACCESS UPDATE VARIABLE_FLAGS', 'This command allows both access and modification of the key')],
    getKeys: bitfieldKeys,
  }),
  nativeCommand('bitfield_ro', -2, 'readonly fast', ONE_KEY, doc('6.0.0', 'key [GET get-block=<encoding offset> [GET get-block=<encoding offset> ...]]', 'The read-only form of BITFIELD: only GET operations.', 'O(1) for each subcommand specified')),
]);
