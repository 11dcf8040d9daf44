// SORT and SORT_RO against a real redis-server, byte for byte: lists, sets and sorted
// sets; BY keys and hash fields, nosort, LIMIT, GET, ALPHA, DESC, STORE; the errors; what
// COMMAND says of their keys. Then seeded random queries over a list (whose input order
// both servers share, so even ties must come out the same).
//
// Not compared: the order of a hash-table set sorted BY nosort (each server's own table
// order), and ties under BY with LIMIT (Redis's partial quicksort is not stable).
// TEST_SEED=n replays or explores another random sequence.
import { test } from 'uvu';

import { canCompare, withPair } from './helpers/differential.js';
import { Prng, testSeed } from './helpers/random.js';

const diffTest = canCompare() ? test : test.skip;

diffTest('lists, sets, sorted sets: orders, patterns, LIMIT, GET, STORE', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['RPUSH', 'l', '3', '10', '-2.5', '1e2', '0x10', ' 7', 'inf', '-inf', '3'],
      ['SORT', 'l'],
      ['SORT', 'l', 'DESC'],
      ['SORT', 'l', 'ALPHA'],
      ['SORT', 'l', 'ALPHA', 'DESC', 'LIMIT', '1', '3'],
      ['SORT', 'l', 'LIMIT', '-5', '2'],
      ['SORT', 'l', 'LIMIT', '2', '-1'],
      ['SORT', 'l', 'LIMIT', '20', '5'],
      ['SORT', 'l', 'LIMIT', '0', '0'],
      ['SORT', 'l', 'BY', 'nosort'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC'],
      ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '2', '3'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '2', '3'],
      ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '50', '3'],
      ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'],
      ['SORT', 'l', 'GET', '#'],
      ['SORT', 'l', 'GET', 'nostar'],
      ['SORT_RO', 'l', 'LIMIT', '1', '2', 'GET', '#', 'GET', 'x'],
      ['RPUSH', 'bad', '1', 'x', '2'],
      ['SORT', 'bad'],
      ['SORT', 'bad', 'ALPHA'],
      ['SORT', 'bad', 'BY', 'nosort'],
      ['SORT', 'bad', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['RPUSH', 'ws', '1 ', '', '+5'],
      ['SORT', 'ws'],
      ['SORT', 'l', 'LIMIT', 'x', '1'],
      ['SORT', 'l', 'LIMIT', '1'],
      ['SORT', 'l', 'BY'],
      ['SORT', 'l', 'FOO'],
      ['SORT', 'l', 'GET'],
      ['SORT_RO', 'l', 'STORE', 'dst'],
      ['SET', 'str', 'x'],
      ['SORT', 'str'],
      ['SORT', 'nokey'],
      ['SORT', 'nokey', 'STORE', 'dst'],
      ['SORT', 'str', 'BY', 'x', 'LIMIT', 'y'],
    ]);
    // Weights as strings and hash fields, some missing, some not numbers.
    await pair.sequence([
      ['RPUSH', 'u', 'a', 'b', 'c', 'd', 'e'],
      ['MSET', 'w_a', '5', 'w_b', '1', 'w_c', '3', 'w_d', '3'],
      ['HSET', 'o_a', 'f', '2', 'name', 'A'],
      ['HSET', 'o_b', 'f', '9', 'name', 'B'],
      ['HSET', 'o_c', 'f', '-1'],
      ['SORT', 'u', 'BY', 'w_*'],
      ['SORT', 'u', 'BY', 'w_*', 'DESC'],
      ['SORT', 'u', 'BY', 'w_*', 'ALPHA'],
      ['SORT', 'u', 'BY', 'w_*', 'ALPHA', 'DESC'],
      ['SORT', 'u', 'BY', 'o_*->f'],
      ['SORT', 'u', 'BY', 'o_*->f', 'GET', '#', 'GET', 'o_*->name', 'GET', 'w_*'],
      ['SORT', 'u', 'BY', 'o_*->nofield'],
      ['SORT', 'u', 'BY', 'o_*->', 'GET', 'o_*->'],
      ['SORT', 'u', 'BY', 'w_*', 'LIMIT', '1', '2', 'GET', 'o_*->f'],
      ['SORT', 'u', 'GET', 'w_*', 'GET', 'o_*->name', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['OBJECT', 'ENCODING', 'dst'],
      ['SORT', 'u', 'BY', 'w_*', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SET', 'w_e', 'x'],
      ['SORT', 'u', 'BY', 'w_*'],
      ['SORT', 'u', 'BY', 'w_*', 'ALPHA'],
      ['SET', 'dst', 'str', 'EX', '100'],
      ['SORT', 'u', 'ALPHA', 'STORE', 'dst'],
      ['TTL', 'dst'],
      ['TYPE', 'dst'],
      ['SORT', 'u', 'BY', 'w_*', 'LIMIT', '10', '1', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['LPUSH', 'lw', 'x'],
      ['SORT', 'u', 'BY', 'lw', 'GET', 'lw'],
      ['SORT', 'u', 'BY', 'w_*', 'GET', 'u'],
    ]);
    // Sets: integer sets come out in order; a table set only once sorted.
    await pair.sequence([
      ['SADD', 'is', '5', '-1', '30', '2'],
      ['SORT', 'is'],
      ['SORT', 'is', 'BY', 'nosort'],
      ['SORT', 'is', 'DESC', 'LIMIT', '0', '2'],
      ['SADD', 'ts', 'pear', 'apple', 'fig', 'kiwi', 'banana'],
      ['SORT', 'ts', 'ALPHA'],
      ['SORT', 'ts', 'ALPHA', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'ts'],
      ['SORT', 'ts', 'BY', 'nosort', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
    ]);
    // Sorted sets: BY nosort keeps the score order; reading converts a small one.
    await pair.sequence([
      ['ZADD', 'z', '1', 'c', '2', 'b', '3', 'a', '4', 'd'],
      ['OBJECT', 'ENCODING', 'z'],
      ['SORT', 'z', 'ALPHA'],
      ['OBJECT', 'ENCODING', 'z'],
      ['SORT', 'z', 'BY', 'nosort'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC'],
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '3', '10'],
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '9', '10'],
      ['ZADD', 'z2', '1', 'x'],
      ['SORT_RO', 'z2', 'BY', 'nosort'],
      ['OBJECT', 'ENCODING', 'z2'],
      ['SORT', 'z', 'BY', 'nosort', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
    ]);
    await pair.sequence([
      ['COMMAND', 'GETKEYS', 'SORT', 'abc', 'STORE', 'def'],
      ['COMMAND', 'GETKEYS', 'SORT', 'abc', 'STORE', 'def', 'STORE', 'ghi'],
      ['COMMAND', 'GETKEYS', 'SORT', 'abc', 'GET', 'store', 'LIMIT', 'store', 'x', 'BY', 'store'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'SORT', 'abc', 'BY', 'w_*', 'STORE', 'def'],
      ['COMMAND', 'GETKEYS', 'SORT_RO', 'abc', 'STORE', 'def'],
      ['COMMAND', 'INFO', 'SORT', 'SORT_RO'],
      // Last: Redis leaves errno at ERANGE after this, and later numeric sorts of values
      // that are not integer-encoded on the same connection fail (gearsd does not copy that).
      ['RPUSH', 'nan', 'nan', '1e400', '1e-400', '1e-310'],
      ['SORT', 'nan'],
      ['DEL', 'nan'],
      ['RPUSH', 'nan', '1e-310'],
      ['SORT', 'nan'],
    ]);
  });
});

diffTest('binary elements and patterns: ALPHA compares C strings, STORE whole bytes', async () => {
  await withPair(async (pair) => {
    await pair.same('RPUSH', 'b', Buffer.from('a\x00z'), Buffer.from('a\x00b'), Buffer.from([0xe9]), 'a', Buffer.from([0x7f]));
    await pair.same('SORT', 'b', 'ALPHA');
    await pair.same('SORT', 'b', 'ALPHA', 'DESC');
    await pair.same('SORT', 'b', 'ALPHA', 'STORE', 'dst');
    await pair.same('LRANGE', 'dst', '0', '-1');
    await pair.same('RPUSH', 'n', '1\x00junk', '2');
    await pair.same('SORT', 'n');
    await pair.same('SET', Buffer.from('k\x00*1'), '1');
    await pair.same('SORT', 'n', 'BY', Buffer.from('k\x00*'));
    await pair.same('SORT', 'n', 'GET', Buffer.from('#\x00x'));
  });
});

diffTest('random SORT queries over a list match redis-server', async () => {
  const seed = testSeed(4242);
  const rng = new Prng(seed);
  await withPair(async (pair) => {
    for (let round = 0; round < 40; round++) {
      await pair.same('FLUSHALL');
      const n = rng.int(0, 40);
      const values = Array.from({ length: n }, () => (rng.chance(0.5) ? String(rng.int(-50, 50)) : rng.chance(0.5) ? (rng.next() * 100 - 50).toFixed(rng.int(0, 3)) : `s${rng.int(0, 30)}`));
      if (n) await pair.same('RPUSH', 'l', ...values);
      // Every weight present and distinct in even rounds (so LIMIT may go with BY);
      // missing, repeated or non-numeric weights in odd ones.
      const full = round % 2 === 0;
      const distinct = new Set(values);
      let w = 0;
      for (const v of distinct) {
        if (!full && rng.chance(0.3)) continue;
        const weight = full ? String(w++ * 3 - 20) : rng.pick([String(rng.int(0, 5)), 'zz', '1.5']);
        await pair.same('SET', `w_${v}`, weight);
        await pair.same('HSET', `h_${v}`, 'f', weight, 'g', `G${v}`);
      }
      for (let q = 0; q < 15; q++) {
        const args: string[] = [];
        const by = rng.pick([null, null, 'w_*', 'h_*->f', 'nosort']);
        if (by) args.push('BY', by);
        if (rng.chance(0.4) && (full || by === null || by === 'nosort')) args.push('LIMIT', String(rng.int(-2, 10)), String(rng.int(-1, 10)));
        for (let g = rng.int(0, 2); g > 0; g--) args.push('GET', rng.pick(['#', 'w_*', 'h_*->g', 'h_*->f', 'missing_*']));
        if (rng.chance(0.4)) args.push(rng.pick(['ASC', 'DESC']));
        if (rng.chance(0.5)) args.push('ALPHA');
        if (rng.chance(0.3)) {
          await pair.same('SORT', 'l', ...args, 'STORE', 'dst');
          await pair.same('LRANGE', 'dst', '0', '-1');
        } else {
          await pair.same(rng.chance(0.5) ? 'SORT' : 'SORT_RO', 'l', ...args);
        }
      }
    }
  }, { seed });
});

test.run();
