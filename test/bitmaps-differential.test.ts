// Bitmap commands against a real redis-server: fixed sequences of edge cases compared
// byte for byte (errors included), then seeded random sequences over a few keys.
// TEST_SEED=n replays or explores another sequence.
import { test } from 'uvu';

import { canCompare, withPair } from './helpers/differential.js';
import { Prng, testSeed } from './helpers/random.js';

const diffTest = canCompare() ? test : test.skip;

diffTest('SETBIT, GETBIT: growth, encodings, errors', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['SETBIT', 'b', '7', '1'],
      ['GET', 'b'],
      ['OBJECT', 'ENCODING', 'b'],
      ['SETBIT', 'b', '100', '1'],
      ['STRLEN', 'b'],
      ['GETBIT', 'b', '100'],
      ['GETBIT', 'b', '101'],
      ['GETBIT', 'b', '100000'],
      ['GETBIT', 'nokey', '3'],
      ['SETBIT', 'b', '-1', '1'],
      ['SETBIT', 'b', 'x', '1'],
      ['SETBIT', 'b', '1', '2'],
      ['SETBIT', 'b', '1', '-1'],
      ['SETBIT', 'b', '1', 'x'],
      ['SETBIT', 'b', '4294967296', '1'],
      ['SETBIT', 'b', '#1', '1'],
      ['GETBIT', 'b', '-1'],
      ['SET', 'n', '12'],
      ['OBJECT', 'ENCODING', 'n'],
      ['GETBIT', 'n', '2'],
      ['SETBIT', 'n', '0', '0'],
      ['OBJECT', 'ENCODING', 'n'],
      ['GET', 'n'],
      ['SET', 'e', ''],
      ['SETBIT', 'e', '0', '0'],
      ['GET', 'e'],
      ['LPUSH', 'l', 'a'],
      ['SETBIT', 'l', '0', '1'],
      ['GETBIT', 'l', '0'],
      ['SETBIT', 'l', 'x', '1'],
      ['SET', 't', 'abc', 'EX', '100'],
      ['SETBIT', 't', '0', '1'],
      ['TTL', 't'],
    ]);
  });
});

diffTest('BITCOUNT and BITPOS: ranges in bytes and bits, argument errors', async () => {
  await withPair(async (pair) => {
    await pair.same('SET', 's', Buffer.from([0xff, 0xf0, 0x00, 0x0f, 0x81, 0x00, 0xff]));
    await pair.same('SET', 'ones', Buffer.from([0xff, 0xff, 0xff]));
    await pair.same('SET', 'empty', '');
    const ranges = [[], ['0', '-1'], ['1', '2'], ['-3', '-1'], ['-1', '-3'], ['5', '2'], ['-100', '100'], ['2', '2']];
    for (const key of ['s', 'ones', 'empty', 'nokey']) {
      for (const r of ranges) {
        await pair.same('BITCOUNT', key, ...r);
        for (const unit of ['BYTE', 'BIT', 'bit']) if (r.length) await pair.same('BITCOUNT', key, ...r, unit);
        for (const bit of ['0', '1']) {
          await pair.same('BITPOS', key, bit, ...r);
          if (r.length) {
            await pair.same('BITPOS', key, bit, r[0]);
            await pair.same('BITPOS', key, bit, r[0], r[1], 'BIT');
            await pair.same('BITPOS', key, bit, r[0], r[1], 'BYTE');
          }
        }
      }
    }
    await pair.sequence([
      ['BITCOUNT', 's', '0'],
      ['BITCOUNT', 'nokey', '0'],
      ['BITCOUNT', 's', 'a', 'b'],
      ['BITCOUNT', 's', '0', '1', 'bits'],
      ['BITCOUNT', 's', '0', '1', 'BIT', 'x'],
      ['BITCOUNT', 's', '0', 'x', 'BIT'],
      ['BITPOS', 's', '2'],
      ['BITPOS', 's', 'x'],
      ['BITPOS', 'nokey', '1', 'a'],
      ['BITPOS', 's', '1', 'a'],
      ['BITPOS', 's', '1', '0', 'a'],
      ['BITPOS', 's', '1', '0', '1', 'x'],
      ['BITPOS', 's', '1', '0', 'x', 'y'],
      ['BITPOS', 's', '1', '0', '1', 'BIT', 'extra'],
      ['BITPOS', 'ones', '0', '1', 'BIT'],
      ['BITPOS', 'ones', '0', '3', 'BIT'],
      ['LPUSH', 'l', 'x'],
      ['BITCOUNT', 'l'],
      ['BITPOS', 'l', '1'],
    ]);
  });
});

diffTest('BITOP: operations, lengths, deleting the destination, errors', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['SET', 'a', 'foobar'],
      ['SET', 'b', 'ab'],
      ['SET', 'z', ''],
      ['BITOP', 'AND', 'd', 'a', 'b'],
      ['GET', 'd'],
      ['OBJECT', 'ENCODING', 'd'],
      ['BITOP', 'or', 'd', 'a', 'b', 'nokey'],
      ['GET', 'd'],
      ['BITOP', 'XOR', 'd', 'a', 'b', 'a'],
      ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'a'],
      ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'a', 'b'],
      ['BITOP', 'NAND', 'd', 'a'],
      ['SET', 'd', 'x', 'EX', '100'],
      ['BITOP', 'AND', 'd', 'a'],
      ['TTL', 'd'],
      ['BITOP', 'AND', 'd', 'nokey', 'z'],
      ['EXISTS', 'd'],
      ['BITOP', 'AND', 'd', 'nokey'],
      ['LPUSH', 'l', 'x'],
      ['BITOP', 'AND', 'd', 'a', 'l'],
      ['BITOP', 'OR', 'l', 'a'],
      ['TYPE', 'l'],
    ]);
  });
});

diffTest('BITFIELD and BITFIELD_RO: types, offsets, overflow modes, errors', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['BITFIELD', 'f', 'SET', 'i8', '0', '-100', 'GET', 'i8', '0', 'GET', 'u8', '0', 'GET', 'u4', '#1'],
      ['GET', 'f'],
      ['OBJECT', 'ENCODING', 'f'],
      ['BITFIELD', 'f', 'INCRBY', 'u2', '100', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '102', '1', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '102', '5'],
      ['BITFIELD', 'f', 'SET', 'i64', '0', '-9223372036854775808', 'INCRBY', 'i64', '0', '-1', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '-1'],
      ['BITFIELD', 'f', 'OVERFLOW', 'WRAP', 'SET', 'u63', '1', '9223372036854775807', 'GET', 'u63', '1', 'INCRBY', 'u63', '1', '9223372036854775807'],
      ['BITFIELD', 'f', 'OVERFLOW', 'SAT', 'SET', 'u8', '#3', '-1', 'SET', 'i8', '#3', '200', 'GET', 'u8', '#3'],
      ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'SET', 'u8', '#3', '-1', 'SET', 'i4', '#3', '8', 'GET', 'u8', '#3'],
      ['BITFIELD', 'f', 'GET', 'u64', '0'],
      ['BITFIELD', 'f', 'GET', 'i65', '0'],
      ['BITFIELD', 'f', 'GET', 'i0', '0'],
      ['BITFIELD', 'f', 'GET', 'x8', '0'],
      ['BITFIELD', 'f', 'GET', 'I8', '0'],
      ['BITFIELD', 'f', 'GET', 'u8', '-1'],
      ['BITFIELD', 'f', 'GET', 'u8', '#-1'],
      ['BITFIELD', 'f', 'GET', 'u8', '##1'],
      ['BITFIELD', 'f', 'GET', 'u8'],
      ['BITFIELD', 'f', 'SET', 'u8', '0'],
      ['BITFIELD', 'f', 'SET', 'u8', '0', 'x'],
      ['BITFIELD', 'f', 'OVERFLOW', 'BAD', 'GET', 'u8', '0'],
      ['BITFIELD', 'f', 'OVERFLOW'],
      ['BITFIELD', 'f', 'FOO'],
      ['BITFIELD', 'f'],
      ['BITFIELD', 'nokey', 'GET', 'u8', '0', 'GET', 'i3', '1000'],
      ['EXISTS', 'nokey'],
      ['BITFIELD', 'new', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '100'],
      ['GET', 'new'],
      ['BITFIELD_RO', 'f', 'GET', 'u8', '0', 'GET', 'i16', '#1'],
      ['BITFIELD_RO', 'f', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'],
      ['BITFIELD_RO', 'f', 'INCRBY', 'u8', '0', 'x'],
      ['BITFIELD_RO', 'nokey'],
      ['LPUSH', 'l', 'x'],
      ['BITFIELD', 'l', 'GET', 'u8', '0'],
      ['BITFIELD', 'l', 'SET', 'u8', '0', '1'],
      ['BITFIELD', 'f', 'GET', 'u8', '4294967296'],
      ['BITFIELD', 'f', 'SET', 'u8', '4294967296', '1'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', 'GET', 'u8', '0'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'BITOP', 'AND', 'd', 'a', 'b'],
      ['COMMAND', 'INFO', 'SETBIT', 'GETBIT', 'BITCOUNT', 'BITPOS', 'BITOP', 'BITFIELD', 'BITFIELD_RO'],
    ]);
  });
});

diffTest('random bitmap sequences match redis-server byte for byte', async () => {
  const seed = testSeed(20240611);
  const rng = new Prng(seed);
  const keys = ['a', 'b', 'c'];
  const offset = () => String(rng.chance(0.8) ? rng.int(0, 300) : rng.int(0, 5000));
  const index = () => String(rng.int(-40, 40));
  const type = () => (rng.chance(0.5) ? `i${rng.int(1, 64)}` : `u${rng.int(1, 63)}`);
  const value = () => String(rng.pick([rng.int(-300, 300), rng.int(-(2 ** 40), 2 ** 40), '9223372036854775807', '-9223372036854775808']));
  const fieldOffset = () => (rng.chance(0.2) ? `#${rng.int(0, 20)}` : offset());
  await withPair(async (pair) => {
    for (let i = 0; i < 1500; i++) {
      const k = rng.pick(keys);
      let cmd: string[];
      switch (rng.int(0, 7)) {
        case 0:
          cmd = ['SETBIT', k, offset(), String(rng.int(0, 1))];
          break;
        case 1:
          cmd = ['GETBIT', k, offset()];
          break;
        case 2:
          cmd = ['BITCOUNT', k, ...(rng.chance(0.2) ? [] : [index(), index(), ...(rng.chance(0.5) ? [rng.pick(['BIT', 'BYTE'])] : [])])];
          break;
        case 3: {
          const n = rng.int(0, 3);
          const args = n === 0 ? [] : n === 1 ? [index()] : n === 2 ? [index(), index()] : [index(), index(), rng.pick(['BIT', 'BYTE'])];
          cmd = ['BITPOS', k, String(rng.int(0, 1)), ...args];
          break;
        }
        case 4: {
          const op = rng.pick(['AND', 'OR', 'XOR', 'NOT']);
          cmd = ['BITOP', op, rng.pick(keys), ...(op === 'NOT' ? [k] : rng.some(keys, rng.int(1, 3)))];
          break;
        }
        case 5: {
          cmd = ['BITFIELD', k];
          for (let n = rng.int(1, 4); n > 0; n--) {
            const what = rng.int(0, 3);
            if (what === 0) cmd.push('GET', type(), fieldOffset());
            else if (what === 1) cmd.push('SET', type(), fieldOffset(), value());
            else if (what === 2) cmd.push('INCRBY', type(), fieldOffset(), value());
            else cmd.push('OVERFLOW', rng.pick(['WRAP', 'SAT', 'FAIL']));
          }
          break;
        }
        case 6:
          cmd = rng.chance(0.5) ? ['GET', k] : ['SETRANGE', k, String(rng.int(0, 40)), 'x\xff\x00'];
          break;
        default:
          cmd = rng.chance(0.9) ? ['BITFIELD_RO', k, 'GET', type(), fieldOffset()] : ['DEL', k];
      }
      await pair.same(...cmd);
    }
    for (const k of keys) await pair.same('GET', k);
  }, { seed });
});

test.run();
